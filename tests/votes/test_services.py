"""Council votes: quorum as a fraction, frozen attendance, written votes, each award's rule,
sealed counts, the close's snapshot and rewards at the base salary of the decision date."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from campaigns.models import CampaignEvent, CouncilSeat
from tests.factories import EnrolmentFactory, UserFactory
from votes import services
from votes.models import Award, AwardTerm, Ballot, BaseSalary, Nomination, SealedBox, VoteReceipt

from .conftest import Council, make_council

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("present", "members", "opens"),
    [
        (2, 3, True),
        (1, 3, False),
        (4, 6, True),
        (6, 9, True),
        (5, 9, False),
        (7, 10, True),
        (6, 10, False),
    ],
)
def test_the_quorum_is_two_thirds_of_all_members_exactly(present, members, opens) -> None:  # type: ignore[no-untyped-def]
    council = make_council(members)
    council.attend(present)
    if opens:
        assert services.voting_open(actor=None, session=council.session).status == "voting"
    else:
        with pytest.raises(ValidationError, match="Chưa đủ"):
            services.voting_open(actor=None, session=council.session)


@override_settings(COUNCIL_AWARD_QUORUM="3/4")
def test_a_session_that_considers_awards_uses_its_own_quorum() -> None:
    council = make_council(4)
    assert (council.session.quorum_numerator, council.session.quorum_denominator) == (3, 4)
    council.attend(2)
    with pytest.raises(ValidationError, match="3/4"):
        services.voting_open(actor=None, session=council.session)
    plain = make_council(3, considers_awards=False)
    assert (plain.session.quorum_numerator, plain.session.quorum_denominator) == (2, 3)


def test_a_three_member_council_with_two_present_decides_each_award_by_its_rule() -> None:
    council = make_council(3)  # Tập thể lao động xuất sắc: majority of ALL members
    flag = services.nomination_add(
        actor=None,
        session=council.session,
        enrolment=council.nomination.enrolment,
        award=Award.objects.get(name="Danh hiệu Anh hùng Lao động"),  # 90 % of ALL
    )
    council.open(present=2)
    council.vote("yy")
    council.vote("yy", nomination=flag)
    council.close()
    flag.refresh_from_db()
    assert council.nomination.passed is True  # 2 of 3 > half
    assert flag.passed is False  # 2 of 3 = 66.67 % < 90 %


Y2019, Y2026 = datetime.date(2019, 12, 20), datetime.date(2026, 12, 20)


@pytest.mark.parametrize(
    ("award", "day", "yes", "members", "passed"),
    [
        ("Danh hiệu Anh hùng Lao động", Y2026, 9, 10, True),  # NĐ 152/2025 Điều 33 khoản 5
        ("Danh hiệu Anh hùng Lao động", Y2026, 8, 10, False),
        ("Chiến sĩ thi đua cấp tỉnh", Y2019, 9, 10, True),  # NĐ 91/2017 Điều 45 khoản 8
        ("Chiến sĩ thi đua cấp tỉnh", Y2019, 8, 10, False),
        ("Chiến sĩ thi đua cấp tỉnh", Y2026, 6, 10, True),  # the province's ratio, by default
        ("Chiến sĩ thi đua cơ sở", Y2026, 6, 10, True),  # no ratio in NĐ 152 or NĐ 91
        ("Chiến sĩ thi đua cơ sở", Y2026, 5, 10, False),
        ("Lao động tiên tiến", Y2026, 3, 5, True),
        ("Lao động tiên tiến", Y2026, 2, 4, False),  # exactly half is not a majority
    ],
)
def test_each_award_passes_by_the_rule_in_force_on_the_day(
    award, day, yes, members, passed
) -> None:  # type: ignore[no-untyped-def]
    term = Award.objects.get(name=award).term_on(day)
    assert services.award_passes(rule=term, yes=yes, members=members) is passed


def ballots_on(day: datetime.date) -> dict[str, int]:
    return {
        award.name: term.threshold_percent
        for award in Award.objects.all()
        if (term := award.term_on(day)) and term.rule == Award.Rule.SECRET_BALLOT
    }


def test_the_catalogue_follows_the_law() -> None:
    # NĐ 152/2025 Điều 33 khoản 5: the ratios it sets; the province sets the others
    assert ballots_on(Y2026) == {
        "Danh hiệu Anh hùng Lao động": 90,
        "Chiến sĩ thi đua toàn quốc": 90,
    }
    assert ballots_on(Y2019) == {
        "Danh hiệu Anh hùng Lao động": 90,
        "Chiến sĩ thi đua toàn quốc": 90,
        "Chiến sĩ thi đua cấp tỉnh": 90,  # NĐ 91/2017 Điều 45 khoản 8, until 31/12/2023
    }
    assert not Award.objects.filter(name__icontains="điển hình").exists()
    assert set(
        Award.objects.filter(name__startswith="Giấy khen").values_list("kind", flat=True)
    ) == {Award.Kind.COMMENDATION}
    assert all(term.multiple_source for term in AwardTerm.objects.all())


@pytest.mark.parametrize(
    ("award", "day", "multiples"),
    [
        # NĐ 152/2025 Điều 54: a household gets 1,5 × the individual's amount
        ("Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", Y2026, ("3.00", "1.50", "2.25")),
        ("Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã", Y2026, ("0.60", "0.30", "0.45")),
        # before 1/7/2025: NĐ 91/2017 Điều 73
        ("Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã", Y2019, ("0.30", "0.15", "0.15")),
        ("Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", Y2019, ("2.00", "1.00", "1.00")),
        (
            "Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã",
            datetime.date(2025, 6, 30),
            ("0.30", "0.15", "0.15"),
        ),
        (
            "Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã",
            datetime.date(2025, 7, 1),
            ("0.60", "0.30", "0.45"),
        ),
        # NĐ 152/2025 Điều 52 khoản 2
        ("Danh hiệu Anh hùng Lao động", Y2026, ("31.00", "15.50", None)),
    ],
)
def test_the_multiples_are_those_of_the_period(award: str, day: datetime.date, multiples) -> None:  # type: ignore[no-untyped-def]
    term = Award.objects.get(name=award).term_on(day)
    assert term is not None
    found = tuple(term.multiple_for(kind) for kind in ("collective", "individual", "household"))
    assert found == tuple(None if m is None else Decimal(m) for m in multiples)


@pytest.mark.parametrize(
    ("multiple", "base", "amount"),
    [
        ("0.6", 2_340_000, 1_410_000),  # 1,404,000 rounds UP
        ("1.5", 1_490_000, 2_240_000),  # 2,235,000
        ("0.3", 1_490_000, 450_000),  # 447,000
        ("1.0", 1_800_000, 1_800_000),  # already a multiple of 10,000
        ("3.0", 2_530_000, 7_590_000),
    ],
)
def test_a_reward_is_rounded_up_to_the_next_10000(multiple: str, base: int, amount: int) -> None:
    assert services.reward_amount(multiple=Decimal(multiple), base_salary=base) == amount


@pytest.mark.parametrize(
    ("day", "amount"),
    [
        (datetime.date(2019, 8, 8), 1_490_000),
        (datetime.date(2023, 6, 30), 1_490_000),
        (datetime.date(2023, 7, 1), 1_800_000),
        (datetime.date(2025, 12, 1), 2_340_000),
        (datetime.date(2026, 7, 1), 2_530_000),
    ],
)
def test_the_base_salary_is_the_one_in_force_on_the_day(day: datetime.date, amount: int) -> None:
    assert services.base_salary_on(day).amount == amount


def test_the_close_fixes_the_amount_at_the_decision_date() -> None:
    council = make_council(5, held_on=datetime.date(2019, 12, 20))
    council.open()
    council.vote("yyyyy")
    council.close()
    nomination = council.nomination
    assert (nomination.base_salary, nomination.multiple, nomination.amount) == (
        1_490_000,
        Decimal("1.50"),
        2_240_000,
    )
    BaseSalary.objects.filter(valid_from__year=2019).update(amount=9_999_999)
    AwardTerm.objects.filter(award__name="Tập thể lao động xuất sắc").update(multiple_collective=9)
    nomination.refresh_from_db()
    assert nomination.amount == 2_240_000


def test_attendance_is_frozen_once_voting_opens(council: Council) -> None:
    council.open(present=8)
    with pytest.raises(ValidationError):
        services.attendance_set(
            actor=None, session=council.session, user=council.members[1], present=False
        )
    with pytest.raises(ValidationError):
        services.attendance_set(
            actor=None, session=council.session, user=council.members[9], present=True
        )


def test_only_a_member_absent_at_the_opening_votes_in_writing_through_the_secretary(
    council: Council,
) -> None:
    council.open(present=8)
    session, nomination, members = council.session, council.nomination, council.members
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
    with pytest.raises(ValidationError, match="vắng mặt"):
        services.written_vote_record(
            secretary=members[0],
            session=session,
            nomination=nomination,
            member=members[2],
            choice="no",
        )
    services.written_vote_record(
        secretary=members[0],
        session=session,
        nomination=nomination,
        member=members[9],
        choice="yes",
    )
    assert VoteReceipt.objects.get(user=members[9]).written is True


def test_a_member_votes_once_and_nothing_is_counted_in_the_open(council: Council) -> None:
    council.open()
    council.vote(" y")
    with pytest.raises(ValidationError, match="đã biểu quyết"):
        council.vote(" n")
    assert VoteReceipt.objects.count() == 1
    assert not Ballot.objects.exists()  # ballots are written only at the close
    council.nomination.refresh_from_db()
    assert council.nomination.yes is None and council.nomination.passed is None


def test_voting_before_opening_or_after_closing_is_refused(council: Council) -> None:
    with pytest.raises(ValidationError):
        council.vote(" y")
    council.open()
    council.close()
    with pytest.raises(ValidationError):
        council.vote(" y")
    assert not Ballot.objects.exists()


def test_the_close_turns_the_sealed_boxes_into_ballots(council: Council) -> None:
    council.open()
    council.vote("yyyyyyynna")
    assert SealedBox.objects.count() == 1
    council.close()
    assert not SealedBox.objects.exists()
    assert sorted(Ballot.objects.values_list("choice", flat=True)) == sorted(
        ["yes"] * 7 + ["no"] * 2 + ["abstain"]
    )
    nomination = council.nomination
    assert (nomination.yes, nomination.no, nomination.abstain, nomination.passed) == (7, 2, 1, True)


def test_a_closed_session_is_a_snapshot(council: Council) -> None:
    council.open()
    council.vote("yyyyyyyy")
    council.close()
    extra = UserFactory()
    CouncilSeat.objects.create(campaign=council.session.campaign, user=extra)
    council.nomination.enrolment.unit.name = "Tên mới"
    council.nomination.enrolment.unit.save()
    nomination = Nomination.objects.get(pk=council.nomination.pk)
    assert council.session.member_count == 10 and nomination.passed is True
    assert nomination.nominee != "Tên mới"
    with pytest.raises(ValidationError):
        services.nomination_add(
            actor=None,
            session=council.session,
            enrolment=nomination.enrolment,
            award=nomination.award,
        )


def test_a_seat_added_before_the_opening_counts_as_a_member() -> None:
    council = make_council(3)
    council.attend(2)
    CouncilSeat.objects.create(campaign=council.session.campaign, user=UserFactory())
    with pytest.raises(ValidationError, match="2/4"):
        services.voting_open(actor=None, session=council.session)


def test_people_and_households_are_nominated_for_awards_that_allow_them(council: Council) -> None:
    session, enrolment = council.session, council.nomination.enrolment
    person = services.nomination_add(
        actor=None,
        session=session,
        enrolment=enrolment,
        award=Award.objects.get(name="Chiến sĩ thi đua cơ sở"),
        recipient_kind="individual",
        person_name="Nguyễn Thị Lung",
        position="Phó Chủ tịch",
    )
    assert person.nominee == f"Nguyễn Thị Lung, Phó Chủ tịch, {enrolment.unit.name}"
    with pytest.raises(ValidationError, match="không tặng"):
        services.nomination_add(
            actor=None,
            session=session,
            enrolment=enrolment,
            award=Award.objects.get(name="Chiến sĩ thi đua cơ sở"),
            recipient_kind="household",
            person_name="Trần Văn Ba",
        )
    with pytest.raises(ValidationError, match="họ tên"):
        services.nomination_add(
            actor=None,
            session=session,
            enrolment=enrolment,
            award=Award.objects.get(name="Lao động tiên tiến"),
            recipient_kind="individual",
        )


def test_a_nomination_of_a_unit_not_enrolled_is_refused(council: Council) -> None:
    with pytest.raises(ValidationError, match="không tham gia"):
        services.nomination_add(
            actor=None,
            session=council.session,
            enrolment=EnrolmentFactory(),
            award=council.nomination.award,
        )


def test_every_step_writes_history_without_a_choice(council: Council) -> None:
    council.open()
    council.vote("yn")
    council.close()
    actions = list(
        CampaignEvent.objects.filter(campaign=council.session.campaign).values_list(
            "action", flat=True
        )
    )
    assert actions.count("attendance_set") == 10
    assert {"session_create", "nomination_add", "voting_open", "session_close"} <= set(actions)
    assert not CampaignEvent.objects.filter(action__icontains="vote").exists()


def test_no_column_can_join_a_ballot_to_its_voter() -> None:
    assert {f.name for f in Ballot._meta.get_fields()} == {"id", "nomination", "choice"}
    assert Ballot._meta.pk.get_internal_type() == "UUIDField"
    assert {f.name for f in SealedBox._meta.get_fields()} == {"nomination", "yes", "no", "abstain"}
    receipt_fields = {f.name for f in VoteReceipt._meta.get_fields()}
    assert "user" in receipt_fields and not {"choice", "created", "at"} & receipt_fields
