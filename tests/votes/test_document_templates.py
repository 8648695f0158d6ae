"""An authority's own Word templates: uploaded on its profile page, checked (every field the
built-in template of its kind uses, no field the portal does not fill: refused naming them),
kept with their history; the documents use the one in force, the built-in one after a reset.
And the báo cáo thành tích of a household: headed by the household, at its address."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from docx import Document

from tests.factories import UnitFactory, manager_of
from units import services as unit_services
from units.models import AuthorityEvent, DocumentTemplate
from votes import documents, selectors, services
from votes.models import Award

from .conftest import make_council
from .test_documents import docx_text

pytestmark = pytest.mark.django_db
MARK = "Mẫu riêng của cơ quan"


def own_template(*, drop: str = "", add: str = "") -> SimpleUploadedFile:
    """The built-in decision with a line of its own, less a field or with an unknown one."""
    document = Document(str(documents.DECISION_TEMPLATE))
    document.add_paragraph(f"{MARK} {add}")
    if drop:
        for paragraph in document.paragraphs:
            for run in paragraph.runs:
                run.text = run.text.replace(f"{{{{ {drop} }}}}", "")
        for table in document.tables:
            for row in table.rows:
                for cell in row.cells:
                    for paragraph in cell.paragraphs:
                        for run in paragraph.runs:
                            run.text = run.text.replace(f"{{{{ {drop} }}}}", "")
    buffer = io.BytesIO()
    document.save(buffer)
    return SimpleUploadedFile("quyet-dinh-xa.docx", buffer.getvalue())


def closed_council():  # type: ignore[no-untyped-def]
    council = make_council(
        3, award="Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã", authority_kind="xa"
    )
    council.open()
    council.vote("yyy")
    return council.close()


def test_an_authority_decides_with_its_own_template_until_it_goes_back() -> None:
    session = closed_council()
    authority = session.campaign.authority
    manager = manager_of(authority)
    client = Client()
    client.force_login(manager)
    url = reverse("units:document_templates", args=[authority.pk])
    response = client.post(url, {"kind": "decision", "file": own_template()})
    assert response.status_code == 302
    own = DocumentTemplate.objects.get(authority=authority, kind="decision", active=True)
    assert own.original_name == "quyet-dinh-xa.docx" and own.uploaded_by == manager
    assert AuthorityEvent.objects.filter(authority=authority, action="template_upload").exists()
    outcomes = selectors.outcomes_of(session)
    text = docx_text(documents.decision_docx(session, outcomes))
    assert MARK in text and "QUYẾT ĐỊNH" in text
    page = client.get(reverse("units:authority_profile", args=[authority.pk])).content.decode()
    assert "quyet-dinh-xa.docx" in page and "date_line" in page

    assert client.post(url, {"kind": "decision", "reset": "1"}).status_code == 302
    assert MARK not in docx_text(documents.decision_docx(session, outcomes))
    assert DocumentTemplate.objects.filter(authority=authority).count() == 1  # kept, not used
    assert AuthorityEvent.objects.filter(authority=authority, action="template_reset").exists()


def test_a_template_missing_a_field_or_asking_for_an_unknown_one_is_refused_by_name() -> None:
    authority = UnitFactory()
    manager = manager_of(authority)
    client = Client()
    client.force_login(manager)
    url = reverse("units:document_templates", args=[authority.pk])
    response = client.post(url, {"kind": "decision", "file": own_template(drop="date_line")})
    assert response.status_code == 422
    assert "Mẫu thiếu các trường: date_line." in response.content.decode()
    with pytest.raises(ValidationError) as refused:
        unit_services.document_template_upload(
            actor=manager,
            authority=authority,
            kind="decision",
            upload=own_template(add="{{ bank_account }}"),
        )
    assert "bank_account" in str(refused.value)
    assert not DocumentTemplate.objects.exists()
    with pytest.raises(ValidationError):  # not a Word file
        unit_services.document_template_upload(
            actor=manager,
            authority=authority,
            kind="decision",
            upload=SimpleUploadedFile("quyet-dinh.docx", b"%PDF-1.4 not a docx"),
        )


def test_only_the_authoritys_manager_uploads_its_templates() -> None:
    authority, other = UnitFactory(), UnitFactory()
    with pytest.raises(PermissionDenied):
        unit_services.document_template_upload(
            actor=manager_of(other), authority=authority, kind="decision", upload=own_template()
        )


def test_a_households_report_is_headed_by_the_household_at_its_address(published) -> None:  # type: ignore[no-untyped-def]
    case, manager, _secretary = published
    code = case.campaign.code
    manager.post(reverse("votes:sessions", args=[code]), {"held_on": "2026-12-20"})
    session = case.campaign.sessions.get()
    enrolment = case.units["Xã Bình Trị"]
    response = manager.post(
        reverse("votes:action", args=[code, session.pk, "nominate"]),
        {
            "recipient_kind": "household",
            "enrolment": enrolment.pk,
            "person_name": "Nguyễn Văn Tư",
            "address": "Ấp Ngã Ba, xã Bình Trị",
            "award": Award.objects.get(name="Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã").pk,
            "achievements": "Hiến 200 m² đất làm đường giao thông nông thôn.",
        },
    )
    assert response.status_code == 302
    household = session.nominations.get(person_name="Nguyễn Văn Tư")
    assert household.address == "Ấp Ngã Ba, xã Bình Trị"
    text = docx_text(documents.report_docx(household))
    assert "HỘ GIA ĐÌNH\nNGUYỄN VĂN TƯ" in text
    assert "Nơi cư trú: Ấp Ngã Ba, xã Bình Trị." in text and "CHỦ HỘ" in text
    assert f"Nơi cư trú: {enrolment.unit.name}" not in text
    assert "Nghị định 152/2025/NĐ-CP" in text  # the form in force on the session's date


def test_scores_in_documents_use_the_decimal_comma() -> None:
    council = make_council(
        3, award="Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã", authority_kind="xa"
    )
    nomination = services.nomination_add(
        actor=None,
        session=council.session,
        enrolment=council.nomination.enrolment,
        award=Award.objects.get(name="Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã"),
        recipient_kind="individual",
        person_name="Trần Văn Ba",
        position="Công chức Văn phòng",
        final_score=Decimal("99.5"),
    )
    text = docx_text(documents.report_docx(nomination))
    assert "99,50 điểm" in text and "99.5" not in text
    assert "Chức vụ: Công chức Văn phòng." in text
