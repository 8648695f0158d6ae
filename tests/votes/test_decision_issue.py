"""The council's documents read the authority's profile: the decision carries its letterhead
with the rule lines, the number its register gives when the decision is issued ("Số: 1/QĐ-UBND",
then 2), the place and date as Nghị định 30/2020 writes them and its signer ("KT. CHỦ TỊCH /
PHÓ CHỦ TỊCH" for a deputy); the tờ trình is addressed to the head without doubled words."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from docx import Document

from campaigns import services as campaign_services
from campaigns.models import Campaign
from tests.factories import UnitFactory, authority_profile_of, manager_of
from units.models import AuthorityProfile, DocumentType, IssuedDocument
from votes import documents, selectors, services
from votes.models import Award, CouncilSession

from .conftest import Council, make_council
from .pdf import pdf_text
from .test_documents import docx_text

pytestmark = pytest.mark.django_db
AWARD = "Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã"  # the commune decides it itself
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def closed(council: Council, decided_on: datetime.date = datetime.date(2026, 2, 5)) -> Council:
    council.open()
    council.vote("yyy")
    council.close(decided_on=decided_on)
    return council


def next_session(council: Council, *, present: list[int]) -> CouncilSession:
    """Another closed session of the same campaign, with only the members at `present`."""
    campaign = council.session.campaign
    session = services.session_create(
        actor=None, campaign=campaign, held_on=datetime.date(2026, 12, 27)
    )
    nomination = services.nomination_add(
        actor=None,
        session=session,
        enrolment=council.nomination.enrolment,
        award=Award.objects.get(name=AWARD),
    )
    for index in present:
        services.attendance_set(
            actor=None, session=session, user=council.members[index], present=True
        )
    session = services.voting_open(actor=None, session=session)
    for index in present:
        services.vote_cast(
            voter=council.members[index], session=session, nomination=nomination, choice="yes"
        )
    return services.session_close(actor=None, session=session, missing_accepted=True)


def decision(session: CouncilSession) -> tuple[str, Document]:
    content = documents.decision_docx(session, selectors.outcomes_of(session))
    return docx_text(content), Document(io.BytesIO(content))


def setup(council: Council) -> tuple[Campaign, AuthorityProfile, object]:
    campaign = council.session.campaign
    profile = authority_profile_of(campaign.authority)
    return campaign, profile, manager_of(campaign.authority)


def test_the_issued_decision_carries_the_letterhead_its_number_and_the_chairman() -> None:
    council = closed(make_council(3, award=AWARD, authority_kind="xa"))
    _campaign, profile, manager = setup(council)
    session = services.decision_issue(actor=manager, session=council.session, signer=profile.head)
    text, document = decision(session)
    for words in (
        "ỦY BAN NHÂN DÂN\nXÃ KIÊN LƯƠNG",
        "Số: 1/QĐ-UBND",
        "Kiên Lương, ngày 05 tháng 02 năm 2026",
        "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ KIÊN LƯƠNG",
        "Nguyễn Văn An",
        "quỹ thi đua, khen thưởng của Ủy ban nhân dân xã Kiên Lương",
    ):
        assert words in text, words
    assert "KT. CHỦ TỊCH" not in text
    # a rule line under the issuing body and under the Tiêu ngữ
    for cell in document.tables[0].rows[0].cells:
        borders = cell._tc.findall(f".//{W}pBdr/{W}bottom")
        assert len(borders) == 1
    again, _document = decision(session)
    assert "Số: 1/QĐ-UBND" in again  # made again, the same number
    row = IssuedDocument.objects.get(doc_type=DocumentType.DECISION)
    assert (row.reference, row.year, row.signer_name, row.issued_by) == (
        "1/QĐ-UBND",
        2026,
        "Nguyễn Văn An",
        manager,
    )


def test_the_next_decision_of_the_authority_gets_number_2_and_a_deputy_signs_for_the_head() -> None:
    council = closed(make_council(3, award=AWARD, authority_kind="xa"))
    _campaign, profile, manager = setup(council)
    services.decision_issue(actor=manager, session=council.session, signer=profile.head)
    deputy = profile.signer_list()[1]
    second = next_session(council, present=[0, 1, 2])
    second = services.decision_issue(actor=manager, session=second, signer=deputy)
    text, _document = decision(second)
    assert "Số: 2/QĐ-UBND" in text
    assert "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH" in text and "Trần Văn Bình" in text
    assert "Kiên Lương, ngày 27 tháng 12 năm 2026" in text
    pdf = pdf_text(documents.decision_pdf(second, selectors.outcomes_of(second)))
    for words in (
        "ỦY BAN NHÂN DÂN",
        "XÃ KIÊN LƯƠNG",
        "Số: 2/QĐ-UBND",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
    ):
        assert words in pdf, words


def minutes_text(session: CouncilSession) -> str:
    attendance = selectors.attendance_of(session)
    return pdf_text(documents.minutes_pdf(session, selectors.outcomes_of(session), attendance))


def test_the_minutes_get_their_number_from_the_register_when_the_decision_is_issued() -> None:
    council = closed(make_council(3, award=AWARD, authority_kind="xa"))
    _campaign, profile, manager = setup(council)
    before = minutes_text(council.session)
    assert "Số: /BB-HĐTĐKT" in " ".join(before.split())  # a blank to fill in by hand
    with TestCase.captureOnCommitCallbacks(execute=True):  # the files, made after the commit
        services.decision_issue(actor=manager, session=council.session, signer=profile.head)
    session = CouncilSession.objects.get(pk=council.session.pk)
    text = minutes_text(session)
    # the number, and the place and date of the meeting (Nghị định 30/2020)
    assert "Số: 1/BB-HĐTĐKT" in text
    assert "Kiên Lương, ngày 20 tháng 12 năm 2026" in text
    assert "BIÊN BẢN HỌP HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG" in text
    line = IssuedDocument.objects.get(doc_type=DocumentType.MINUTES)
    assert (line.reference, line.year, line.issued_on, line.issued_by) == (
        "1/BB-HĐTĐKT",
        2026,
        datetime.date(2026, 12, 20),
        manager,
    )
    assert "20/12/2026" in line.subject
    assert session.minutes_file is not None
    assert (session.minutes_file.reference, session.minutes_file.document) == ("1/BB-HĐTĐKT", line)
    # the next session's minutes take the next number of the same register
    second = next_session(council, present=[0, 1, 2])
    second = services.decision_issue(actor=manager, session=second, signer=profile.head)
    assert "Số: 2/BB-HĐTĐKT" in minutes_text(second)
    assert "Kiên Lương, ngày 27 tháng 12 năm 2026" in minutes_text(second)


def test_a_decision_is_issued_once_and_only_by_its_authoritys_manager() -> None:
    council = closed(make_council(3, award=AWARD, authority_kind="xa"))
    _campaign, profile, manager = setup(council)
    secretary = council.members[0]
    with pytest.raises(PermissionDenied):
        services.decision_issue(actor=secretary, session=council.session, signer=profile.head)
    stranger = manager_of(UnitFactory(name="Xã Khác"))
    with pytest.raises(PermissionDenied):
        services.decision_issue(actor=stranger, session=council.session, signer=profile.head)
    foreign = authority_profile_of(UnitFactory(name="Xã Hòa Điền"), head="Người Khác").head
    with pytest.raises(ValidationError):
        services.decision_issue(actor=manager, session=council.session, signer=foreign)
    assert not IssuedDocument.objects.exists()
    services.decision_issue(actor=manager, session=council.session, signer=profile.head)
    with pytest.raises(ValidationError, match="1/QĐ-UBND"):
        services.decision_issue(actor=manager, session=council.session, signer=profile.head)
    assert IssuedDocument.objects.count() == 2  # the decision and the minutes


def test_a_session_that_is_not_closed_has_no_decision_to_issue() -> None:
    council = make_council(3, award=AWARD, authority_kind="xa")
    _campaign, profile, manager = setup(council)
    with pytest.raises(ValidationError):
        services.decision_issue(actor=manager, session=council.session, signer=profile.head)
    assert not IssuedDocument.objects.exists()


def test_before_the_issue_the_number_is_blank_and_the_head_is_the_signer() -> None:
    council = closed(make_council(3, award=AWARD, authority_kind="xa"))
    setup(council)
    text, _document = decision(council.session)
    assert "Số:       /QĐ-UBND" in text and "Nguyễn Văn An" in text


def test_without_a_profile_the_decision_guesses_nothing() -> None:
    council = closed(make_council(3, award=AWARD, authority_kind="xa"))
    text, _document = decision(council.session)
    authority = council.session.campaign.authority
    assert authority.name.upper() in text
    assert "UBND" not in text and "ỦY BAN NHÂN DÂN" not in text
    assert "…………, ngày 05 tháng 02 năm 2026" in text


def test_the_proposal_is_addressed_to_the_head_without_doubled_words() -> None:
    council = closed(make_council(3, award=AWARD, authority_kind="xa"))
    setup(council)
    session = council.session
    attendance = selectors.attendance_of(session)
    content = documents.proposal_docx(session, selectors.outcomes_of(session), attendance)
    text = docx_text(content)
    assert "Kính gửi: Chủ tịch Ủy ban nhân dân xã Kiên Lương" in text
    assert "Kiên Lương Xã" not in text and "xã Xã" not in text
    # the council heads its papers under its authority, on one line
    assert "ỦY BAN NHÂN DÂN XÃ KIÊN LƯƠNG\nHỘI ĐỒNG THI ĐUA - KHEN THƯỞNG" in text
    assert "TM. HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG\nCHỦ TỊCH" in text
    assert "Kiên Lương, ngày 05 tháng 02 năm 2026" in text


def test_a_vice_chair_presiding_signs_the_proposal_for_the_chair() -> None:
    council = closed(make_council(3, award=AWARD, authority_kind="xa"))
    campaign, _profile, _manager = setup(council)
    campaign_services.council_seat_set(
        actor=None, campaign=campaign, user=council.members[2], role="vice_chair"
    )
    session = next_session(council, present=[0, 2])  # the chair is absent
    attendance = selectors.attendance_of(session)
    text = docx_text(documents.proposal_docx(session, selectors.outcomes_of(session), attendance))
    assert "TM. HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH" in text
    assert council.members[2].get_full_name() in text
    minutes = pdf_text(documents.minutes_pdf(session, selectors.outcomes_of(session), attendance))
    assert "ỦY BAN NHÂN DÂN XÃ KIÊN LƯƠNG" in minutes
    assert "Kiên Lương, ngày 27 tháng 12 năm 2026" in minutes
