"""A council session through the pages: the decision .docx lists the commended units."""

import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document

from campaigns.models import CouncilSeat
from scoring import pipeline
from scoring import services as runs
from tests.factories import MembershipFactory, UserFactory
from tests.scoring.scoring_cases import Case
from units.roles import Role
from votes.models import Ballot, CouncilSession, Title

pytestmark = pytest.mark.django_db


@pytest.fixture
def published() -> tuple[Case, Client, Client]:
    case = Case().criterion("1")
    case.unit("Xã Bình An", {"1": "10"}).unit("Xã Bình Trị", {"1": "6"})
    run = runs.scoring_run_start(actor=None, campaign=case.campaign)
    pipeline.execute(run.pk)
    run.refresh_from_db()
    runs.scoring_run_publish(actor=None, run=run)
    manager = UserFactory(roles=[Role.CAMPAIGN_MANAGER])
    MembershipFactory(user=manager, unit=case.campaign.authority, role="officer")
    secretary = UserFactory(roles=[Role.COUNCIL_MEMBER])
    CouncilSeat.objects.create(
        campaign=case.campaign, user=secretary, role=CouncilSeat.Role.SECRETARY
    )
    manager_client, secretary_client = Client(), Client()
    manager_client.force_login(manager)
    secretary_client.force_login(secretary)
    return case, manager_client, secretary_client


def test_a_full_session_ends_in_a_decision_with_the_reward_total(published) -> None:  # type: ignore[no-untyped-def]
    case, manager, secretary = published
    code = case.campaign.code
    manager.post(reverse("votes:sessions", args=[code]), {"held_on": "2026-12-20"})
    session = CouncilSession.objects.get()
    title, _created = Title.objects.get_or_create(  # a flush may have removed the defaults
        name="Tập thể lao động xuất sắc",
        defaults={"threshold_percent": Decimal(80), "reward_multiple": Decimal("1.5")},
    )
    act = lambda action, client, **data: client.post(  # noqa: E731
        reverse("votes:action", args=[code, session.pk, action]), data
    )
    act("attendance", manager, present=[str(session.attendance.get().user_id)])
    act("prefill", manager, title=title.pk)
    nomination = session.nominations.get()
    assert nomination.enrolment.unit.name == "Xã Bình An"
    act("open", secretary)
    act("vote", secretary, nomination=nomination.pk, choice="yes")
    act("close", secretary)
    assert Ballot.objects.filter(nomination=nomination, choice="yes").count() == 1
    page = secretary.get(reverse("votes:session", args=[code, session.pk])).content.decode()
    assert "1/1 đồng ý" in page
    response = secretary.get(reverse("votes:document", args=[code, session.pk, "docx"]))
    document = Document(io.BytesIO(b"".join(response.streaming_content)))
    cells = [cell.text for row in document.tables[0].rows for cell in row.cells]
    assert "Xã Bình An" in cells and "Xã Bình Trị" not in cells
    reward = title.reward_multiple * 2_340_000
    assert f"{reward:,.0f}".replace(",", ".") in "\n".join(p.text for p in document.paragraphs)
    assert reward == Decimal("3510000.00") * title.reward_multiple / Decimal("1.5")
    pdf = secretary.get(reverse("votes:document", args=[code, session.pk, "pdf"]))
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_a_unit_head_cannot_see_the_council(published) -> None:  # type: ignore[no-untyped-def]
    case, _manager, _secretary = published
    head = UserFactory(roles=[Role.UNIT_HEAD])
    MembershipFactory(user=head, unit=case.units["Xã Bình An"].unit)
    client = Client()
    client.force_login(head)
    assert client.get(reverse("votes:sessions", args=[case.campaign.code])).status_code == 403


def test_the_public_page_lists_commended_units_without_login(published) -> None:  # type: ignore[no-untyped-def]
    test_a_full_session_ends_in_a_decision_with_the_reward_total(published)
    case = published[0]
    html = Client().get(reverse("votes:commended", args=[case.campaign.code])).content.decode()
    assert "Xã Bình An — Tập thể lao động xuất sắc" in html


def test_the_minutes_show_attendance_quorum_and_each_tally(published) -> None:  # type: ignore[no-untyped-def]
    test_a_full_session_ends_in_a_decision_with_the_reward_total(published)
    case, _manager, secretary = published
    session = CouncilSession.objects.get()
    html = secretary.get(reverse("votes:minutes", args=[case.campaign.code, session.pk]))
    text = html.content.decode()
    assert "Có mặt 1/1 thành viên" in text and "66,67%" in text
    assert "Xã Bình An" in text and "Đạt" in text
