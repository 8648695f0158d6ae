"""Forms that refuse what makes no sense, in the service and on the page (422, the message beside
its field, as the hostile suite checks): a self-assessment window outside the campaign's dates,
an authority not in force on those dates, an award of a level that no longer exists on them,
a review started with an empty council."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from lxml import html as lxml_html

from campaigns import services
from campaigns.models import Campaign, CampaignStatus
from tests.factories import CriterionFactory, UnitFactory, kind, manager_of
from tests.hostile.shown import refused_forms, unshown
from units.models import Unit
from votes import selectors as vote_selectors
from votes import services as votes
from votes.models import Award

pytestmark = pytest.mark.django_db

DISTRICT_AWARD = "Giấy khen của Chủ tịch Ủy ban nhân dân huyện"
COMMUNE_AWARD = "Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã"
REFORM_EVE = datetime.date(2025, 6, 30)


@pytest.fixture
def province() -> Unit:
    return UnitFactory(kind=kind("tinh"), name="Tỉnh An Giang")


@pytest.fixture
def district(province: Unit) -> Unit:
    """A district as the reform left it: in force until 30/06/2025."""
    return UnitFactory(
        kind=kind("huyen"), name="Huyện Kiên Lương", parent=province, valid_to=REFORM_EVE
    )


@pytest.fixture
def manager(client: Client, province: Unit) -> User:
    user = manager_of(province)
    client.force_login(user)
    return user


def campaign_data(authority: Unit, **changes: str) -> dict[str, str]:
    return {
        "code": "VHCS-2026",
        "title": "Văn hóa công sở 2026",
        "authority": str(authority.pk),
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
        "window_opens_on": "2026-11-01",
        "window_closes_on": "2026-11-30",
        "exemplary_per_block": "1",
        "review_stages": "1",
        **changes,
    }


def refused_beside(response: object, name: str, message: str) -> None:
    """422, and the message beside the field `name`, as the hostile suite sees it."""
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert refused_forms(response) and unshown(response) == []  # type: ignore[arg-type]
    page = lxml_html.fromstring(response.content.decode())  # type: ignore[attr-defined]
    field = page.xpath("//*[@name=$name][contains(@class, 'is-invalid')]", name=name)
    assert field, f"{name} marked"
    assert message in page.text_content()


# The window lies inside the campaign's dates ----------------------------------------------------


def test_the_service_refuses_a_window_outside_the_campaigns_dates(
    manager: User, province: Unit
) -> None:
    with pytest.raises(ValidationError) as refused:
        services.campaign_create(
            actor=manager,
            code="VHCS-2027",
            title="Văn hóa công sở 2027",
            authority=province,
            starts_on=datetime.date(2027, 1, 1),
            ends_on=datetime.date(2027, 12, 31),
            window_opens_on=datetime.date(2026, 12, 1),
            window_closes_on=datetime.date(2026, 12, 20),
        )
    assert set(refused.value.message_dict) == {"window_opens_on"}
    assert "01/01/2027 – 31/12/2027" in refused.value.message_dict["window_opens_on"][0]
    assert not Campaign.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"window_opens_on": "2025-12-01"}, "window_opens_on"),
        ({"window_closes_on": "2027-01-15"}, "window_closes_on"),
    ],
)
def test_the_new_campaign_page_refuses_a_window_outside_its_dates(
    client: Client, manager: User, province: Unit, changes: dict[str, str], field: str
) -> None:
    response = client.post(reverse("campaigns:create"), campaign_data(province, **changes))
    refused_beside(response, field, "phải nằm trong thời gian của phong trào")
    assert not Campaign.objects.exists()


def test_the_edit_page_refuses_moving_the_end_before_the_window(
    client: Client, manager: User, province: Unit
) -> None:
    client.post(reverse("campaigns:create"), campaign_data(province))
    campaign = Campaign.objects.get()
    data = {
        "title": campaign.title,
        "starts_on": "2026-01-01",
        "ends_on": "2026-10-31",
        "window_opens_on": "2026-11-01",
        "window_closes_on": "2026-11-30",
        "exemplary_per_block": "1",
        "review_stages": "1",
        "score_step": "0.25",
        "excellent_min": "90",
        "good_min": "80",
        "pass_min": "50",
    }
    response = client.post(reverse("campaigns:update", args=[campaign.code]), data)
    assert response.status_code == 422
    assert unshown(response) == []
    assert "phải nằm trong thời gian của phong trào" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.ends_on == datetime.date(2026, 12, 31)


# Only an authority in force on the campaign's dates ---------------------------------------------


def test_the_service_refuses_an_authority_that_ended_before_the_campaign(
    manager: User, district: Unit
) -> None:
    with pytest.raises(ValidationError) as refused:
        services.campaign_create(
            actor=manager,
            code="VHCS-2026",
            title="Văn hóa công sở 2026",
            authority=district,
            starts_on=datetime.date(2026, 1, 1),
            ends_on=datetime.date(2026, 12, 31),
            window_opens_on=datetime.date(2026, 11, 1),
            window_closes_on=datetime.date(2026, 11, 30),
        )
    assert "hiệu lực đến 30/06/2025" in refused.value.message_dict["authority"][0]


def test_a_past_round_keeps_its_authority_of_that_time(manager: User, district: Unit) -> None:
    campaign = services.campaign_create(
        actor=manager,
        code="VHCS-2019",
        title="Văn hóa công sở 2019",
        authority=district,
        starts_on=datetime.date(2019, 1, 1),
        ends_on=datetime.date(2019, 12, 31),
        window_opens_on=datetime.date(2019, 11, 1),
        window_closes_on=datetime.date(2019, 11, 30),
    )
    assert campaign.authority == district


def test_the_new_campaign_page_marks_ended_bodies_and_refuses_them(
    client: Client, manager: User, district: Unit
) -> None:
    page = lxml_html.fromstring(client.get(reverse("campaigns:create")).content.decode())
    labels = page.xpath("//select[@name='authority']/option/text()")
    assert "Huyện Kiên Lương (hiệu lực đến 30/06/2025)" in labels
    response = client.post(reverse("campaigns:create"), campaign_data(district))
    refused_beside(response, "authority", "hiệu lực đến 30/06/2025")
    assert not Campaign.objects.exists()


# Only awards whose level exists on the campaign's dates ------------------------------------------


@pytest.fixture
def commune_2026(manager: User, province: Unit, district: Unit) -> Campaign:
    """A commune of 2026 (after the reform: no district above it), with its council session."""
    commune = UnitFactory(
        kind=kind("xa"),
        name="Xã Kiên Lương",
        parent=province,
        valid_from=datetime.date(2025, 7, 1),
    )
    head = manager_of(commune)
    campaign = services.campaign_create(
        actor=head,
        code="XKL-2026",
        title="Văn hóa công sở 2026",
        authority=commune,
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
        window_opens_on=datetime.date(2026, 11, 1),
        window_closes_on=datetime.date(2026, 11, 30),
    )
    services.campaign_enrol(
        actor=head, campaign=campaign, units=[UnitFactory(parent=commune, name="Hội Nông dân")]
    )
    votes.session_create(actor=head, campaign=campaign, held_on=datetime.date(2026, 12, 20))
    return campaign


def test_a_2026_commune_is_offered_no_award_of_the_abolished_district_level(
    commune_2026: Campaign,
) -> None:
    names = set(vote_selectors.awards_for(commune_2026).values_list("name", flat=True))
    assert DISTRICT_AWARD not in names
    assert {COMMUNE_AWARD, "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh"} <= names


def test_a_2019_district_is_offered_its_own_awards_and_not_the_communes(
    manager: User, district: Unit
) -> None:
    campaign = services.campaign_create(
        actor=manager,
        code="KL-2019",
        title="Văn hóa công sở 2019",
        authority=district,
        starts_on=datetime.date(2019, 1, 1),
        ends_on=datetime.date(2019, 12, 31),
        window_opens_on=datetime.date(2019, 11, 1),
        window_closes_on=datetime.date(2019, 11, 30),
    )
    names = set(vote_selectors.awards_for(campaign).values_list("name", flat=True))
    assert DISTRICT_AWARD in names and COMMUNE_AWARD not in names


def test_the_service_refuses_an_award_of_a_level_gone_on_the_campaigns_dates(
    commune_2026: Campaign,
) -> None:
    session = commune_2026.sessions.get()
    with pytest.raises(ValidationError) as refused:
        votes.nomination_add(
            actor=None,
            session=session,
            enrolment=commune_2026.enrolments.get(),
            award=Award.objects.get(name=DISTRICT_AWARD),
        )
    assert refused.value.code == "level_gone"
    assert not session.nominations.exists()


def test_the_session_page_offers_and_takes_no_award_of_a_level_gone(
    client: Client, commune_2026: Campaign
) -> None:
    session = commune_2026.sessions.get()
    client.force_login(manager_of(commune_2026.authority))  # type: ignore[arg-type]
    url = reverse("votes:session", args=[commune_2026.code, session.pk])
    page = lxml_html.fromstring(client.get(url).content.decode())
    offered = page.xpath("//select[@name='award']/option/text()")
    assert offered and DISTRICT_AWARD not in " ".join(offered)
    response = client.post(
        reverse("votes:action", args=[commune_2026.code, session.pk, "nominate"]),
        {
            "recipient_kind": "collective",
            "enrolment": commune_2026.enrolments.get().pk,
            "award": Award.objects.get(name=DISTRICT_AWARD).pk,
        },
    )
    refused_beside(response, "award", "Lựa chọn không hợp lệ")
    assert not session.nominations.exists()


# No review with an empty council -----------------------------------------------------------------


def closed_window(manager: User, province: Unit) -> Campaign:
    campaign = services.campaign_create(
        actor=manager,
        code="VHCS-2026",
        title="Văn hóa công sở 2026",
        authority=province,
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
        window_opens_on=datetime.date(2026, 11, 1),
        window_closes_on=datetime.date(2026, 11, 30),
    )
    CriterionFactory(checklist=campaign.checklist)
    services.campaign_enrol(actor=manager, campaign=campaign, units=[UnitFactory(parent=province)])
    services.campaign_launch(actor=manager, campaign=campaign)
    services.campaign_transition(actor=manager, campaign=campaign, action="open_window")
    services.campaign_transition(actor=manager, campaign=campaign, action="close_window")
    return campaign


def test_the_service_refuses_to_start_review_with_an_empty_council(
    manager: User, province: Unit
) -> None:
    campaign = closed_window(manager, province)
    with pytest.raises(ValidationError) as refused:
        services.campaign_transition(actor=manager, campaign=campaign, action="start_review")
    assert refused.value.code == "empty_council"
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.WINDOW_CLOSED


def test_the_page_refuses_to_start_review_with_an_empty_council(
    client: Client, manager: User, province: Unit
) -> None:
    campaign = closed_window(manager, province)
    response = client.post(
        reverse("campaigns:transition", args=[campaign.code, "start_review"]), {"confirmed": "1"}
    )
    assert response.status_code == 422
    assert unshown(response) == []
    assert "Hội đồng thi đua khen thưởng chưa có thành viên nào" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.WINDOW_CLOSED
