"""The ledger remembers what each issued decision decides (in the decision's transaction): its
own awards, never the proposals to the level above nor what failed; and it finds them without
diacritics ("kien luong" finds "Kiên Lương", "hoa dien" finds "Hòa Điền")."""

import datetime

import pytest

from tests.factories import authority_profile_of, manager_of
from votes import selectors, services
from votes.models import Award, AwardEntry, LedgerEvent, Nomination

from .conftest import Council, make_council
from .ledger import imported, ledger_world, row

pytestmark = pytest.mark.django_db
GIAY_KHEN = "Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã"  # the commune decides it
BANG_KHEN = "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh"  # the commune proposes it


def issued() -> tuple[Council, list[Nomination], object]:
    """A commune's closed session: the unit's Giấy khen (passed), a person's Giấy khen (passed),
    another person's (failed) and a Bằng khen proposed to the province (passed); then issued."""
    council = make_council(3, award=GIAY_KHEN, authority_kind="xa")
    session, enrolment = council.session, council.nomination.enrolment

    def add(award: str, **fields: object) -> Nomination:
        return services.nomination_add(
            actor=None,
            session=session,
            enrolment=enrolment,
            award=Award.objects.get(name=award),
            **fields,  # type: ignore[arg-type]
        )

    person = add(GIAY_KHEN, recipient_kind="individual", person_name="Nguyễn Thị Lung")
    failed = add(GIAY_KHEN, recipient_kind="individual", person_name="Lê Văn Hội")
    proposal = add(BANG_KHEN)
    council.open()
    for nomination, votes in [
        (council.nomination, "yyy"),
        (person, "yyn"),
        (failed, "nny"),
        (proposal, "yyy"),
    ]:
        council.vote(votes, nomination)
    council.close(decided_on=datetime.date(2026, 12, 22))
    profile = authority_profile_of(council.session.campaign.authority)
    manager = manager_of(council.session.campaign.authority)
    services.decision_issue(actor=manager, session=council.session, signer=profile.head)
    council.session.refresh_from_db()
    return council, [council.nomination, person, failed, proposal], manager


def test_an_issued_decision_writes_what_it_decides_into_the_ledger_with_history() -> None:
    council, (unit_award, person, _failed, _proposal), manager = issued()
    entries = {e.nomination_id: e for e in AwardEntry.objects.all()}
    assert set(entries) == {unit_award.pk, person.pk}  # no failed nomination, no proposal
    entry = entries[person.pk]
    person.refresh_from_db()
    session = council.session
    assert entry.authority == session.campaign.authority
    assert (entry.recipient_kind, entry.person_name) == ("individual", "Nguyễn Thị Lung")
    assert entry.unit == person.enrolment.unit
    assert entry.award_name == GIAY_KHEN
    assert entry.year == 2026
    assert entry.decision_number == session.decision_number == "1/QĐ-UBND"
    assert entry.decision_date == datetime.date(2026, 12, 22)
    assert entry.signer == "Nguyễn Văn An"
    assert entry.amount == person.amount and entry.amount is not None
    assert (entry.session, entry.campaign) == (session, session.campaign)
    assert (entry.source, entry.created_by) == ("decision", manager)
    event = LedgerEvent.objects.get(entry=entry)
    assert (event.action, event.actor, event.authority) == (
        "ledger_record",
        manager,
        session.campaign.authority,
    )
    assert "Nguyễn Thị Lung" in event.subject and "1/QĐ-UBND" in event.new_value


def test_recording_a_session_again_adds_nothing() -> None:
    council, _nominations, manager = issued()
    assert services.ledger_record_session(actor=manager, session=council.session) == []
    assert AwardEntry.objects.count() == 2
    assert LedgerEvent.objects.count() == 2


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("kien luong", {"Hội Nông dân xã Kiên Lương"}),
        ("KIÊN LƯƠNG", {"Hội Nông dân xã Kiên Lương"}),
        ("hoa dien", {"Hội Nông dân xã Hòa Điền"}),
        ("tran van phuc", {"Hội Nông dân xã Kiên Lương", "Hội Nông dân xã Hòa Điền"}),
        ("12/qd-ubnd", {"Hội Nông dân xã Kiên Lương", "Hội Nông dân xã Hòa Điền"}),
        ("lao dong tien tien", {"Hội Nông dân xã Kiên Lương", "Hội Nông dân xã Hòa Điền"}),
        ("nguyen thi lung", set()),
    ],
)
def test_the_ledger_is_searched_without_diacritics(text: str, found: set[str]) -> None:
    world = ledger_world()
    imported(world.province, [row(world.farmers), row(world.other_farmers)])
    entries = selectors.ledger_search(AwardEntry.objects.all(), text)
    assert {entry.unit_name for entry in entries} == found


def test_a_province_reads_its_communes_entries_and_a_commune_its_own_only() -> None:
    world = ledger_world()
    imported(world.commune, [row(world.farmers)])
    imported(world.other, [row(world.other_farmers)])
    imported(world.province, [row(world.farmers, award_code="CSTD_CS")])

    def names(user: object) -> set[tuple[str, str]]:
        return {(e.unit_name, e.award.code) for e in selectors.ledger_of(user)}  # type: ignore[arg-type]

    assert names(world.province_officer) == {
        ("Hội Nông dân xã Kiên Lương", "LDTT"),
        ("Hội Nông dân xã Hòa Điền", "LDTT"),
        ("Hội Nông dân xã Kiên Lương", "CSTD_CS"),
    }
    # the commune reads the province's award to its own unit, not the other commune's
    assert names(world.officer) == {
        ("Hội Nông dân xã Kiên Lương", "LDTT"),
        ("Hội Nông dân xã Kiên Lương", "CSTD_CS"),
    }
    assert names(world.other_officer) == {("Hội Nông dân xã Hòa Điền", "LDTT")}
