"""Proposals in the browser's requests: the commune makes and sends its file from the session
page, the province's office returns it or puts it on a session; each reads only what its
authority may (another commune's manager and another province's officer get 404, a commune's
manager gets 403 on the province's sessions); the documents download and open."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from tests.factories import UnitFactory, kind, manager_of
from votes import services
from votes.models import Nomination, Proposal, ProposalStatus

from .two_levels import TwoLevels, two_levels

pytestmark = pytest.mark.django_db


def client(user: object) -> Client:
    browser = Client()
    browser.force_login(user)  # type: ignore[arg-type]
    return browser


def sent(world: TwoLevels) -> Proposal:
    proposal = world.propose()
    return services.proposal_send(actor=world.commune.officer, proposal=proposal)


def page(proposal: Proposal, action: str = "") -> str:
    if action:
        return reverse("votes:proposal_action", args=[proposal.pk, action])
    return reverse("votes:proposal", args=[proposal.pk])


def test_the_commune_makes_its_file_from_the_session_page_and_sends_it() -> None:
    world = two_levels()
    commune = client(world.commune.officer)
    session_url = reverse(
        "votes:session", args=[world.commune.campaign.code, world.commune.session.pk]
    )
    assert "Lập hồ sơ đề nghị" in commune.get(session_url).content.decode()
    response = commune.post(
        reverse(
            "votes:action",
            args=[world.commune.campaign.code, world.commune.session.pk, "propose"],
        ),
        {"round": ""},
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and response["Location"] == page(proposal)
    shown = commune.get(page(proposal)).content.decode()
    assert "Đang soạn" in shown and "Gửi hồ sơ" in shown
    assert commune.post(page(proposal, "send"), {"round": ""}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SENT


def test_the_province_returns_with_a_reason_and_the_commune_reads_it() -> None:
    world = two_levels()
    proposal = sent(world)
    province = client(world.province.officer)
    refused = province.post(page(proposal, "return"), {"reason": ""})
    assert refused.status_code == 422
    response = province.post(page(proposal, "return"), {"reason": "Thiếu chữ ký."})
    assert response.status_code == 302
    shown = client(world.commune.officer).get(page(proposal)).content.decode()
    assert "Bị trả lại" in shown and "Thiếu chữ ký." in shown


def test_the_commune_replaces_a_document_and_the_edited_one_is_served() -> None:
    world = two_levels()
    proposal = world.propose()
    document = Document()
    document.add_paragraph("Tờ trình đã sửa")
    buffer = io.BytesIO()
    document.save(buffer)
    commune = client(world.commune.officer)
    response = commune.post(
        page(proposal, "upload"),
        {"document": "to-trinh", "file": SimpleUploadedFile("sua.docx", buffer.getvalue())},
    )
    assert response.status_code == 302
    served = commune.get(reverse("votes:proposal_file", args=[proposal.pk, "to-trinh"]))
    content = b"".join(served.streaming_content)  # type: ignore[attr-defined]
    assert "Tờ trình đã sửa" in Document(io.BytesIO(content)).paragraphs[0].text


def test_every_generated_document_downloads_and_opens() -> None:
    world = two_levels()
    proposal = sent(world)
    province = client(world.province.officer)
    for key in ("to-trinh", "bien-ban", f"bao-cao-{world.person_nomination.pk}"):
        response = province.get(reverse("votes:proposal_file", args=[proposal.pk, key]))
        assert response.status_code == 200, key
        assert Document(io.BytesIO(response.content)).paragraphs, key
    sheet = province.get(reverse("votes:proposal_file", args=[proposal.pk, "danh-sach"]))
    assert load_workbook(io.BytesIO(sheet.content)).active["B5"].value == (
        "Hội Nông dân xã Kiên Lương"
    )
    missing = province.get(reverse("votes:proposal_file", args=[proposal.pk, "bao-cao-0"]))
    assert missing.status_code == 404


def test_the_province_schedules_the_file_on_its_session() -> None:
    world = two_levels()
    proposal = sent(world)
    province = client(world.province.officer)
    shown = province.get(page(proposal)).content.decode()
    assert "Đưa ra phiên họp" in shown and "Trả lại" in shown
    response = province.post(page(proposal, "schedule"), {"session": world.province.session.pk})
    assert response.status_code == 302
    carried = Nomination.objects.filter(session=world.province.session)
    assert carried.count() == 2 and all(n.origin_id for n in carried)
    session_page = province.get(
        reverse("votes:session", args=[world.province.campaign.code, world.province.session.pk])
    )
    assert "Nguyễn Thị Hạnh" in session_page.content.decode()
    assert "Hồ sơ đề nghị của Xã Kiên Lương" in " ".join(session_page.content.decode().split())


def test_the_inbox_lists_the_communes_files_filtered_and_marks_the_late_ones(
    django_assert_max_num_queries: object,
) -> None:
    world = two_levels()
    late_round = services.proposal_round_create(
        actor=world.province.officer,
        authority=world.province.authority,
        name="Đợt đã hết hạn",
        deadline=datetime.date(2026, 1, 31),
    )
    proposal = world.propose()
    services.proposal_send(actor=world.commune.officer, proposal=proposal, round=late_round)
    province = client(world.province.officer)
    with django_assert_max_num_queries(20):  # type: ignore[operator]
        response = province.get(reverse("votes:proposals"), {"round": late_round.pk})
    shown = response.content.decode()
    assert "Xã Kiên Lương" in shown and "Nộp muộn" in shown and "đủ" in shown
    other = province.get(reverse("votes:proposals"), {"status": "decided"}).content.decode()
    assert "Chưa có hồ sơ nào." in other


def test_the_province_opens_a_round_with_its_deadline() -> None:
    world = two_levels()
    province = client(world.province.officer)
    response = province.post(
        reverse("votes:proposal_rounds"),
        {
            "authority": world.province.authority.pk,
            "name": "Đợt xét năm 2026",
            "deadline": "2026-12-15",
        },
    )
    assert response.status_code == 302
    assert "Đợt xét năm 2026" in province.get(reverse("votes:proposal_rounds")).content.decode()
    commune = client(world.commune.officer)
    refused = commune.post(
        reverse("votes:proposal_rounds"),
        {"authority": world.province.authority.pk, "name": "Của xã", "deadline": "2026-12-15"},
    )
    assert refused.status_code == 403  # the form is the province office's only


# Authority --------------------------------------------------------------------------------------


def test_another_communes_manager_cannot_read_the_proposal_nor_its_files() -> None:
    world = two_levels()
    proposal = sent(world)
    neighbour = manager_of(
        UnitFactory(name="Xã Hòa Điền", kind=kind("xa"), parent=world.province.authority)
    )
    browser = client(neighbour)
    assert browser.get(page(proposal)).status_code == 404
    assert (
        browser.get(reverse("votes:proposal_file", args=[proposal.pk, "to-trinh"])).status_code
        == 404
    )
    assert browser.post(page(proposal, "return"), {"reason": "x"}).status_code == 404
    assert "Xã Kiên Lương" not in browser.get(reverse("votes:proposals")).content.decode()


def test_a_communes_manager_cannot_read_the_provinces_sessions() -> None:
    world = two_levels()
    browser = client(world.commune.officer)
    province = world.province
    for name, args in (
        ("votes:sessions", [province.campaign.code]),
        ("votes:session", [province.campaign.code, province.session.pk]),
    ):
        assert browser.get(reverse(name, args=args)).status_code == 403


def test_another_provinces_officer_reads_none_of_its_proposals() -> None:
    world = two_levels()
    proposal = sent(world)
    stranger = manager_of(UnitFactory(name="Tỉnh Khác", kind=kind("tinh")))
    browser = client(stranger)
    assert browser.get(page(proposal)).status_code == 404
    assert browser.post(page(proposal, "schedule"), {"session": 1}).status_code == 404
    assert "Xã Kiên Lương" not in browser.get(reverse("votes:proposals")).content.decode()


def test_the_province_reads_every_commune_of_its_own_but_not_their_drafts() -> None:
    world = two_levels()
    draft = world.propose()
    province = client(world.province.officer)
    assert province.get(page(draft)).status_code == 404
    services.proposal_send(actor=world.commune.officer, proposal=draft)
    assert province.get(page(draft)).status_code == 200


def test_the_commune_cannot_return_its_own_file_nor_the_province_send_it() -> None:
    world = two_levels()
    proposal = sent(world)
    commune = client(world.commune.officer)
    assert commune.post(page(proposal, "return"), {"reason": "Tự trả"}).status_code == 422
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SENT
    assert commune.post(page(proposal, "nonsense")).status_code == 404


def test_a_second_round_of_the_same_name_is_refused_beside_the_name() -> None:
    world = two_levels()
    province = client(world.province.officer)
    data = {"authority": world.province.authority.pk, "name": "Đợt 1", "deadline": "2026-12-15"}
    assert province.post(reverse("votes:proposal_rounds"), data).status_code == 302
    refused = province.post(reverse("votes:proposal_rounds"), data)
    assert refused.status_code == 422
    assert refused.context["form"].errors["name"] == ["Đã có đợt xét “Đợt 1”."]
