"""A session takes its attendance from the council seats in force on its date; once it voted,
those seats are its record; the minutes name the secretary seated through the service."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from campaigns import services as campaigns
from campaigns.models import Campaign, CampaignEvent, CouncilSeat
from tests.factories import CampaignFactory, EnrolmentFactory, UserFactory, manager_of
from units.roles import Role
from votes import documents, selectors, services
from votes.models import Award, CouncilSession

from .pdf import pdf_text

pytestmark = pytest.mark.django_db

NOV_20, DEC_1, DEC_10, DEC_20 = (
    datetime.date(2026, 11, 20),
    datetime.date(2026, 12, 1),
    datetime.date(2026, 12, 10),
    datetime.date(2026, 12, 20),
)


def member(name: str) -> User:
    return UserFactory(
        username=name.lower().replace(" ", "."), first_name=name, roles=[Role.COUNCIL_MEMBER]
    )


def seat(campaign: Campaign, user: User, role: str = "member", **kwargs: object) -> CouncilSeat:
    return campaigns.council_seat_set(actor=None, campaign=campaign, user=user, role=role, **kwargs)


def names(session: CouncilSession) -> list[tuple[str, str]]:
    return [(a.name, a.role) for a in selectors.attendance_of(session)]


def stored(session: CouncilSession) -> list[tuple[str, str]]:
    rows = session.attendance.select_related("user").order_by("pk")
    return [(a.name, a.role) for a in rows]


def test_a_session_takes_its_attendance_from_the_seats_in_force_on_its_date() -> None:
    campaign = CampaignFactory()
    chair, secretary, joins, leaves = (
        member("An"),
        member("Bình"),
        member("Cường"),
        member("Dung"),
    )
    seat(campaign, chair, "chair")
    seat(campaign, secretary, "secretary")
    seat(campaign, joins, on=DEC_1)
    leaving = seat(campaign, leaves)
    campaigns.council_seat_remove(actor=None, seat=leaving, on=DEC_10)

    november = services.session_create(actor=None, campaign=campaign, held_on=NOV_20)
    december = services.session_create(actor=None, campaign=campaign, held_on=DEC_20)

    assert stored(november) == [("An", "chair"), ("Bình", "secretary"), ("Dung", "member")]
    assert stored(december) == [("An", "chair"), ("Bình", "secretary"), ("Cường", "member")]
    assert names(december) == stored(december)


def test_a_seat_changed_before_voting_follows_into_the_session_and_is_frozen_after() -> None:
    campaign = CampaignFactory()
    chair, secretary, late = member("An"), member("Bình"), member("Cường")
    seat(campaign, chair, "chair")
    seat(campaign, secretary, "secretary")
    session = services.session_create(actor=None, campaign=campaign, held_on=DEC_20)
    services.attendance_set(actor=None, session=session, user=chair, present=True)
    added = seat(campaign, late)

    assert names(session) == [("An", "chair"), ("Bình", "secretary"), ("Cường", "member")]
    for user in (secretary, late):
        services.attendance_set(actor=None, session=session, user=user, present=True)
    services.nomination_add(
        actor=None,
        session=session,
        enrolment=EnrolmentFactory(campaign=campaign),
        award=Award.objects.get(name="Tập thể lao động xuất sắc"),
    )
    session = services.voting_open(actor=None, session=session)
    campaigns.council_seat_remove(actor=None, seat=added)

    campaign.refresh_from_db()
    assert campaign.council_fixed_through == DEC_20
    assert session.member_count == 3
    assert (
        stored(session)
        == names(session)
        == [
            ("An", "chair"),
            ("Bình", "secretary"),
            ("Cường", "member"),
        ]
    )
    left = CouncilSeat.objects.get(pk=added.pk)
    assert (left.valid_from, left.valid_to) == (None, DEC_20)  # the seat the vote used stays
    with pytest.raises(ValidationError, match="Hội đồng đã họp biểu quyết ngày 20/12/2026"):
        seat(campaign, chair, "vice_chair", on=DEC_20)


def test_attendance_cannot_be_marked_for_someone_without_a_seat_that_day() -> None:
    campaign = CampaignFactory()
    seat(campaign, member("An"), "chair")
    later = member("Bình")
    seat(campaign, later, on=DEC_20)
    session = services.session_create(actor=None, campaign=campaign, held_on=DEC_10)

    with pytest.raises(ValidationError, match="không có tên trong Hội đồng ngày 10/12/2026"):
        services.attendance_set(actor=None, session=session, user=later, present=True)

    assert stored(session) == [("An", "chair")]


def test_the_minutes_name_the_secretary_seated_through_the_service() -> None:
    campaign = CampaignFactory()
    people = [member(name) for name in ("Trần Quốc Khánh", "Lê Văn Hội", "Phan Văn Hậu")]
    for user, role in zip(people, ("chair", "secretary", "member"), strict=True):
        seat(campaign, user, role)
    session = services.session_create(actor=None, campaign=campaign, held_on=DEC_20)
    for user in people:
        services.attendance_set(actor=None, session=session, user=user, present=True)
    services.nomination_add(
        actor=None,
        session=session,
        enrolment=EnrolmentFactory(campaign=campaign),
        award=Award.objects.get(name="Tập thể lao động xuất sắc"),
    )
    session = services.voting_open(actor=None, session=session)
    session = services.session_close(actor=None, session=session, missing_accepted=True)

    text = pdf_text(
        documents.minutes_pdf(
            session, selectors.outcomes_of(session), selectors.attendance_of(session)
        )
    )

    assert "Thư ký: Lê Văn Hội" in text
    assert "Thư ký: —" not in text
    assert CampaignEvent.objects.filter(campaign=campaign, action="council_seat_add").count() == 3


def test_the_session_page_takes_attendance_of_a_member_seated_after_it_was_created(
    client: Client,
) -> None:
    campaign = CampaignFactory()
    manager = manager_of(campaign.authority)
    first, removed = member("An"), member("Bình")
    seat(campaign, first, "chair")
    leaving = seat(campaign, removed)
    session = services.session_create(actor=None, campaign=campaign, held_on=DEC_20)
    late = member("Cường")
    seat(campaign, late, "secretary")
    campaigns.council_seat_remove(actor=None, seat=leaving)
    client.force_login(manager)

    page = client.get(reverse("votes:session", args=[campaign.code, session.pk]))
    response = client.post(
        reverse("votes:action", args=[campaign.code, session.pk, "attendance"]),
        {"present": [str(first.pk), str(late.pk)]},
    )

    assert "Cường" in page.content.decode() and "Bình" not in page.content.decode()
    assert response.status_code == 302
    present = session.attendance.filter(present=True).order_by("pk")
    assert [a.name for a in present] == ["An", "Cường"]
    assert stored(session) == [("An", "chair"), ("Cường", "secretary")]
