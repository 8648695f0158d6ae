"""Self-assessment services: what a unit may save and submit, when, by whom, and what is kept."""

import datetime
import hashlib
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from assessments import services
from assessments.models import AssessmentEvent, AssessmentItem, AssessmentStatus, Evidence
from campaigns import services as campaign_services
from campaigns.models import Criterion
from tests.assessments.conftest import World, pdf_upload
from tests.campaigns.test_services import PDF, PNG

pytestmark = pytest.mark.django_db


def state(world: World) -> tuple[object, ...]:
    """Everything a refused write must leave as it was: version, status, items, files, history."""
    assessment = world.assessment()
    items = sorted(
        AssessmentItem.objects.filter(assessment=assessment).values_list(
            "criterion__code", "self_score", "note"
        )
    )
    return (
        assessment.version,
        assessment.status,
        items,
        assessment.events.count(),
        Evidence.objects.filter(item__assessment=assessment).count(),
    )


def missing_of(error: services.IncompleteAssessmentError) -> list[tuple[str, str]]:
    return [(m.criterion.code, str(m.reason)) for m in error.missing]


# Submitting --------------------------------------------------------------------------------------


def test_an_empty_assessment_cannot_be_submitted_and_the_refusal_lists_what_is_missing(
    world: World,
) -> None:
    assessment = world.assessment()
    with pytest.raises(services.IncompleteAssessmentError) as error:
        services.assessment_submit(
            actor=world.head_a, assessment=assessment, version=assessment.version
        )
    assert missing_of(error.value) == [
        ("1.1", "chưa chấm điểm"),
        ("1.1", "chưa có minh chứng"),
        ("1.2", "chưa chấm điểm"),
    ]
    assert "1.1. Thái độ, trách nhiệm với người dân, doanh nghiệp: chưa có minh chứng" in (
        error.value.messages
    )
    assert world.assessment().status == AssessmentStatus.DRAFT
    assert not AssessmentEvent.objects.exists()


def test_the_missing_list_names_exactly_what_is_still_left(world: World) -> None:
    world.save({"1.1": "8"})
    assessment = world.assessment()
    with pytest.raises(services.IncompleteAssessmentError) as error:
        services.assessment_submit(
            actor=world.head_a, assessment=assessment, version=assessment.version
        )
    assert missing_of(error.value) == [("1.1", "chưa có minh chứng"), ("1.2", "chưa chấm điểm")]

    world.attach("1.1")
    assessment = world.assessment()
    with pytest.raises(services.IncompleteAssessmentError) as error:
        services.assessment_submit(
            actor=world.head_a, assessment=assessment, version=assessment.version
        )
    assert missing_of(error.value) == [("1.2", "chưa chấm điểm")]


def test_a_complete_assessment_is_submitted_with_deduction_and_bonus_left_blank(
    world: World,
) -> None:
    assessment = world.complete()
    version = assessment.version
    services.assessment_submit(actor=world.head_a, assessment=assessment, version=version)
    saved = world.assessment()
    assert saved.status == AssessmentStatus.SUBMITTED
    assert saved.submitted_at is not None
    assert saved.last_submitted_at == saved.submitted_at
    assert saved.version == version + 1


def test_a_zero_is_a_score_and_lets_the_unit_submit(world: World) -> None:
    world.save({"1.1": "0", "1.2": "0"})
    world.attach("1.1")
    assessment = world.assessment()
    services.assessment_submit(
        actor=world.head_a, assessment=assessment, version=assessment.version
    )
    assert world.assessment().status == AssessmentStatus.SUBMITTED


def test_a_score_cleared_back_to_blank_is_missing_again(world: World) -> None:
    world.complete()
    world.save({"1.2": ""})
    assessment = world.assessment()
    assert assessment.items.get(criterion=world.criterion("1.2")).self_score is None
    with pytest.raises(services.IncompleteAssessmentError) as error:
        services.assessment_submit(
            actor=world.head_a, assessment=assessment, version=assessment.version
        )
    assert missing_of(error.value) == [("1.2", "chưa chấm điểm")]


def test_staff_may_save_a_draft_but_only_the_head_submits(world: World) -> None:
    world.save({"1.1": "8", "1.2": "5"}, actor=world.staff_a)
    world.attach("1.1", actor=world.staff_a)
    assessment = world.assessment()
    assert assessment.items.get(criterion=world.criterion("1.1")).self_score == Decimal(8)

    with pytest.raises(PermissionDenied):
        services.assessment_submit(
            actor=world.staff_a, assessment=assessment, version=assessment.version
        )
    assert world.assessment().status == AssessmentStatus.DRAFT

    services.assessment_submit(
        actor=world.head_a, assessment=assessment, version=assessment.version
    )
    assert world.assessment().status == AssessmentStatus.SUBMITTED


@pytest.mark.parametrize("who", ["head_b", "parent_head", "manager", "reviewer", "bystander"])
def test_only_the_units_own_people_may_write_its_assessment(world: World, who: str) -> None:
    world.save({"1.1": "8"})
    before = state(world)
    outsider = getattr(world, who)
    assessment = world.assessment()
    with pytest.raises(PermissionDenied):
        world.save({"1.1": "10"}, actor=outsider)
    with pytest.raises(PermissionDenied):
        world.attach("1.1", actor=outsider)
    with pytest.raises(PermissionDenied):
        services.assessment_submit(
            actor=outsider, assessment=assessment, version=assessment.version
        )
    assert state(world) == before


# Invalid scores ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "raw"),
    [
        pytest.param("1.1", "10.5", id="above-max"),
        pytest.param("1.1", "-0.5", id="negative"),
        pytest.param("1.1", "7.3", id="off-the-half-point-step"),
        pytest.param("1.1", "7.25", id="quarter-point"),
        pytest.param("1.1", "tám", id="not-a-number"),
        pytest.param("1.1", "NaN", id="nan"),
        pytest.param("1.1", "Infinity", id="infinity"),
        pytest.param("1.2", "3", id="yes-no-neither-0-nor-max"),
        pytest.param("1.2", "2.5", id="yes-no-half"),
        pytest.param("2", "5.5", id="deduction-above-max"),
        pytest.param("3", "-1", id="negative-bonus"),
        pytest.param("I", "1", id="a-section"),
    ],
)
def test_an_invalid_score_refuses_the_whole_save_and_changes_nothing(
    world: World, code: str, raw: str
) -> None:
    world.save({"1.1": "8", "1.2": "5"}, notes={"1.1": "Có biên bản"})
    before = state(world)
    scores = {"1.1": "9", "1.2": "0", "2": "1"}
    scores[code] = raw
    with pytest.raises(ValidationError):
        world.save(scores, notes={"1.1": "Ghi chú mới"})
    assert state(world) == before


def test_a_forged_criterion_of_another_campaign_is_refused_and_changes_nothing(
    world: World, foreign_criterion: Criterion
) -> None:
    world.save({"1.1": "8"})
    before = state(world)
    assessment = world.assessment()
    entries = world.entries({"1.1": "9"})
    entries[foreign_criterion.pk] = ("5", "")
    with pytest.raises(ValidationError) as error:
        services.assessment_save_draft(
            actor=world.head_a,
            assessment=assessment,
            version=assessment.version,
            entries=entries,
        )
    assert error.value.code == "foreign_criterion"
    assert state(world) == before
    assert not AssessmentItem.objects.filter(criterion=foreign_criterion).exists()


def test_a_score_written_with_a_decimal_comma_is_understood(world: World) -> None:
    world.save({"1.1": "8,5"})
    assert world.assessment().items.get().self_score == Decimal("8.5")


def test_a_blank_section_score_is_ignored(world: World) -> None:
    world.save({"I": "", "1.1": "8"})
    assert list(world.assessment().items.values_list("criterion__code", flat=True)) == ["1.1"]


# The window --------------------------------------------------------------------------------------


def test_nothing_can_be_written_once_the_window_is_closed(world: World) -> None:
    world.save({"1.1": "8", "1.2": "5"})
    campaign_services.campaign_transition(
        actor=world.manager, campaign=world.campaign, action="close_window"
    )
    before = state(world)
    with pytest.raises(ValidationError, match="hết thời hạn"):
        world.save({"1.1": "9"})
    with pytest.raises(ValidationError, match="hết thời hạn"):
        world.attach("1.1")
    assessment = world.assessment()
    with pytest.raises(ValidationError, match="hết thời hạn"):
        services.assessment_submit(
            actor=world.head_a, assessment=assessment, version=assessment.version
        )
    assert state(world) == before


def test_the_last_day_is_open_and_the_day_after_is_closed_even_before_beat_runs(
    world: World,
) -> None:
    today = timezone.localdate()
    campaign_services.campaign_update(
        actor=world.manager, campaign=world.campaign, window_closes_on=today
    )
    world.save({"1.1": "8"})

    campaign_services.campaign_update(
        actor=world.manager,
        campaign=world.campaign,
        window_closes_on=today - datetime.timedelta(days=1),
    )
    # The calendar closes it at once (no beat needed); the save is refused either way.
    assert world.enrolment().campaign.status == "window_closed"
    before = state(world)
    with pytest.raises(ValidationError, match="hết thời hạn"):
        world.save({"1.1": "9"})
    assert state(world) == before


def test_a_reopened_unit_may_save_and_submit_again_while_the_others_stay_closed(
    world: World,
) -> None:
    campaign_services.campaign_transition(
        actor=world.manager, campaign=world.campaign, action="close_window"
    )
    until = timezone.localdate() + datetime.timedelta(days=3)
    campaign_services.enrolment_reopen(
        actor=world.manager, enrolment=world.enrolment(), until=until, reason="Mất điện"
    )

    world.submit()
    assert world.assessment().status == AssessmentStatus.SUBMITTED

    with pytest.raises(ValidationError, match="hết thời hạn"):
        world.save({"1.1": "8"}, unit=world.unit_b)
    assert not AssessmentItem.objects.filter(assessment__enrolment__unit=world.unit_b).exists()
    assert not services.window_is_open(world.enrolment(), today=until + datetime.timedelta(days=1))


# Submitted: read-only ----------------------------------------------------------------------------


def test_a_submitted_assessment_is_read_only_and_cannot_be_submitted_twice(world: World) -> None:
    world.submit()
    before = state(world)
    assessment = world.assessment()
    evidence = Evidence.objects.get(item__assessment=assessment)

    with pytest.raises(ValidationError, match="đã nộp"):
        world.save({"1.1": "10"})
    with pytest.raises(ValidationError, match="đã nộp"):
        world.attach("1.1")
    with pytest.raises(ValidationError, match="đã nộp"):
        services.evidence_remove(actor=world.head_a, evidence=evidence)
    with pytest.raises(ValidationError):
        services.assessment_submit(
            actor=world.head_a, assessment=assessment, version=assessment.version
        )
    assert state(world) == before
    assert Path(evidence.file.path).read_bytes() == PDF


# The version guard -------------------------------------------------------------------------------


@pytest.mark.parametrize("reloaded", [False, True], ids=["form-object", "reloaded-object"])
def test_a_save_from_a_stale_form_is_refused_with_the_other_users_change(
    world: World, reloaded: bool
) -> None:
    head_form = world.assessment()  # the head opens the form ...
    loaded_at = head_form.version
    world.save({"1.1": "6"}, actor=world.staff_a)  # ... the staff member saves first
    before = state(world)

    assessment = world.assessment() if reloaded else head_form
    with pytest.raises(services.ConcurrentEditError) as error:
        services.assessment_save_draft(
            actor=world.head_a,
            assessment=assessment,
            version=loaded_at,
            entries=world.entries({"1.1": "9", "1.2": "5"}),
        )
    changes = [
        (c.actor, c.criterion.code, c.field, c.old_value, c.new_value) for c in error.value.changes
    ]
    assert changes == [(world.staff_a, "1.1", "self_score", "", "6")]
    assert "vừa được người khác lưu" in error.value.messages[0]
    assert state(world) == before


def test_a_submit_from_a_stale_form_is_refused(world: World) -> None:
    form = world.complete()
    world.save({"1.2": "0"}, actor=world.staff_a)
    with pytest.raises(services.ConcurrentEditError):
        services.assessment_submit(actor=world.head_a, assessment=form, version=form.version)
    assert world.assessment().status == AssessmentStatus.DRAFT


# History -----------------------------------------------------------------------------------------


def events(world: World) -> list[tuple[object, ...]]:
    return [
        (e.actor, e.criterion.code if e.criterion else None, e.field, e.old_value, e.new_value)
        for e in world.assessment().events.order_by("pk")
    ]


def test_every_score_change_is_recorded_with_its_author_and_old_and_new_values(
    world: World,
) -> None:
    world.save({"1.1": "8"})
    world.save({"1.1": "7.5", "1.2": "5"}, actor=world.staff_a)
    world.save({"1.1": "7.5", "1.2": "5"}, notes={"1.1": "Bổ sung giải trình"})  # no score change

    recorded = events(world)
    assert recorded[0] == (world.head_a, "1.1", "self_score", "", "8")
    assert recorded[1][:3] == (world.staff_a, "1.1", "self_score")
    assert Decimal(recorded[1][3]) == Decimal(8) and Decimal(recorded[1][4]) == Decimal("7.5")
    assert recorded[2] == (world.staff_a, "1.2", "self_score", "", "5")
    assert recorded[3] == (world.head_a, "1.1", "note", "", "Bổ sung giải trình")
    assert len(recorded) == 4


def test_every_status_change_and_file_is_recorded(world: World) -> None:
    evidence = world.attach("1.1")
    services.evidence_remove(actor=world.staff_a, evidence=evidence)
    world.submit()
    recorded = events(world)
    assert recorded[0] == (world.head_a, "1.1", "evidence", "", "bien-ban.pdf")
    assert recorded[1] == (world.staff_a, "1.1", "evidence", "bien-ban.pdf", "")
    assert recorded[-1] == (world.head_a, None, "status", "draft", "submitted")


# Evidence ----------------------------------------------------------------------------------------


def test_a_pdf_is_accepted_by_its_content_and_its_hash_and_size_are_kept(
    world: World, media_root: Path
) -> None:
    evidence = world.attach("1.1", name="Biên bản kiểm tra.pdf")
    assert evidence.original_name == "Biên bản kiểm tra.pdf"
    assert evidence.content_type == "application/pdf"
    assert evidence.size == len(PDF)
    assert evidence.sha256 == hashlib.sha256(PDF).hexdigest()
    assert evidence.uploaded_by == world.head_a
    assert "Biên bản" not in evidence.file.name
    assert Path(evidence.file.path).read_bytes() == PDF
    assert Path(evidence.file.path).is_relative_to(media_root)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        pytest.param("bien-ban.pdf", PNG, id="png-named-pdf"),
        pytest.param("anh.png", PDF, id="pdf-named-png"),
        pytest.param("bien-ban.pdf", b"just some text, not a pdf", id="text-named-pdf"),
        pytest.param("bien-ban.exe", PDF, id="type-not-allowed"),
    ],
)
def test_a_file_whose_content_is_not_what_its_name_says_is_refused(
    world: World, media_root: Path, name: str, content: bytes
) -> None:
    world.save({"1.1": "8"})
    before = state(world)
    with pytest.raises(ValidationError):
        world.attach("1.1", name=name, content=content)
    assert state(world) == before
    assert not [p for p in media_root.rglob("*") if p.is_file()]


def test_a_file_over_the_size_limit_is_refused_and_one_at_the_limit_is_accepted(
    world: World, settings: object
) -> None:
    settings.UPLOAD_MAX_BYTES = len(PDF) - 1  # type: ignore[attr-defined]
    with pytest.raises(ValidationError, match="quá lớn"):
        world.attach("1.1")
    assert not Evidence.objects.exists()
    settings.UPLOAD_MAX_BYTES = len(PDF)  # type: ignore[attr-defined]
    world.attach("1.1")
    assert Evidence.objects.count() == 1


def test_evidence_cannot_be_attached_to_a_section_or_another_campaigns_criterion(
    world: World, foreign_criterion: Criterion
) -> None:
    assessment = world.assessment()
    for criterion in (world.criterion("I"), foreign_criterion):
        with pytest.raises(ValidationError):
            services.evidence_add(
                actor=world.head_a,
                assessment=assessment,
                criterion_id=criterion.pk,
                upload=pdf_upload(),
            )
    assert not Evidence.objects.exists()


def test_a_file_can_be_removed_from_a_draft_and_leaves_the_disk_after_commit(
    world: World, django_capture_on_commit_callbacks: object
) -> None:
    evidence = world.attach("1.1")
    path = Path(evidence.file.path)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        services.evidence_remove(actor=world.head_a, evidence=evidence)
    assert not Evidence.objects.exists()
    assert not path.exists()
    world.save({"1.1": "8", "1.2": "5"})
    assessment = world.assessment()
    with pytest.raises(services.IncompleteAssessmentError) as error:
        services.assessment_submit(
            actor=world.head_a, assessment=assessment, version=assessment.version
        )
    assert missing_of(error.value) == [("1.1", "chưa có minh chứng")]


def test_another_units_head_cannot_remove_a_file(world: World) -> None:
    evidence = world.attach("1.1")
    with pytest.raises(PermissionDenied):
        services.evidence_remove(actor=world.head_b, evidence=evidence)
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_a_save_refused_after_a_note_change_lists_that_change(world: World) -> None:
    world.save({"1.1": "8"})
    form = world.assessment()  # the staff member opens the form ...
    world.save({"1.1": "8"}, notes={"1.1": "Có biên bản họp chi bộ"})  # ... the head edits a note
    with pytest.raises(services.ConcurrentEditError) as error:
        services.assessment_save_draft(
            actor=world.staff_a,
            assessment=form,
            version=form.version,
            entries=world.entries({"1.1": "8"}, {"1.1": ""}),
        )
    assert [(c.criterion.code, c.new_value) for c in error.value.changes] == [
        ("1.1", "Có biên bản họp chi bộ")
    ]
