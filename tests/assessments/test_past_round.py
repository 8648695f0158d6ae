"""A paper round of a past year is brought in and scored by command alone, without celery beat:
the import launches it and the calendar closes its window, which passed long ago."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from assessments.models import Assessment, AssessmentEvent, AssessmentStatus
from campaigns.models import Campaign, CampaignEvent, CampaignStatus
from scoring.models import Result
from tests.assessments.workbooks import good_sheets, workbook
from tests.factories import UnitFactory, UserFactory, kind
from units.models import Unit

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def province() -> Unit:
    province = UnitFactory(code="KG", name="Tỉnh Kiên Giang", kind=kind("tinh"))
    UserFactory(username="thanh.pct")  # a reviewer the workbook names, with an account already
    return province


def past_round(tmp_path: Path) -> Path:
    """The 2019 Kiên Lương round, one unit submitted on paper and reviewed."""
    sheets = good_sheets()
    sheets["self_scores"] = [row for row in sheets["self_scores"] if row[0] != "KL-BA"]
    sheets["review_scores"] = [row for row in sheets["review_scores"] if row[1] != "KL-BA"]
    path = tmp_path / "vhcs-2019.xlsx"
    path.write_bytes(workbook(sheets))
    return path


def test_a_past_round_is_imported_then_scored_and_published_by_command(
    province: Unit, tmp_path: Path, media_root: object
) -> None:
    call_command("import_campaign", str(past_round(tmp_path)), stdout=StringIO())

    campaign = Campaign.objects.get(code="VHCS-2019")
    assert campaign.status == CampaignStatus.WINDOW_CLOSED
    closed = CampaignEvent.objects.get(campaign=campaign, new_value=CampaignStatus.WINDOW_CLOSED)
    assert (closed.actor, closed.old_value) == (None, CampaignStatus.LAUNCHED)
    assert closed.subject == "calendar:2019-11-01:2019-11-30"

    # The review_scores sheet of a paper round records the council's review: the units it
    # scores were accepted on paper, so a plain --publish goes through.
    accepted = AssessmentEvent.objects.get(
        assessment__enrolment__campaign=campaign,
        assessment__enrolment__unit__code="KL-TT",
        field="status",
        new_value=AssessmentStatus.ACCEPTED,
    )
    assert (accepted.actor, accepted.old_value) == (None, AssessmentStatus.SUBMITTED)
    assert "trên giấy" in accepted.reason
    out = StringIO()
    call_command("score_campaign", "VHCS-2019", "--publish", "--timeout", "30", stdout=out)

    assert out.getvalue().startswith("Scoring run #")
    assert out.getvalue().rstrip().endswith("published")
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.PUBLISHED
    assert Result.objects.filter(run__campaign=campaign, unit__code="KL-TT").exists()
    assert Result.objects.get(run__is_published=True, unit__code="KL-TT").final_score is not None


def test_a_past_round_imported_twice_changes_nothing_the_second_time(
    province: Unit, tmp_path: Path
) -> None:
    path = past_round(tmp_path)
    call_command("import_campaign", str(path), stdout=StringIO())
    campaign = Campaign.objects.get(code="VHCS-2019")
    events = AssessmentEvent.objects.filter(assessment__enrolment__campaign=campaign).count()
    versions = sorted(
        Assessment.objects.filter(enrolment__campaign=campaign).values_list("version", flat=True)
    )

    call_command("import_campaign", str(path), stdout=StringIO())

    assert (
        AssessmentEvent.objects.filter(assessment__enrolment__campaign=campaign).count() == events
    )
    assert (
        sorted(
            Assessment.objects.filter(enrolment__campaign=campaign).values_list(
                "version", flat=True
            )
        )
        == versions
    )
    tt = Assessment.objects.get(enrolment__campaign=campaign, enrolment__unit__code="KL-TT")
    assert tt.status == AssessmentStatus.ACCEPTED


def test_a_past_round_imported_again_with_a_corrected_score_takes_the_correction(
    province: Unit, tmp_path: Path
) -> None:
    """Its window was never open on the portal: the file still carries its scores."""
    path = past_round(tmp_path)
    call_command("import_campaign", str(path), stdout=StringIO())
    sheets = good_sheets()
    sheets["self_scores"][1][2] = 8  # KL-TT, 1.1: 9.5 on the first copy, 8 on the corrected one
    path.write_bytes(workbook(sheets))

    call_command("import_campaign", str(path), stdout=StringIO())

    item = Campaign.objects.get(code="VHCS-2019").enrolments.get(unit__code="KL-TT")
    assert item.assessment.items.get(criterion__code="1.1").self_score == 8
