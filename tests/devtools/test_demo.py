"""The demo is built through the production services: each demo user has something to see, the
2019 results show every band, a critical cap, a deduction and a bonus, and 2026 is live."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from assessments.models import Assessment, AssessmentEvent
from campaigns.models import Campaign, Registration
from devtools.demo import CAMPAIGN_2019, CAMPAIGN_2022, CAMPAIGN_2026, seed_demo
from scoring.models import Result
from units.models import Membership, Unit, UnitLink

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> None:
    seed_demo()


def _published(code: str) -> list[Result]:
    return list(Result.objects.filter(run__campaign__code=code, run__is_published=True))


def test_a_second_run_changes_nothing(demo: None) -> None:
    counts = {
        model: model.objects.count()
        for model in (Unit, UnitLink, Campaign, Assessment, AssessmentEvent, Registration, User)
    }
    seed_demo()
    assert {model: model.objects.count() for model in counts} == counts


def test_the_2019_results_show_every_band_a_cap_a_deduction_and_a_bonus(demo: None) -> None:
    results = _published(CAMPAIGN_2019)
    assert {r.classification for r in results} == {"excellent", "good", "pass", "fail"}
    capped = [r for r in results if r.critical_shortfall]
    assert capped and all(r.classification == "good" and r.final_score >= 90 for r in capped)
    items = Assessment.objects.filter(enrolment__campaign__code=CAMPAIGN_2019)
    assert items.filter(items__criterion__kind="deduction", items__self_score__gt=0).exists()
    assert items.filter(items__criterion__kind="bonus", items__self_score__gt=0).exists()
    assert sorted(r.unit.name for r in results if r.exemplary) == [
        "Phòng Nội vụ huyện Kiên Lương",
        "Xã Hòa Điền",
    ]
    campaign = Campaign.objects.get(code=CAMPAIGN_2019)
    assert campaign.status == "published"
    assert set(
        Registration.objects.filter(enrolment__campaign=campaign).values_list("status", flat=True)
    ) == {"accepted"}


def test_the_2022_campaign_happened_in_2022(demo: None) -> None:
    campaign = Campaign.objects.get(code=CAMPAIGN_2022)
    assert campaign.status == "published"
    assert (campaign.window_opens_on.year, campaign.window_closes_on.year) == (2022, 2022)
    assert campaign.council_seats.count() >= 5


def test_the_2026_campaign_is_live_after_the_reform(demo: None) -> None:
    campaign = Campaign.objects.get(code=CAMPAIGN_2026)
    assert campaign.status == "window_open"
    assert campaign.authority.name == "Xã Kiên Lương"
    assert campaign.authority.parent.name == "Tỉnh An Giang"
    assert set(
        campaign.authority.predecessor_links.values_list("predecessor__name", flat=True)
    ) == {
        "Thị trấn Kiên Lương",
        "Xã Bình An",
        "Xã Bình Trị",
    }
    statuses = list(
        Assessment.objects.filter(enrolment__campaign=campaign).values_list("status", flat=True)
    )
    assert statuses.count("submitted") >= 2 and statuses.count("draft") >= 2
    assert statuses.count("returned") == 1
    assert campaign.council_seats.count() >= 5
    for code in ("30814", "30811"):  # Hòn Nghệ and Sơn Hải go on
        assert Unit.objects.get(code=code).valid_to is None


def test_every_assessment_has_its_history(demo: None) -> None:
    assessments = Assessment.objects.all()
    assert assessments.count() >= 20
    without = assessments.exclude(pk__in=AssessmentEvent.objects.values("assessment"))
    assert not without.exists()
    accepted = AssessmentEvent.objects.filter(field="status", new_value="accepted")
    # Each acceptance names its reviewer, or says it was made on paper (the 2019 workbook).
    on_paper = accepted.filter(actor__isnull=True)
    assert on_paper.exists() and not on_paper.exclude(reason__contains="trên giấy").exists()
    assert accepted.count() == Assessment.objects.filter(status="accepted").count()
    assert AssessmentEvent.objects.filter(field="status", new_value="returned").exclude(reason="")


def test_people_head_one_unit_each_with_full_names(demo: None) -> None:
    heads = Membership.objects.filter(role="head")
    users = list(heads.values_list("user_id", flat=True))
    assert len(users) == len(set(users))
    for user in User.objects.filter(memberships__isnull=False).distinct():
        assert len(user.get_full_name().split()) >= 3, user.username
    assert not Unit.objects.filter(name__contains="(thứ hai)").exists()


@pytest.mark.parametrize("username", ["manager", "unithead", "council"])
def test_each_demo_user_sees_their_pages(demo: None, username: str) -> None:
    client = Client()
    client.force_login(User.objects.get(username=username))
    pages = [
        reverse("home"),
        reverse("campaigns:list"),
        reverse("campaigns:detail", args=[CAMPAIGN_2026]),
        reverse("units:tree"),
        reverse("units:detail", args=[Unit.objects.get(code="30787").pk]),
    ]
    if username != "unithead":  # the 2019 campaign is the manager's and the council's
        pages += [
            reverse("campaigns:detail", args=[CAMPAIGN_2019]),
            reverse("scoring:rankings", args=[CAMPAIGN_2019]),
        ]
    if username == "unithead":
        pages.append(reverse("assessments:my_assessments"))
    if username == "council":
        pages.append(reverse("assessments:review_queue"))
    for page in pages:
        assert client.get(page).status_code == 200, page
    if username == "manager":
        html = client.get(reverse("campaigns:detail", args=[CAMPAIGN_2019])).content.decode()
        assert "12 chưa đăng ký" not in html
