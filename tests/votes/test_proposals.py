"""Proposals to the province, through the services: a commune session adopts Bằng khen of the
province as a proposal, the commune sends it, the province returns it with a reason, the commune
corrects it and sends it again, the province puts it on its council's session, votes, closes and
issues its decision; the proposal is then decided and the commune's officers are told. Each
service writes its history line."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from docx import Document
from openpyxl import load_workbook

from notifications.models import Notification
from tests.factories import UnitFactory, kind, manager_of
from units.models import AuthorityEvent
from units.selectors import authority_profile
from votes import documents, selectors, services
from votes.models import Nomination, Proposal, ProposalEvent, ProposalStatus

from .test_documents import docx_text
from .two_levels import BANG_KHEN, TwoLevels, two_levels, vote_all

pytestmark = pytest.mark.django_db


def docx_upload(text: str, name: str = "to-trinh-sua.docx") -> SimpleUploadedFile:
    document = Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def last_event(proposal: Proposal) -> ProposalEvent:
    return ProposalEvent.objects.filter(proposal=proposal).order_by("-pk").first()  # type: ignore[return-value]


def decide(world: TwoLevels, proposal: Proposal) -> Proposal:
    province = world.province
    services.proposal_schedule(actor=province.officer, proposal=proposal, session=province.session)
    province.session = vote_all(province.session, province.members)
    # as deployed: the signed files are made after the commit, and the communes told with them
    with TestCase.captureOnCommitCallbacks(execute=True):
        province.session = services.decision_issue(
            actor=province.officer,
            session=province.session,
            signer=authority_profile(province.authority).head,  # type: ignore[union-attr]
        )
    province.session.refresh_from_db()
    proposal.refresh_from_db()
    return proposal


def test_the_whole_path_from_the_commune_session_to_the_province_decision() -> None:
    world = two_levels()
    commune, province = world.commune, world.province
    round_ = services.proposal_round_create(
        actor=province.officer,
        authority=province.authority,
        name="Đợt xét cuối năm 2026",
        deadline=datetime.date(2099, 12, 31),
    )
    proposal = world.propose()
    assert proposal.status == ProposalStatus.DRAFT
    assert proposal.province == province.authority
    assert [n.nominee for n in selectors.proposal_nominations(proposal.session)] == [
        "Hội Nông dân xã Kiên Lương",
        "Nguyễn Thị Hạnh, Chủ tịch Hội Nông dân xã, Hội Nông dân xã Kiên Lương",
    ]
    services.proposal_send(actor=commune.officer, proposal=proposal)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.round, proposal.late) == (ProposalStatus.SENT, round_, False)
    assert Notification.objects.filter(user=province.officer).exists()

    services.proposal_return(
        actor=province.officer, proposal=proposal, reason="Thiếu xác nhận của Hội Nông dân."
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.RETURNED
    notice = Notification.objects.filter(user=commune.officer).get()
    assert "Thiếu xác nhận của Hội Nông dân." in notice.body

    services.proposal_file_replace(
        actor=commune.officer,
        proposal=proposal,
        document="to-trinh",
        upload=docx_upload("Tờ trình đã bổ sung xác nhận"),
    )
    services.proposal_send(actor=commune.officer, proposal=proposal)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.return_reason) == (ProposalStatus.SENT, "")

    proposal = decide(world, proposal)
    assert proposal.status == ProposalStatus.DECIDED
    carried = Nomination.objects.filter(session=province.session).order_by("pk")
    assert [n.origin for n in carried] == [world.unit_nomination, world.person_nomination]
    assert all(n.passed and not n.proposed for n in carried)
    assert [n.amount for n in carried] == [7_590_000, 3_800_000]  # 3,0 and 1,5 × 2.530.000 đ
    decision = Notification.objects.filter(user=commune.officer).order_by("-pk").first()
    assert decision is not None and province.session.decision_number in decision.subject
    assert decision.url == f"/v/{province.session.decision_file.code}"
    assert decision.url == f"/v/{province.session.decision_file.code}"
    assert "Nguyễn Thị Hạnh" in decision.body and "Đạt" in decision.body
    assert list(
        ProposalEvent.objects.filter(proposal=proposal)
        .order_by("pk")
        .values_list("action", flat=True)
    ) == [
        "proposal_create",
        "proposal_send",
        "proposal_return",
        "proposal_file_replace",
        "proposal_send",
        "proposal_schedule",
        "proposal_decide",
    ]


def test_each_service_writes_its_history_line() -> None:
    world = two_levels()
    commune, province = world.commune, world.province
    services.proposal_round_create(
        actor=province.officer,
        authority=province.authority,
        name="Đợt 1",
        deadline=datetime.date(2099, 1, 1),
    )
    line = AuthorityEvent.objects.get(action="proposal_round_create")
    assert (line.actor, line.subject, line.new_value) == (province.officer, "Đợt 1", "01/01/2099")
    proposal = world.propose()
    created = last_event(proposal)
    assert (created.action, created.actor, created.new_value) == (
        "proposal_create",
        commune.officer,
        "Đang soạn",
    )
    services.proposal_file_replace(
        actor=commune.officer,
        proposal=proposal,
        document="danh-sach",
        upload=docx_upload("Danh sách", "danh-sach.docx"),
    )
    replaced = last_event(proposal)
    assert (replaced.action, replaced.subject, replaced.new_value) == (
        "proposal_file_replace",
        "Danh sách trích ngang",
        "danh-sach.docx",
    )
    services.proposal_send(actor=commune.officer, proposal=proposal)
    sent = last_event(proposal)
    assert (sent.action, sent.old_value, sent.new_value) == ("proposal_send", "Đang soạn", "Đã gửi")
    services.proposal_return(actor=province.officer, proposal=proposal, reason="Sai chức vụ.")
    returned = last_event(proposal)
    assert (returned.action, returned.actor, returned.reason) == (
        "proposal_return",
        province.officer,
        "Sai chức vụ.",
    )
    services.proposal_send(actor=commune.officer, proposal=proposal)
    services.proposal_schedule(actor=province.officer, proposal=proposal, session=province.session)
    scheduled = last_event(proposal)
    assert (scheduled.action, scheduled.subject) == ("proposal_schedule", str(province.session))


def test_a_proposal_sent_after_its_rounds_deadline_is_marked_late_not_refused() -> None:
    world = two_levels()
    past = services.proposal_round_create(
        actor=world.province.officer,
        authority=world.province.authority,
        name="Đợt giữa năm",
        deadline=datetime.date(2026, 6, 30),
    )
    proposal = services.proposal_create(
        actor=world.commune.officer, session=world.commune.session, round=past
    )
    services.proposal_send(actor=world.commune.officer, proposal=proposal)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.late) == (ProposalStatus.SENT, True)
    assert last_event(proposal).reason == "Nộp muộn"


def test_the_checklist_shows_each_awards_documents_and_a_missing_report() -> None:
    world = two_levels()
    Nomination.objects.filter(pk=world.person_nomination.pk).update(achievements="")
    proposal = world.propose()
    (award,) = selectors.proposal_checklist(proposal)
    assert award.award == BANG_KHEN
    assert not award.complete
    missing = [label for label, present in award.rows if not present]
    assert missing == [
        "Báo cáo thành tích: Nguyễn Thị Hạnh, Chủ tịch Hội Nông dân xã, Hội Nông dân xã Kiên Lương"
    ]
    with pytest.raises(ValidationError) as refused:
        services.proposal_send(actor=world.commune.officer, proposal=proposal)
    assert refused.value.code == "incomplete"
    key = f"bao-cao-{world.person_nomination.pk}"
    services.proposal_file_replace(
        actor=world.commune.officer,
        proposal=proposal,
        document=key,
        upload=docx_upload("Báo cáo thành tích", "bao-cao.docx"),
    )
    (award,) = selectors.proposal_checklist(proposal)
    assert award.complete


def test_the_generated_documents_open() -> None:
    world = two_levels()
    proposal = world.propose()
    nominations = selectors.proposal_nominations(proposal.session)
    texts = {
        doc.key: documents.proposal_document(proposal.session, doc.key, nominations)
        for doc in selectors.proposal_documents(proposal, nominations)
    }
    assert "Hội Nông dân xã Kiên Lương" in docx_text(texts["to-trinh"])
    assert "3/3" in docx_text(texts["bien-ban"])
    report = docx_text(texts[f"bao-cao-{world.person_nomination.pk}"])
    assert "Nguyễn Thị Hạnh" in report and "120 hộ" in report
    sheet = load_workbook(io.BytesIO(texts["danh-sach"])).active
    rows = [list(row) for row in sheet.iter_rows(min_row=5, values_only=True)]
    assert [row[1] for row in rows] == ["Hội Nông dân xã Kiên Lương", "Nguyễn Thị Hạnh"]
    assert rows[1][6] == BANG_KHEN and rows[1][8].startswith("3/3")


def test_only_a_session_with_passed_proposals_makes_a_file_and_only_once() -> None:
    world = two_levels(close=False)
    with pytest.raises(ValidationError):  # not closed
        world.propose()
    world.commune.session = vote_all(world.commune.session, world.commune.members, "no")
    with pytest.raises(ValidationError) as refused:
        world.propose()
    assert refused.value.code == "empty"


def test_a_second_file_of_the_same_session_is_refused() -> None:
    world = two_levels()
    world.propose()
    with pytest.raises(ValidationError) as refused:
        world.propose()
    assert refused.value.code == "exists"


def test_the_province_puts_a_file_only_on_its_own_planned_session() -> None:
    world = two_levels()
    proposal = world.propose()
    services.proposal_send(actor=world.commune.officer, proposal=proposal)
    with pytest.raises(ValidationError) as refused:  # the commune's own session
        services.proposal_schedule(
            actor=world.province.officer, proposal=proposal, session=world.commune.session
        )
    assert refused.value.code == "state"


def test_another_province_and_the_commune_cannot_return_or_schedule() -> None:
    world = two_levels()
    proposal = world.propose()
    services.proposal_send(actor=world.commune.officer, proposal=proposal)
    stranger = manager_of(UnitFactory(name="Tỉnh Khác", kind=kind("tinh")))
    for actor in (stranger, world.commune.officer):
        with pytest.raises(PermissionDenied):
            services.proposal_return(actor=actor, proposal=proposal, reason="Không")
        with pytest.raises(PermissionDenied):
            services.proposal_schedule(
                actor=actor, proposal=proposal, session=world.province.session
            )
    with pytest.raises(PermissionDenied):
        services.proposal_round_create(
            actor=world.commune.officer,
            authority=world.province.authority,
            name="Đợt",
            deadline=datetime.date(2099, 1, 1),
        )


def test_another_commune_cannot_make_or_send_the_file() -> None:
    world = two_levels()
    neighbour = manager_of(
        UnitFactory(name="Xã Hòa Điền", kind=kind("xa"), parent=world.province.authority)
    )
    with pytest.raises(PermissionDenied):
        services.proposal_create(actor=neighbour, session=world.commune.session)
    proposal = world.propose()
    with pytest.raises(PermissionDenied):
        services.proposal_send(actor=neighbour, proposal=proposal)
    assert list(selectors.proposals_for(neighbour)) == []


def test_a_return_needs_a_reason() -> None:
    world = two_levels()
    proposal = world.propose()
    services.proposal_send(actor=world.commune.officer, proposal=proposal)
    with pytest.raises(ValidationError) as refused:
        services.proposal_return(actor=world.province.officer, proposal=proposal, reason="  ")
    assert refused.value.code == "reason"


def test_the_province_reads_its_communes_sent_proposals_not_their_drafts() -> None:
    world = two_levels()
    proposal = world.propose()
    assert list(selectors.proposals_for(world.province.officer)) == []
    assert list(selectors.proposals_for(world.commune.officer)) == [proposal]
    services.proposal_send(actor=world.commune.officer, proposal=proposal)
    assert list(selectors.proposals_for(world.province.officer)) == [proposal]
    other = manager_of(UnitFactory(name="Tỉnh Khác", kind=kind("tinh")))
    assert list(selectors.proposals_for(other)) == []


def test_the_demo_has_one_decided_and_one_returned_proposal_of_xa_kien_luong() -> None:
    from devtools.demo import CAMPAIGN_PROVINCE, RETURN_REASON_PROPOSAL, seed_demo

    seed_demo()
    decided, returned = Proposal.objects.order_by("session__held_on")
    assert decided.status == ProposalStatus.DECIDED
    assert decided.province_session.campaign.code == CAMPAIGN_PROVINCE  # type: ignore[union-attr]
    assert decided.province_session.decision_number  # type: ignore[union-attr]
    (carried,) = decided.province_session.nominations.all()  # type: ignore[union-attr]
    assert (carried.nominee, carried.award_name, carried.passed, carried.amount) == (
        "Hội Nông dân xã Kiên Lương",
        BANG_KHEN,
        True,
        7_590_000,
    )
    assert returned.status == ProposalStatus.RETURNED
    assert returned.return_reason == RETURN_REASON_PROPOSAL
    assert [n.person_name for n in selectors.proposal_nominations(returned.session)] == [
        "Trần Thị Thu"
    ]
    manager = Notification.objects.filter(user__username="manager")
    assert manager.filter(subject__contains="trả lại").exists()
    assert manager.filter(subject__contains=decided.province_session.decision_number).exists()  # type: ignore[union-attr]
    planned = selectors.province_sessions_open(decided.province)
    assert planned.exists()
