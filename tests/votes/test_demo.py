"""The demo shows the council as the law runs it: a closed 2019 session and one in preparation."""

import io
import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from docx import Document

from devtools.demo import CAMPAIGN_2019, CAMPAIGN_2022, XKL, seed_demo
from units.models import AuthorityProfile
from votes.models import Ballot, CouncilSession, VoteReceipt

from .pdf import pdf_text

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_closed_2019_session_and_a_planned_current_one() -> None:
    seed_demo()
    closed = CouncilSession.objects.get(campaign__code=CAMPAIGN_2019)
    assert closed.status == "closed" and closed.member_count >= 5
    assert "Đặng Minh Thành" in [a.name for a in closed.attendance.select_related("user")]
    nominations = list(closed.nominations.all())
    assert {n.base_salary for n in nominations} == {1_490_000}
    assert [n.amount for n in nominations if n.passed] == [900_000, 900_000, 450_000]
    for nomination in nominations:  # the terms of 2019: Luật 2003 and NĐ 91/2017
        term = nomination.award.term_on(closed.held_on)
        assert "NĐ 91/2017" in term.texts and "NĐ 91/2017" in term.multiple_source
        assert nomination.multiple == term.multiple_for(nomination.recipient_kind)
    assert any(n.passed is False for n in nominations)
    receipts = VoteReceipt.objects.filter(nomination__session=closed)
    assert Ballot.objects.filter(nomination__session=closed).count() == receipts.count()
    assert receipts.filter(written=True).exists()
    planned = CouncilSession.objects.get(campaign__code=CAMPAIGN_2022)
    assert planned.status == "planned" and planned.nominations.exists()

    client = Client()
    client.force_login(User.objects.get(username="manager"))
    docx = client.get(reverse("votes:document", args=[CAMPAIGN_2019, closed.pk, "docx"]))
    document = Document(io.BytesIO(docx.content))
    text = "\n".join(
        [p.text for p in document.paragraphs]
        + [c.text for t in document.tables for row in t.rows for c in row.cells]
    )
    assert "Kiên Lương, ngày 25 tháng 12 năm 2019" in text
    # the district's profile heads it; its register gave the number when the decision was issued
    words = " ".join(text.split())  # the text as read: the issuing body on its two lines
    assert "ỦY BAN NHÂN DÂN HUYỆN KIÊN LƯƠNG" in words and "TỈNH KIÊN GIANG" not in text
    assert re.search(r"Số: \d+/QĐ-UBND", text)
    assert not re.search(r"tháng 0[3-9]", text)
    assert "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH" in text and "Đặng Minh Thành" in text
    assert "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN KIÊN LƯƠNG" in text
    commune = AuthorityProfile.objects.get(authority__code=XKL)
    assert commune.issuing_lines == ["ỦY BAN NHÂN DÂN", "XÃ KIÊN LƯƠNG"]
    assert "Nghị định số 91/2017/NĐ-CP" in text
    amounts = [int(a.replace(".", "")) for a in re.findall(r"([\d.]+) đ", text)]
    # NĐ 91/2017 Điều 73 (Giấy khen huyện): 0,6 × 1.490.000 = 894.000 and 0,3 × = 447.000,
    # rounded up to 10.000 đ
    assert {900_000, 450_000} <= set(amounts) and all(a % 10_000 == 0 for a in amounts)
    pdf = client.get(reverse("votes:document", args=[CAMPAIGN_2019, closed.pk, "pdf"]))
    minutes = pdf_text(pdf.content)
    assert "Chủ trì: Đặng Minh Thành" in minutes and "Vắng mặt: Nguyễn Thị Hoa" in minutes


def test_the_demo_publishes_its_past_rounds_on_their_own_days_and_names_the_front() -> None:
    """Each past round's public page says the day it was published, not the day the demo was
    built; the MTTQ committees carry their full names; the unit heads were told."""
    from notifications.models import Notification
    from units.models import Unit

    seed_demo()
    client = Client()
    for code, day in ((CAMPAIGN_2019, "10/12/2019"), (CAMPAIGN_2022, "07/12/2022")):
        page = client.get(reverse("scoring:public_results", args=[code])).content.decode()
        assert f"Kết quả công bố ngày {day}" in page
    names = list(Unit.objects.filter(kind__code="mttq").values_list("name", flat=True))
    assert names and all(n.startswith("Ủy ban Mặt trận Tổ quốc Việt Nam") for n in names)
    assert Notification.objects.filter(subject__startswith="Đã công bố kết quả").exists()


def test_the_demo_ledger_holds_the_2019_decision_and_past_years_through_the_services() -> None:
    from votes.models import AwardEntry, LedgerEvent

    seed_demo()
    closed = CouncilSession.objects.get(campaign__code=CAMPAIGN_2019)
    decided = AwardEntry.objects.filter(source="decision", session=closed)
    assert decided.count() == closed.nominations.filter(passed=True, proposed=False).count() > 0
    assert {e.decision_number for e in decided} == {closed.decision_number}
    assert {e.signer for e in decided} == {"Đặng Minh Thành"}
    assert {e.year for e in AwardEntry.objects.filter(source="import")} == {2018, 2020, 2021, 2022}
    assert LedgerEvent.objects.count() == AwardEntry.objects.count()
    # the province's decision on xã Kiên Lương's file is in the ledger too, at the commune's unit
    province = AwardEntry.objects.get(source="decision", authority__name="Tỉnh An Giang")
    assert (province.unit_name, province.year) == ("Hội Nông dân xã Kiên Lương", 2026)
    before = AwardEntry.objects.count()
    seed_demo()  # a second run adds nothing
    assert AwardEntry.objects.count() == before
