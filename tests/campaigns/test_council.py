"""The council in the portal: seats with roles, changed through the services with history, on the
council page of the campaign; one authority never touches another's council."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from campaigns import services
from campaigns.history import history_lines
from campaigns.models import Campaign, CampaignEvent, CouncilSeat
from tests.factories import MembershipFactory, UnitFactory, UserFactory, kind
from units.models import Unit
from units.roles import Role

pytestmark = pytest.mark.django_db

CHAIR, VICE, MEMBER, SECRETARY = (
    CouncilSeat.Role.CHAIR,
    CouncilSeat.Role.VICE_CHAIR,
    CouncilSeat.Role.MEMBER,
    CouncilSeat.Role.SECRETARY,
)


def person(name: str, unit: Unit | None = None) -> User:
    """An account with a full name, of `unit` (staff) or of no unit (a council account)."""
    username = name.lower().replace(" ", "")
    user = UserFactory(username=username, first_name=name, roles=[Role.COUNCIL_MEMBER])
    if unit is not None:
        MembershipFactory(user=user, unit=unit, role="staff")
    return user


def seats(campaign: Campaign) -> list[tuple[str, str, object, object]]:
    rows = campaign.council_seats.order_by("pk")
    return list(rows.values_list("user__first_name", "role", "valid_from", "valid_to"))


def council_events(campaign: Campaign) -> list[str]:
    events = CampaignEvent.objects.filter(campaign=campaign, action__startswith="council_seat")
    return [line.sentence for line in history_lines(events.order_by("pk"))]


@pytest.fixture
def people(communes: list[Unit]) -> dict[str, User]:
    return {
        "chair": person("Trần Quốc Khánh", communes[0]),
        "vice": person("Nguyễn Thị Mai Lan", communes[1]),
        "vice2": person("Đặng Minh Thành"),
        "member": person("Phan Văn Hậu", communes[2]),
        "secretary": person("Lê Văn Hội"),
    }


@pytest.fixture
def other_authority() -> tuple[Unit, User, Campaign]:
    """Another district with its own manager, an account of its own and a campaign."""
    other = UnitFactory(code="GT", name="Huyện Giang Thành", kind=kind("huyen"))
    manager = UserFactory(username="manager_gt", roles=[Role.CAMPAIGN_MANAGER])
    MembershipFactory(user=manager, unit=other, role="officer")
    campaign = services.campaign_create(
        actor=manager,
        code="GT-2019",
        title="Văn hóa công sở Giang Thành 2019",
        authority=other,
        starts_on=datetime.date(2019, 8, 8),
        ends_on=datetime.date(2019, 12, 31),
        window_opens_on=datetime.date(2019, 11, 1),
        window_closes_on=datetime.date(2019, 11, 30),
    )
    return other, manager, campaign


@pytest.fixture
def later(manager: User, district: Unit) -> Campaign:
    """The same authority's campaign of the next year, with no council yet."""
    return services.campaign_create(
        actor=manager,
        code="VHCS-2020",
        title="Văn hóa công sở 2020",
        authority=district,
        starts_on=datetime.date(2020, 1, 1),
        ends_on=datetime.date(2020, 12, 31),
        window_opens_on=datetime.date(2020, 11, 1),
        window_closes_on=datetime.date(2020, 11, 30),
    )


@pytest.fixture
def seat(campaign: Campaign, manager: User, people: dict[str, User]) -> CouncilSeat:
    """Phan Văn Hậu seated as a member."""
    return services.council_seat_set(actor=manager, campaign=campaign, user=people["member"])


@pytest.fixture
def outsider(other_authority: tuple[Unit, User, Campaign]) -> User:
    """A person of a unit of the other district."""
    other, _manager, _campaign = other_authority
    return person("Võ Thị Mai", UnitFactory(parent=other))


# Services ----------------------------------------------------------------------------------------


def test_manager_seats_a_chair_a_secretary_and_members_each_with_a_history_line(
    campaign: Campaign, manager: User, people: dict[str, User]
) -> None:
    for key, role in [("chair", CHAIR), ("vice", VICE), ("vice2", VICE), ("secretary", SECRETARY)]:
        services.council_seat_set(actor=manager, campaign=campaign, user=people[key], role=role)
    services.council_seat_set(actor=manager, campaign=campaign, user=people["member"])

    assert [(name, role) for name, role, *_dates in seats(campaign)] == [
        ("Trần Quốc Khánh", CHAIR),
        ("Nguyễn Thị Mai Lan", VICE),
        ("Đặng Minh Thành", VICE),
        ("Lê Văn Hội", SECRETARY),
        ("Phan Văn Hậu", MEMBER),
    ]
    assert council_events(campaign)[0] == (
        "xếp Trần Quốc Khánh vào Hội đồng, chức danh “Chủ tịch”."
    )
    assert len(council_events(campaign)) == 5
    event = CampaignEvent.objects.filter(action="council_seat_add").first()
    assert event is not None and event.actor == manager


def test_setting_the_same_role_again_changes_nothing_and_writes_no_line(
    campaign: Campaign, manager: User, people: dict[str, User]
) -> None:
    services.council_seat_set(actor=manager, campaign=campaign, user=people["chair"], role=CHAIR)
    services.council_seat_set(actor=manager, campaign=campaign, user=people["chair"], role=CHAIR)

    assert len(seats(campaign)) == 1
    assert len(council_events(campaign)) == 1


def test_a_second_chair_or_secretary_is_refused_in_vietnamese(
    campaign: Campaign, manager: User, people: dict[str, User]
) -> None:
    services.council_seat_set(actor=manager, campaign=campaign, user=people["chair"], role=CHAIR)
    services.council_seat_set(
        actor=manager, campaign=campaign, user=people["secretary"], role=SECRETARY
    )
    before = seats(campaign)

    with pytest.raises(ValidationError, match="Hội đồng đã có Chủ tịch"):
        services.council_seat_set(actor=manager, campaign=campaign, user=people["vice"], role=CHAIR)
    with pytest.raises(ValidationError, match="Hội đồng đã có Thư ký"):
        services.council_seat_set(
            actor=manager, campaign=campaign, user=people["chair"], role=SECRETARY
        )

    assert seats(campaign) == before
    assert len(council_events(campaign)) == 2


def test_the_chair_changes_hands_after_the_old_chair_steps_down(
    campaign: Campaign, manager: User, people: dict[str, User]
) -> None:
    services.council_seat_set(actor=manager, campaign=campaign, user=people["chair"], role=CHAIR)
    services.council_seat_set(actor=manager, campaign=campaign, user=people["chair"], role=VICE)
    services.council_seat_set(actor=manager, campaign=campaign, user=people["vice"], role=CHAIR)

    assert [(name, role) for name, role, *_dates in seats(campaign)] == [
        ("Trần Quốc Khánh", VICE),
        ("Nguyễn Thị Mai Lan", CHAIR),
    ]
    assert council_events(campaign)[1] == (
        "đổi chức danh của Trần Quốc Khánh trong Hội đồng từ “Chủ tịch” thành “Phó Chủ tịch”."
    )


def test_a_removal_dated_later_ends_the_seat_the_day_before(
    campaign: Campaign,
    manager: User,
    seat: CouncilSeat,
) -> None:
    services.council_seat_remove(actor=manager, seat=seat, on=datetime.date(2019, 12, 1))

    assert seats(campaign) == [("Phan Văn Hậu", MEMBER, None, datetime.date(2019, 11, 30))]
    assert council_events(campaign)[-1] == "bỏ Phan Văn Hậu (“Ủy viên”) khỏi Hội đồng."
    event = CampaignEvent.objects.get(action="council_seat_remove")
    assert event.reason == "có hiệu lực từ ngày 01/12/2019"


def test_a_removal_before_any_vote_leaves_no_seat_but_its_history(
    campaign: Campaign,
    manager: User,
    seat: CouncilSeat,
) -> None:
    services.council_seat_remove(actor=manager, seat=seat)

    assert seats(campaign) == []
    assert len(council_events(campaign)) == 2


def test_a_role_change_dated_later_keeps_the_old_role_until_then(
    campaign: Campaign, manager: User, people: dict[str, User]
) -> None:
    services.council_seat_set(actor=manager, campaign=campaign, user=people["member"])
    services.council_seat_set(
        actor=manager,
        campaign=campaign,
        user=people["member"],
        role=SECRETARY,
        on=datetime.date(2019, 12, 1),
    )

    assert seats(campaign) == [
        ("Phan Văn Hậu", MEMBER, None, datetime.date(2019, 11, 30)),
        ("Phan Văn Hậu", SECRETARY, datetime.date(2019, 12, 1), None),
    ]
    in_force = CouncilSeat.objects.in_force(datetime.date(2019, 11, 15)).get()
    assert in_force.role == MEMBER
    assert CouncilSeat.objects.in_force(datetime.date(2019, 12, 20)).get().role == SECRETARY


def test_a_change_dated_on_or_before_a_session_that_voted_is_refused(
    campaign: Campaign,
    manager: User,
    seat: CouncilSeat,
) -> None:
    services.council_fix(campaign=campaign, through=datetime.date(2019, 12, 20))
    campaign.refresh_from_db()

    with pytest.raises(ValidationError, match="từ ngày 21/12/2019 trở đi"):
        services.council_seat_remove(actor=manager, seat=seat, on=datetime.date(2019, 12, 20))
    services.council_seat_remove(actor=manager, seat=seat)

    assert seats(campaign) == [("Phan Văn Hậu", MEMBER, None, datetime.date(2019, 12, 20))]


def test_manager_of_another_authority_cannot_seat_change_or_remove(
    campaign: Campaign,
    manager: User,
    people: dict[str, User],
    other_authority: tuple[Unit, User, Campaign],
    seat: CouncilSeat,
) -> None:
    _unit, other_manager, _campaign = other_authority
    before = seats(campaign)

    with pytest.raises(PermissionDenied):
        services.council_seat_set(
            actor=other_manager, campaign=campaign, user=people["chair"], role=CHAIR
        )
    with pytest.raises(PermissionDenied):
        services.council_seat_set(
            actor=other_manager, campaign=campaign, user=people["member"], role=CHAIR
        )
    with pytest.raises(PermissionDenied):
        services.council_seat_remove(actor=other_manager, seat=seat)
    with pytest.raises(PermissionDenied):
        services.council_seats_set(
            actor=other_manager, campaign=campaign, seats=[(people["vice"], VICE)]
        )

    assert seats(campaign) == before


def test_a_person_of_another_authority_cannot_sit_on_the_council(
    campaign: Campaign, manager: User, outsider: User
) -> None:
    with pytest.raises(PermissionDenied, match="không thuộc đơn vị nào của Huyện Kiên Lương"):
        services.council_seat_set(actor=manager, campaign=campaign, user=outsider)

    assert seats(campaign) == []


def test_the_council_is_copied_from_another_campaign_of_the_same_authority(
    campaign: Campaign, manager: User, later: Campaign, people: dict[str, User]
) -> None:
    services.council_seat_set(actor=manager, campaign=campaign, user=people["chair"], role=CHAIR)
    services.council_seat_set(
        actor=manager, campaign=campaign, user=people["secretary"], role=SECRETARY
    )
    services.council_seat_set(actor=manager, campaign=campaign, user=people["member"])

    counts = services.council_copy(actor=manager, campaign=later, source=campaign)
    again = services.council_copy(actor=manager, campaign=later, source=campaign)

    assert counts["created:council_seat"] == 3
    assert not again
    assert [(n, r) for n, r, *_dates in seats(later)] == [
        (n, r) for n, r, *_dates in seats(campaign)
    ]
    assert len(council_events(later)) == 3


def test_the_council_is_not_copied_from_another_authority(
    campaign: Campaign, manager: User, other_authority: tuple[Unit, User, Campaign]
) -> None:
    _unit, other_manager, other_campaign = other_authority
    services.council_seat_set(
        actor=other_manager, campaign=other_campaign, user=person("Võ Thị Mai"), role=CHAIR
    )

    with pytest.raises(ValidationError, match="cùng cơ quan phát động"):
        services.council_copy(actor=manager, campaign=campaign, source=other_campaign)
    with pytest.raises(PermissionDenied):
        services.council_copy(actor=other_manager, campaign=campaign, source=other_campaign)

    assert seats(campaign) == []


# Pages -------------------------------------------------------------------------------------------


def url(name: str, campaign: Campaign, *args: object) -> str:
    return reverse(f"campaigns:{name}", args=[campaign.code, *args])


def test_council_page_lists_full_names_and_roles_and_offers_the_authoritys_people(
    client: Client, campaign: Campaign, manager: User, people: dict[str, User]
) -> None:
    services.council_seat_set(actor=manager, campaign=campaign, user=people["chair"], role=CHAIR)
    outsider = person("Người Ngoài", UnitFactory(kind=kind("huyen")))
    client.force_login(manager)

    page = client.get(url("council", campaign)).content.decode()

    assert "Trần Quốc Khánh" in page and "Chủ tịch" in page
    assert people["chair"].username not in page
    assert "Phan Văn Hậu" in page  # offered in the add form, by full name
    assert "Người Ngoài" not in page
    assert outsider.username not in page
    assert "Hội đồng chưa có Thư ký" in page


def test_manager_adds_changes_and_removes_seats_through_the_page(
    client: Client, campaign: Campaign, manager: User, people: dict[str, User]
) -> None:
    client.force_login(manager)

    added = client.post(url("council_add", campaign), {"user": people["vice"].pk, "role": CHAIR})
    seat = campaign.council_seats.get()
    changed = client.post(url("council_role", campaign, seat.pk), {"role": VICE})
    asked = client.post(url("council_remove", campaign, seat.pk), {"on": ""})
    removed = client.post(url("council_remove", campaign, seat.pk), {"on": "", "confirmed": "1"})

    assert (added.status_code, changed.status_code, removed.status_code) == (302, 302, 302)
    assert asked.status_code == 200
    assert "Nguyễn Thị Mai Lan (Phó Chủ tịch) rời Hội đồng" in asked.content.decode()
    assert seats(campaign) == []
    assert len(council_events(campaign)) == 3


def test_a_second_chair_through_the_page_is_refused_beside_the_role_with_422(
    client: Client, campaign: Campaign, manager: User, people: dict[str, User]
) -> None:
    services.council_seat_set(actor=manager, campaign=campaign, user=people["chair"], role=CHAIR)
    client.force_login(manager)

    response = client.post(url("council_add", campaign), {"user": people["vice"].pk, "role": CHAIR})

    assert response.status_code == 422
    form = response.context["form"]
    assert "Hội đồng đã có Chủ tịch (Trần Quốc Khánh)" in form.errors["role"][0]
    assert len(seats(campaign)) == 1


def test_a_date_before_a_vote_through_the_page_is_refused_beside_the_date_with_422(
    client: Client,
    campaign: Campaign,
    manager: User,
    seat: CouncilSeat,
) -> None:
    services.council_fix(campaign=campaign, through=datetime.date(2019, 12, 20))
    client.force_login(manager)

    response = client.post(
        url("council_role", campaign, seat.pk), {"role": SECRETARY, "on": "2019-12-01"}
    )

    assert response.status_code == 422
    assert "Hội đồng đã họp biểu quyết ngày 20/12/2019" in response.content.decode()
    assert seats(campaign) == [("Phan Văn Hậu", MEMBER, None, None)]


def test_a_person_of_another_authority_posted_to_the_page_is_refused_with_422(
    client: Client, campaign: Campaign, manager: User, outsider: User
) -> None:
    client.force_login(manager)

    response = client.post(url("council_add", campaign), {"user": outsider.pk, "role": MEMBER})

    assert response.status_code == 422
    assert "Lựa chọn không hợp lệ" in response.context["form"].errors["user"][0]
    assert seats(campaign) == []


def test_manager_of_another_authority_gets_403_on_every_council_door(
    client: Client,
    campaign: Campaign,
    manager: User,
    people: dict[str, User],
    other_authority: tuple[Unit, User, Campaign],
    seat: CouncilSeat,
) -> None:
    _unit, other_manager, other_campaign = other_authority
    services.council_seat_set(
        actor=other_manager, campaign=other_campaign, user=person("Võ Thị Mai"), role=CHAIR
    )
    before = seats(campaign)
    client.force_login(other_manager)

    responses = [
        client.get(url("council", campaign)),
        client.post(url("council_add", campaign), {"user": people["chair"].pk, "role": CHAIR}),
        client.post(url("council_role", campaign, seat.pk), {"role": CHAIR}),
        client.post(url("council_remove", campaign, seat.pk), {"confirmed": "1"}),
        client.post(url("council_copy", campaign), {"source": other_campaign.pk}),
    ]

    assert [r.status_code for r in responses] == [403] * 5
    assert seats(campaign) == before


def test_a_council_member_sees_the_council_but_cannot_change_it(
    client: Client,
    campaign: Campaign,
    manager: User,
    people: dict[str, User],
    seat: CouncilSeat,
) -> None:
    client.force_login(people["member"])

    page = client.get(url("council", campaign))
    refused = client.post(url("council_role", campaign, seat.pk), {"role": CHAIR})

    assert page.status_code == 200 and "Phan Văn Hậu" in page.content.decode()
    assert "Thêm vào Hội đồng" not in page.content.decode()
    assert refused.status_code == 403
    assert seats(campaign) == [("Phan Văn Hậu", MEMBER, None, None)]


def test_the_copy_form_seats_the_council_of_an_earlier_campaign(
    client: Client, campaign: Campaign, manager: User, later: Campaign, people: dict[str, User]
) -> None:
    services.council_seat_set(actor=manager, campaign=campaign, user=people["chair"], role=CHAIR)
    client.force_login(manager)

    response = client.post(url("council_copy", later), {"source": campaign.pk})

    assert response.status_code == 302
    assert [(n, r) for n, r, *_dates in seats(later)] == [("Trần Quốc Khánh", CHAIR)]
