"""The classification rules a campaign sets (docs/domain.md "Scoring rules": bands and bounds, "no
criterion at 0" for the top bands, the band of a unit that never submitted, caps by kind of
critical criterion, limits on the bonus and the deductions), computed by a real scoring run."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from campaigns import services
from campaigns.forms import CampaignUpdateForm
from campaigns.models import CLASSIFICATION_RULES, Campaign, CampaignEvent, CampaignStatus
from scoring import selectors
from scoring.exports import COLUMNS, csv_lines
from scoring.models import Result
from tests.factories import manager_of
from tests.scoring.scoring_cases import Case
from tests.scoring.test_scoring_rules import score

pytestmark = pytest.mark.django_db

D = Decimal

# Cần Thơ, QĐ 2579/QĐ-UBND of 21/11/2025: xuất sắc ≥ 95 and tốt ≥ 85 only with no criterion at 0;
# hoàn thành 75 to < 85; below 75 or not self-assessed: không hoàn thành; bonus and deduction each
# at most 3 points.
CAN_THO = {
    "excellent_min": D(95),
    "good_min": D(85),
    "pass_min": D(75),
    "zero_free_bands": 2,
    "unsubmitted_band": "fail",
    "bonus_limit": D(3),
    "deduction_limit": D(3),
}


def small_campaign(**settings: object) -> Case:
    """Base maximum 100: criteria 1 (60 points), 2 (35 points), 3 (yes/no, 5), a bonus T and a
    deduction D of 5 each. Ten units; the comments give the sums under Cần Thơ's rules."""
    case = Case(**settings).criterion("1", max_points="60").criterion("2", max_points="35")
    case.criterion("3", kind="yes_no", max_points="5")
    case.criterion("T", kind="bonus", max_points="5").criterion(
        "D", kind="deduction", max_points="5"
    )
    case.unit("A", {"1": "60", "2": "35", "3": "5", "T": "5", "D": "0"})  # 100 + 3 (not 5) = 103
    case.unit("B", {"1": "60", "2": "33", "3": "5", "T": "0", "D": "5"})  # 98 − 3 (not 5) = 95
    case.unit("C", {"1": "60", "2": "35", "3": "0", "T": "3"})  # 95 + 3 = 98, criterion 3 at 0
    case.unit("E", {"1": "60", "2": "25", "3": "5"})  # 90
    case.unit("F", {"1": "60", "2": "20", "3": "5"})  # 85
    case.unit("G", {"1": "60", "2": "19.5", "3": "5"})  # 84.5
    case.unit("H", {"1": "50", "2": "20", "3": "5"})  # 75
    case.unit("K", {"1": "50", "2": "19.5", "3": "5"})  # 74.5
    case.unit("Draft", {"1": "60", "2": "35", "3": "5"}, submitted=None)
    return case.unit("Nothing")


def table(results: dict[str, Result]) -> dict[str, tuple[object, ...]]:
    return {
        name: (r.final_score, r.self_score, r.rank, r.classification, r.exemplary)
        for name, r in results.items()
    }


def test_can_tho_2025_rules_classify_a_small_campaign_as_computed_by_hand() -> None:
    results = score(small_campaign(**CAN_THO))

    assert table(results) == {
        "A": (D("103.00"), D("103.00"), 1, "excellent", True),
        "B": (D("95.00"), D("95.00"), 3, "excellent", False),
        "C": (D("98.00"), D("98.00"), 2, "pass", False),  # xuất sắc and tốt need no 0
        "E": (D("90.00"), D("90.00"), 4, "good", False),
        "F": (D("85.00"), D("85.00"), 5, "good", False),
        "G": (D("84.50"), D("84.50"), 6, "pass", False),
        "H": (D("75.00"), D("75.00"), 7, "pass", False),
        "K": (D("74.50"), D("74.50"), 8, "fail", False),
        "Draft": (None, None, None, "fail", False),  # not self-assessed: không hoàn thành
        "Nothing": (None, None, None, "fail", False),
    }


def test_the_same_campaign_under_the_defaults_of_the_specification() -> None:
    results = score(small_campaign())

    assert table(results) == {
        "A": (D("105.00"), D("105.00"), 1, "excellent", True),
        "B": (D("93.00"), D("93.00"), 3, "excellent", False),
        "C": (D("98.00"), D("98.00"), 2, "excellent", False),
        "E": (D("90.00"), D("90.00"), 4, "excellent", False),
        "F": (D("85.00"), D("85.00"), 5, "good", False),
        "G": (D("84.50"), D("84.50"), 6, "good", False),
        "H": (D("75.00"), D("75.00"), 7, "pass", False),
        "K": (D("74.50"), D("74.50"), 8, "pass", False),
        "Draft": (None, None, None, "not_assessed", False),
        "Nothing": (None, None, None, "not_assessed", False),
    }


def test_the_limits_apply_to_the_reviewed_scores_and_the_self_scores_alike() -> None:
    case = Case(bonus_limit=D("1.5"), deduction_limit=D(2)).criterion("1", max_points="20")
    case.criterion("T", kind="bonus", max_points="5").criterion("D", kind="deduction")
    case.unit("A", {"1": "20", "T": "5", "D": "1"}).review("A", "D", "4", "5")  # mean 4.5
    results = score(case)

    assert results["A"].self_score == D("102.50")  # (20 + 1.5 − 1) / 20
    assert results["A"].final_score == D("97.50")  # (20 + 1.5 − 2) / 20


def test_the_export_keeps_its_columns_and_says_fail_for_a_unit_that_did_not_submit() -> None:
    results = score(small_campaign(**CAN_THO))
    run = results["A"].run

    lines = "".join(csv_lines(run)).splitlines()
    assert lines[0].split(",") == COLUMNS
    rows = {line.split(",")[1]: line.split(",") for line in lines[1:]}
    assert rows["Nothing"][3:] == ["", "", "", "", "fail", "false", "false"]
    assert rows["C"][3:] == ["98.00", "98.00", "2", "", "pass", "false", "false"]


@pytest.mark.parametrize(
    ("kind", "max_points", "scores", "cap"),
    [
        ("points", "10", {"C": "9.5"}, "pass"),
        ("yes_no", "10", {"C": "0"}, "fail"),
        ("deduction", "5", {"C": "0.5"}, "excellent"),
    ],
)
def test_a_critical_shortfall_caps_the_band_by_the_setting_for_its_kind(
    kind: str, max_points: str, scores: dict[str, str], cap: str
) -> None:
    others = {"points": "good", "yes_no": "good", "deduction": "good"}
    settings = {f"critical_{k}_cap": cap if k == kind else v for k, v in others.items()}
    case = Case(**settings).criterion("1", max_points="100")
    case.criterion("C", kind=kind, max_points=max_points, critical=True)
    results = score(case.unit("A", {"1": "100", **scores}))

    assert results["A"].final_score >= D(90)
    assert results["A"].classification == cap
    assert results["A"].critical_shortfall is True
    assert results["A"].exemplary is False  # a critical shortfall never leads, whatever the cap


@pytest.mark.parametrize(("bands", "expected"), [(0, "excellent"), (1, "good"), (3, "fail")])
def test_a_criterion_at_0_keeps_a_unit_out_of_the_top_bands_the_setting_names(
    bands: int, expected: str
) -> None:
    case = (
        Case(zero_free_bands=bands).criterion("1", max_points="99").criterion("2", max_points="1")
    )
    results = score(case.unit("A", {"1": "99", "2": "0"}).unit("B", {"1": "99", "2": "1"}))

    assert results["A"].final_score == D("99.00")
    assert results["A"].classification == expected
    assert results["B"].classification == "excellent"


def test_the_unit_page_says_why_its_band_was_lowered(client: Client) -> None:
    case = small_campaign(**CAN_THO)
    results = score(case)
    client.force_login(manager_of(case.campaign.authority))

    page = client.get(
        reverse("scoring:unit_result", args=[case.campaign.code, results["C"].enrolment_id])
    ).content.decode()
    assert "Xếp loại thấp hơn mức điểm đạt được" in page
    assert "Tiêu chí 3. 3 được 0 điểm: xếp loại tối đa Hoàn thành." in page

    page = client.get(
        reverse("scoring:unit_result", args=[case.campaign.code, results["Nothing"].enrolment_id])
    ).content.decode()
    assert "theo quy định của phong trào, xếp loại Không hoàn thành" in page
    assert "Xếp loại thấp hơn mức điểm đạt được" not in page


def test_the_rankings_mark_each_unit_whose_band_was_lowered(client: Client) -> None:
    case = small_campaign(**CAN_THO)
    score(case)
    client.force_login(manager_of(case.campaign.authority))

    response = client.get(reverse("scoring:rankings", args=[case.campaign.code]))
    lowered = {r.unit_name for r in response.context["page_obj"] if r.band_lowered}
    assert lowered == {"C"}  # B (95 with a deduction limited to 3) and G (84.5) are as scored
    assert response.content.decode().count("bị hạ xếp loại") == 1


def test_the_reasons_name_each_rule_that_lowered_the_band_and_only_those() -> None:
    case = Case(zero_free_bands=1, critical_points_cap="pass").criterion("1", max_points="95")
    case.criterion("2", max_points="5", critical=True)
    case.unit("A", {"1": "95", "2": "0"}).unit("B", {"1": "80", "2": "0"})
    results = score(case.unit("C", {"1": "95", "2": "5"}))
    campaign = case.campaign

    assert [results[n].classification for n in "ABC"] == ["pass", "pass", "excellent"]
    assert selectors.band_reasons(results["A"]) == [
        "Chưa đạt tiêu chí bắt buộc 2. 2: xếp loại tối đa Hoàn thành.",
        "Tiêu chí 2. 2 được 0 điểm: xếp loại tối đa Hoàn thành tốt.",
    ]
    # B's 80 reaches Hoàn thành tốt, which a criterion at 0 allows: only the critical rule counts.
    assert selectors.band_reasons(results["B"]) == [
        "Chưa đạt tiêu chí bắt buộc 2. 2: xếp loại tối đa Hoàn thành.",
    ]
    assert selectors.band_reasons(results["C"]) == []

    # The reasons are the run's: rules changed afterwards apply to the next run only.
    Campaign.objects.filter(pk=campaign.pk).update(
        zero_free_bands=0, critical_points_cap="excellent"
    )
    results["A"].refresh_from_db()
    assert len(selectors.band_reasons(results["A"])) == 2


def edit_data(campaign: Campaign, **changes: object) -> dict[str, object]:
    """What the edit page posts: the form as it stands, with `changes`."""
    form = CampaignUpdateForm(instance=campaign)
    data = {name: form[name].value() for name in form.fields}
    data.update(changes)
    return {name: "" if value is None else value for name, value in data.items()}


def test_the_manager_sets_the_rules_on_the_campaign_form_before_launch(client: Client) -> None:
    case = Case()
    Campaign.objects.filter(pk=case.campaign.pk).update(status=CampaignStatus.DRAFT)
    campaign = Campaign.objects.get(pk=case.campaign.pk)
    manager = manager_of(campaign.authority)
    client.force_login(manager)
    url = reverse("campaigns:update", args=[campaign.code])

    page = client.get(url).content.decode()
    assert "Quy tắc xếp loại" in page and "Hạng yêu cầu không có tiêu chí 0 điểm" in page
    response = client.post(url, edit_data(campaign, **CAN_THO))

    assert response.status_code == 302
    campaign.refresh_from_db()
    assert {name: getattr(campaign, name) for name in CAN_THO} == CAN_THO
    event = CampaignEvent.objects.get(campaign=campaign, subject="zero_free_bands")
    assert (event.actor, event.old_value, event.new_value) == (manager, "0", "2")
    history = client.get(reverse("campaigns:history", args=[campaign.code])).content.decode()
    assert (
        "đổi hạng yêu cầu không có tiêu chí 0 điểm từ “Không áp dụng” thành "
        "“Hoàn thành xuất sắc và Hoàn thành tốt”"
    ) in history


def test_after_launch_the_rules_are_fixed(client: Client) -> None:
    case = Case(**CAN_THO)
    campaign = case.campaign  # under review
    manager = manager_of(campaign.authority)
    client.force_login(manager)

    form = client.get(reverse("campaigns:update", args=[campaign.code])).context["form"]
    assert all(form.fields[name].disabled for name in CLASSIFICATION_RULES)
    with pytest.raises(ValidationError):
        services.campaign_update(actor=manager, campaign=campaign, bonus_limit=None)
    campaign.refresh_from_db()
    assert campaign.bonus_limit == D(3)
    assert not CampaignEvent.objects.filter(campaign=campaign, subject="bonus_limit").exists()


def test_a_negative_limit_or_an_unknown_band_is_refused() -> None:
    campaign = Case().campaign
    campaign.deduction_limit, campaign.critical_yes_no_cap = D(-1), "best"
    with pytest.raises(ValidationError) as refused:
        campaign.full_clean()
    assert {"deduction_limit", "critical_yes_no_cap"} <= set(refused.value.message_dict)
    for wrong in [{"bonus_limit": D(-1)}, {"zero_free_bands": 4}, {"unsubmitted_band": "good"}]:
        with pytest.raises(IntegrityError), transaction.atomic():
            Campaign.objects.filter(pk=campaign.pk).update(**wrong)
