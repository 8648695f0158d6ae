"""The catalogue by period (../shared/LAW.md): a session pays the multiple of the term in force on
its date at the base salary in force on the decision date, rounded up to 10.000 đ; a household
gets 1,5 × the individual's amount from 1/7/2025; a commune's decision lists only what Luật
06/2022 Điều 80 khoản 3 lets its chairman decide, the rest goes to the province as a proposal;
`manage.py export_catalogue` and the page's download give the dated rows with their sources."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tests.factories import UnitFactory, authority_profile_of, kind, manager_of
from votes import documents, selectors, services
from votes.models import Award, Nomination

from .conftest import Council, make_council
from .test_documents import docx_text

pytestmark = pytest.mark.django_db

GK_XA = "Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã"
CSTD_CS = "Chiến sĩ thi đua cơ sở"


def add(council: Council, award: str, kind: str = "collective", name: str = "") -> Nomination:
    return services.nomination_add(
        actor=None,
        session=council.session,
        enrolment=council.nomination.enrolment,
        award=Award.objects.get(name=award),
        recipient_kind=kind,
        person_name=name,
    )


def close_all_yes(council: Council, nominations: list[Nomination], **close: object) -> None:
    council.open()
    for nomination in [council.nomination, *nominations]:
        council.vote("y" * len(council.members), nomination=nomination)
    council.close(**close)
    for nomination in nominations:
        nomination.refresh_from_db()


@pytest.mark.parametrize(
    ("held_on", "household", "person", "collective"),
    [
        # NĐ 152/2025 Điều 54 khoản 1 điểm e, khoản 2 điểm c, khoản 3 at 2.530.000 (NĐ 161/2026):
        # 0,45 × = 1.138.500 → 1.140.000; 0,3 × = 759.000 → 760.000; 0,6 × = 1.518.000
        (datetime.date(2026, 12, 20), 1_140_000, 760_000, 1_520_000),
        # at 2.340.000: 0,45 × = 1.053.000 (what xã Mỹ Hòa Hưng paid in January 2026) → 1.060.000
        (datetime.date(2026, 1, 13), 1_060_000, 710_000, 1_410_000),
        # before 1/7/2025, NĐ 91/2017 Điều 73 / NĐ 98/2023: 0,15 × 2.340.000 = 351.000 → 360.000
        (datetime.date(2025, 6, 30), 360_000, 360_000, 710_000),
        # 2019: 0,15 × 1.490.000 = 223.500 → 230.000; 0,3 × = 447.000 → 450.000
        (datetime.date(2019, 12, 20), 230_000, 230_000, 450_000),
    ],
)
def test_a_commune_giay_khen_pays_the_multiple_of_the_period_and_a_household_one_and_a_half(
    held_on: datetime.date, household: int, person: int, collective: int
) -> None:
    council = make_council(3, award=GK_XA, authority_kind="xa", held_on=held_on)
    home = add(council, GK_XA, "household", "Nguyễn Văn Tư")
    one = add(council, GK_XA, "individual", "Lê Thị Năm")
    close_all_yes(council, [home, one])
    assert (home.amount, one.amount, council.nomination.amount) == (household, person, collective)
    assert all(n.proposed is False for n in (home, one, council.nomination))


def test_a_provincial_bang_khen_pays_the_nd_91_2017_rate_in_2019_and_nd_152_2025_today() -> None:
    old = make_council(
        3, award="Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", held_on=datetime.date(2019, 12, 20)
    )
    old_person = add(old, "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", "individual", "Hà")
    close_all_yes(old, [old_person])
    assert (old_person.multiple, old_person.amount) == (Decimal("1.00"), 1_490_000)
    new = make_council(3, award="Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh")
    home = add(new, "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", "household", "Hộ ông Sáu")
    close_all_yes(new, [home])
    # 2,25 × 2.530.000 = 5.692.500 → 5.700.000 (LAW.md § 9)
    assert (home.multiple, home.amount) == (Decimal("2.25"), 5_700_000)


def test_anh_hung_lao_dong_has_its_multiple() -> None:
    council = make_council(3, award="Danh hiệu Anh hùng Lao động")
    hero = add(council, "Danh hiệu Anh hùng Lao động", "individual", "Võ Văn Bảy")
    close_all_yes(council, [hero])
    # 15,5 × 2.530.000 = 39.215.000 → 39.220.000; 31,0 × = 78.430.000 (LAW.md § 9)
    assert (hero.amount, council.nomination.amount) == (39_220_000, 78_430_000)


def test_the_2026_commune_decision_leaves_chien_si_thi_dua_co_so_to_the_province() -> None:
    council = make_council(3, award=GK_XA, authority_kind="xa")
    basic = add(council, CSTD_CS, "individual", "Trần Văn Phúc")
    assert basic.proposed is True  # marked when nominated
    close_all_yes(council, [basic], decided_on=datetime.date(2026, 12, 27))
    assert (basic.passed, basic.proposed) == (True, True)
    assert basic.funding_source == "Quỹ thi đua, khen thưởng của cấp quyết định (Cấp tỉnh)"
    session = council.session
    outcomes = selectors.outcomes_of(session)
    assert [o.nomination for o in selectors.decided_here(outcomes)] == [council.nomination]
    assert [o.nomination for o in selectors.proposed_above(outcomes)] == [basic]
    profile = authority_profile_of(session.campaign.authority)
    manager = manager_of(session.campaign.authority)
    session = services.decision_issue(actor=manager, session=session, signer=profile.head)
    decision = docx_text(documents.decision_docx(session, outcomes))
    assert "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ KIÊN LƯƠNG" in decision and GK_XA in decision
    assert CSTD_CS not in decision and "Trần Văn Phúc" not in decision
    attendance = selectors.attendance_of(session)
    proposal = docx_text(documents.proposal_docx(session, outcomes, attendance))
    assert "Trần Văn Phúc" in proposal and CSTD_CS in proposal and "Cấp tỉnh" in proposal


def test_a_commune_session_with_only_proposals_has_no_decision_to_issue() -> None:
    council = make_council(3, award="Tập thể lao động tiên tiến", authority_kind="xa")
    assert council.nomination.proposed is True
    close_all_yes(council, [])
    session = council.session
    profile = authority_profile_of(session.campaign.authority)
    with pytest.raises(ValidationError, match="thẩm quyền"):
        services.decision_issue(
            actor=manager_of(session.campaign.authority), session=session, signer=profile.head
        )


COLUMNS = (
    "award_code,award_name,kind,recipient,level,valid_from,valid_to,multiple,vote_rule,"
    "threshold_percent,source,verified"
)


def rows_of(text: str) -> list[dict[str, str]]:
    assert text.splitlines()[0] == COLUMNS  # DOMAIN.md's columns, to the letter
    return list(csv.DictReader(io.StringIO(text)))


def test_export_catalogue_writes_the_dated_rows_with_their_sources() -> None:
    out = io.StringIO()
    call_command("export_catalogue", stdout=out)
    rows = rows_of(out.getvalue())
    key = {(r["award_code"], r["recipient"], r["valid_from"]): r for r in rows}
    household = key[("GK_XA", "household", "2025-07-01")]
    assert (household["multiple"], household["valid_to"], household["level"]) == (
        "0.45",
        "",
        "commune",
    )
    assert "Điều 54" in household["source"] and "khoản 3" in household["source"]
    before = key[("GK_XA", "individual", "")]
    assert (before["multiple"], before["valid_to"]) == ("0.15", "2025-06-30")
    assert "NĐ 91/2017 Điều 73" in before["source"]
    bang_khen = key[("BK_TINH", "individual", "")]
    assert (bang_khen["multiple"], bang_khen["valid_to"]) == ("1", "2023-12-31")
    assert key[("BK_TINH", "household", "2025-07-01")]["multiple"] == "2.25"
    hero = key[("AHLD", "collective", "2025-07-01")]
    assert (hero["multiple"], hero["vote_rule"], hero["threshold_percent"], hero["level"]) == (
        "31",
        "ballot",
        "90",
        "national",
    )
    basic = {r["valid_from"]: r for r in rows if r["award_code"] == "CSTD_CS"}
    assert basic[""]["level"] == "district" and basic["2025-07-01"]["level"] == "province"
    assert basic["2025-07-01"]["vote_rule"] == "majority"  # NĐ 152 sets no ratio for it
    assert "quy chế của tỉnh" in basic["2025-07-01"]["source"]
    assert {r["kind"] for r in rows} == {"title", "form"}
    assert {r["verified"] for r in rows} == {"false"}


def test_the_catalogue_page_shows_the_periods_and_offers_the_csv(client: Client) -> None:
    client.force_login(manager_of(UnitFactory(kind=kind("xa"))))
    page = client.get(reverse("votes:catalogue")).content.decode()
    assert "01/07/2025 – …" in page and "… – 30/06/2025" in page
    assert "Luật TĐKT 2003, NĐ 91/2017" in page and "Điều 54 khoản 1 điểm e" in page
    assert reverse("votes:catalogue_csv") in page
    download = client.get(reverse("votes:catalogue_csv"))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment; filename=")
    text = download.content.decode("utf-8-sig")
    out = io.StringIO()
    call_command("export_catalogue", stdout=out)
    assert text == out.getvalue() and len(rows_of(text)) > 30


def test_the_close_applies_the_term_in_force_when_the_catalogue_changed_since() -> None:
    council = make_council(3, award=GK_XA, authority_kind="xa")
    term = Award.objects.get(name=GK_XA).term_on(council.session.held_on)
    term.level, term.highest_level = "province", ""
    term.save()  # a province that keeps the Giấy khen to itself (a test of the rule only)
    close_all_yes(council, [])
    assert council.nomination.proposed is True
    assert selectors.decided_here(selectors.outcomes_of(council.session)) == []


def test_a_session_offers_only_the_awards_in_force_on_its_date() -> None:
    today = {a.name for a in selectors.awards_on(datetime.date(2026, 12, 20))}
    before = {a.name for a in selectors.awards_on(datetime.date(2019, 12, 20))}
    assert "Giấy khen của Chủ tịch Ủy ban nhân dân huyện" in before - today
    assert GK_XA in today and GK_XA in before and len(today) == len(before) - 1


@pytest.mark.parametrize(
    ("day", "multiples", "source"),
    [
        # NĐ 91/2017 Điều 73 (LAW.md W8, SEC: hoatieu.vn): cá nhân 1,0
        (datetime.date(2019, 12, 20), ("2.00", "1.00", "1.00"), "NĐ 91/2017 Điều 73"),
        # NĐ 98/2023 Điều 58: not found (LAW.md § 3): no multiple, the source says so
        (datetime.date(2024, 6, 1), (None, None, None), "không tìm thấy"),
        (datetime.date(2025, 6, 30), (None, None, None), "không tìm thấy"),
        # NĐ 152/2025 Điều 54 khoản 1 điểm b, khoản 2 điểm a, khoản 3 (LAW.md W1, V3)
        (datetime.date(2025, 7, 1), ("3.00", "1.50", "2.25"), "khoản 3"),
        (datetime.date(2026, 12, 20), ("3.00", "1.50", "2.25"), "Điều 54 khoản 1 điểm b"),
    ],
)
def test_the_provincial_bang_khen_has_the_multiples_of_each_period(
    day: datetime.date, multiples: tuple[str | None, ...], source: str
) -> None:
    award = selectors.awards_on(day).get(code="BK_TINH")
    term = award.term_on(day)
    assert term is not None
    kinds = ("collective", "individual", "household")
    expected = tuple(None if m is None else Decimal(m) for m in multiples)
    assert tuple(term.multiple_for(k) for k in kinds) == expected
    assert source in term.multiple_source
    # A third party's copy or a secondary report: never verified (LAW.md, grades)
    assert term.multiple_verified is False
