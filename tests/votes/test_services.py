"""Council votes: quorum, one vote per member, written votes, thresholds and secrecy."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError

from campaigns.models import CouncilSeat
from tests.factories import CampaignFactory, EnrolmentFactory, UserFactory
from units.roles import Role
from votes import services
from votes.models import Ballot, CouncilSession, Nomination, Title, VoteReceipt

pytestmark = pytest.mark.django_db


@pytest.fixture
def council() -> tuple[CouncilSession, list[User], Nomination]:
    campaign = CampaignFactory()
    members = [UserFactory(roles=[Role.COUNCIL_MEMBER]) for _ in range(10)]
    for i, member in enumerate(members):
        role = CouncilSeat.Role.SECRETARY if i == 0 else CouncilSeat.Role.MEMBER
        CouncilSeat.objects.create(campaign=campaign, user=member, role=role)
    session = services.session_create(
        actor=None, campaign=campaign, held_on=datetime.date(2026, 12, 20)
    )
    title, _created = Title.objects.get_or_create(
        name="Tập thể lao động xuất sắc",
        defaults={"threshold_percent": Decimal(80), "reward_multiple": Decimal("1.5")},
    )
    nomination = services.nomination_add(
        actor=None, session=session, enrolment=EnrolmentFactory(campaign=campaign), title=title
    )
    return session, members, nomination


def attend(session: CouncilSession, members: list[User]) -> None:
    for member in members:
        services.attendance_set(actor=None, session=session, user=member, present=True)


def test_voting_needs_a_quorum_of_two_thirds(council) -> None:  # type: ignore[no-untyped-def]
    session, members, _nomination = council
    attend(session, members[:6])
    with pytest.raises(ValidationError, match="Chưa đủ"):
        services.voting_open(actor=None, session=session)
    attend(session, members[6:7])
    assert services.voting_open(actor=None, session=session).status == "voting"


def test_a_member_votes_once(council) -> None:  # type: ignore[no-untyped-def]
    session, members, nomination = council
    attend(session, members)
    services.voting_open(actor=None, session=session)
    services.vote_cast(voter=members[1], session=session, nomination=nomination, choice="yes")
    with pytest.raises(ValidationError, match="đã biểu quyết"):
        services.vote_cast(voter=members[1], session=session, nomination=nomination, choice="no")
    assert Ballot.objects.count() == 1 and VoteReceipt.objects.count() == 1


def test_voting_before_opening_or_after_closing_is_refused(council) -> None:  # type: ignore[no-untyped-def]
    session, members, nomination = council
    attend(session, members)
    with pytest.raises(ValidationError):
        services.vote_cast(voter=members[1], session=session, nomination=nomination, choice="yes")
    services.voting_open(actor=None, session=session)
    services.session_close(actor=None, session=session)
    with pytest.raises(ValidationError):
        services.vote_cast(voter=members[1], session=session, nomination=nomination, choice="yes")
    assert not Ballot.objects.exists()


def test_an_absent_member_votes_only_in_writing_through_the_secretary(council) -> None:  # type: ignore[no-untyped-def]
    session, members, nomination = council
    attend(session, members[:8])
    services.voting_open(actor=None, session=session)
    with pytest.raises(PermissionDenied):
        services.vote_cast(voter=members[9], session=session, nomination=nomination, choice="yes")
    with pytest.raises(PermissionDenied):
        services.written_vote_record(
            secretary=members[1],
            session=session,
            nomination=nomination,
            member=members[9],
            choice="yes",
        )
    services.written_vote_record(
        secretary=members[0],
        session=session,
        nomination=nomination,
        member=members[9],
        choice="yes",
    )
    assert VoteReceipt.objects.get(user=members[9]).written is True


@pytest.mark.parametrize(("yes", "passed"), [(8, True), (7, False)])
def test_exactly_80_percent_of_all_members_passes(council, yes: int, passed: bool) -> None:  # type: ignore[no-untyped-def]
    session, members, nomination = council
    attend(session, members)
    services.voting_open(actor=None, session=session)
    for i, member in enumerate(members):
        services.vote_cast(
            voter=member,
            session=session,
            nomination=nomination,
            choice="yes" if i < yes else "abstain",
        )
    result = services.tally(nomination)
    assert (result.yes, result.members, result.passed) == (yes, 10, passed)


def test_a_nomination_of_a_unit_not_enrolled_is_refused(council) -> None:  # type: ignore[no-untyped-def]
    session, _members, nomination = council
    with pytest.raises(ValidationError, match="không tham gia"):
        services.nomination_add(
            actor=None, session=session, enrolment=EnrolmentFactory(), title=nomination.title
        )


def test_a_threshold_outside_0_to_100_is_refused() -> None:
    title = Title(name="X", threshold_percent=Decimal(120))
    with pytest.raises(ValidationError):
        title.full_clean()


def test_no_column_can_join_a_ballot_to_its_voter() -> None:
    ballot_fields = {f.name for f in Ballot._meta.get_fields()}
    assert ballot_fields == {"id", "nomination", "choice"}
    assert Ballot._meta.pk.get_internal_type() == "UUIDField"
    assert "user" in {f.name for f in VoteReceipt._meta.get_fields()}
    assert not {"created", "created_at", "at"} & {f.name for f in VoteReceipt._meta.get_fields()}
