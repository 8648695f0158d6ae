"""Signed and verifiable documents: the issued decision and minutes are signed (PAdES) with the
authority's PKCS#12 certificate and validate with pyHanko's validator; anyone can check a copy at
the short address printed under the QR code ("khớp" / "không khớp"); only a manager of the
authority uploads its certificate, and a wrong password changes nothing. The close checkpoints
SQLite's journal (docs/domain-law.md, Phiếu kín)."""

import datetime
import io

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from core import signing
from tests.factories import UnitFactory, authority_profile_of, manager_of
from units import services as unit_services
from units.models import AuthorityCertificate, AuthorityEvent
from units.views import VerifyView
from votes import services
from votes.models import CouncilSession

from .conftest import Council, make_council
from .pdf import pdf_text

pytestmark = pytest.mark.django_db
AWARD = "Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã"  # decided by the commune itself
PASSWORD = "mật-khẩu-thử"  # noqa: S105 - a test certificate's


@pytest.fixture(scope="module")
def p12() -> bytes:
    """One self-signed test certificate for the module (an RSA key takes a moment to make)."""
    return signing.make_test_certificate(
        common_name="Ủy ban nhân dân xã Kiên Lương", organization="UBND xã", password=PASSWORD
    )


def logged_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def issued(council: Council, *, certificate: bytes | None) -> CouncilSession:
    """The council's session closed and its decision issued by the authority's manager, who
    uploaded `certificate` first (none: no certificate)."""
    authority = council.session.campaign.authority
    profile = authority_profile_of(authority)
    manager = manager_of(authority)
    if certificate is not None:
        unit_services.authority_certificate_set(
            actor=manager, authority=authority, pkcs12=certificate, password=PASSWORD
        )
    council.open()
    council.vote("yyy")
    council.close(decided_on=datetime.date(2026, 2, 5))
    with TestCase.captureOnCommitCallbacks(execute=True):  # the files, made after the commit
        services.decision_issue(actor=manager, session=council.session, signer=profile.head)
    return CouncilSession.objects.get(pk=council.session.pk)


def validated(content: bytes, certificate: bytes):  # type: ignore[no-untyped-def]
    signature = PdfFileReader(io.BytesIO(content)).embedded_signatures[0]
    trusted = ValidationContext(trust_roots=[signing.pkcs12_certificate(certificate, PASSWORD)])
    return validate_pdf_signature(signature, trusted)


def test_the_issued_decision_and_minutes_are_signed_and_validate_with_pyhanko(p12) -> None:
    session = issued(make_council(3, award=AWARD, authority_kind="xa"), certificate=p12)
    decision, minutes = session.decision_file, session.minutes_file
    assert decision is not None and minutes is not None
    for published in (decision, minutes):
        content = bytes(published.content)
        status = validated(content, p12)
        assert status.bottom_line and status.intact and status.valid and status.trusted
        assert status.coverage.name == "ENTIRE_FILE"
        assert published.sha256 == signing.sha256(content)
        assert published.certificate_subject.startswith("Ủy ban nhân dân xã Kiên Lương")
    assert decision.reference == "1/QĐ-UBND" and decision.document is not None
    text = pdf_text(bytes(decision.content))
    assert "Số: 1/QĐ-UBND" in text
    assert f"/v/{decision.code}" in text  # the short address under the QR code
    # The download is the issued file, byte for byte, not a file made again.
    code = session.campaign.code
    manager = manager_of(session.campaign.authority)
    response = logged_in(manager).get(
        reverse("votes:file", args=[code, session.pk, "quyet-dinh", "pdf"])
    )
    assert response.status_code == 200
    assert response.content == bytes(decision.content)
    history = AuthorityEvent.objects.filter(action="file_publish").count()
    assert history == 2


def test_a_changed_byte_breaks_the_signature(p12) -> None:
    session = issued(make_council(3, award=AWARD, authority_kind="xa"), certificate=p12)
    content = bytearray(session.decision_file.content)  # type: ignore[union-attr]
    at = content.index(b"Tr") + 1  # a byte of the page's text, inside the signed range
    content[at] ^= 0x01
    assert not validated(bytes(content), p12).intact


def test_the_public_page_shows_the_document_and_answers_khop_or_khong_khop(p12) -> None:
    cache.clear()
    session = issued(make_council(3, award=AWARD, authority_kind="xa"), certificate=p12)
    published = session.decision_file
    assert published is not None
    anyone = Client()  # no sign-in
    url = reverse("verify", args=[published.code])
    page = anyone.get(url).content.decode()
    for shown in ("1/QĐ-UBND", "05/02/2026", "Nguyễn Văn An", published.sha256, "Ký số"):
        assert shown in page
    content = bytes(published.content)
    same = anyone.post(url, {"file": SimpleUploadedFile("qd.pdf", content, "application/pdf")})
    assert same.status_code == 200
    assert "<strong>khớp</strong>" in same.content.decode()
    changed = bytearray(content)
    changed[len(changed) // 2] ^= 0x01
    other = anyone.post(
        url, {"file": SimpleUploadedFile("qd.pdf", bytes(changed), "application/pdf")}
    )
    answer = other.content.decode()
    assert "<strong>không khớp</strong>" in answer
    assert "<strong>khớp</strong>" not in answer
    assert anyone.get(url, {"tai": "1"}).content == content
    assert anyone.get(reverse("verify", args=["khongco2345"])).status_code == 404


def test_uploads_to_the_public_page_are_checked_and_counted(p12, monkeypatch) -> None:
    cache.clear()
    session = issued(make_council(3, award=AWARD, authority_kind="xa"), certificate=None)
    published = session.decision_file
    assert published is not None and not published.signed
    anyone = Client()
    url = reverse("verify", args=[published.code])
    assert "Chưa ký số" in anyone.get(url).content.decode()
    not_pdf = anyone.post(url, {"file": SimpleUploadedFile("qd.pdf", b"hello", "text/plain")})
    assert not_pdf.status_code == 422
    monkeypatch.setattr(VerifyView, "UPLOADS_PER_WINDOW", 2)
    pdf = SimpleUploadedFile("qd.pdf", bytes(published.content), "application/pdf")
    assert anyone.post(url, {"file": pdf}).status_code == 200
    refused = anyone.post(url, {"file": pdf})
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= VerifyView.WINDOW_SECONDS
    # Counted per address, not per browser: another visitor from the same address is refused too.
    assert Client().post(url, {"file": pdf}).status_code == 429


def test_a_manager_of_another_authority_cannot_upload_a_certificate_for_this_one(p12) -> None:
    commune = UnitFactory(code="XKL", name="Xã Kiên Lương")
    stranger = manager_of(UnitFactory(code="XHD", name="Xã Hòa Điền"))
    authority_profile_of(commune)
    with pytest.raises(PermissionDenied):
        unit_services.authority_certificate_set(
            actor=stranger, authority=commune, pkcs12=p12, password=PASSWORD
        )
    response = logged_in(stranger).post(
        reverse("units:authority_certificate", args=[commune.pk]),
        {"file": SimpleUploadedFile("cqs.p12", p12), "password": PASSWORD},
    )
    assert response.status_code == 403
    assert not AuthorityCertificate.objects.exists()


def test_a_wrong_password_is_refused_in_vietnamese_and_changes_nothing(p12) -> None:
    commune = UnitFactory(code="XKL", name="Xã Kiên Lương")
    authority_profile_of(commune)
    manager = manager_of(commune)
    with pytest.raises(ValidationError) as refused:
        unit_services.authority_certificate_set(
            actor=manager, authority=commune, pkcs12=p12, password="sai"
        )
    assert "mật khẩu không đúng" in refused.value.messages[0]
    page = reverse("units:authority_profile", args=[commune.pk])
    response = logged_in(manager).post(
        reverse("units:authority_certificate", args=[commune.pk]),
        {"file": SimpleUploadedFile("cqs.p12", p12), "password": "sai"},
    )
    assert response.status_code == 422
    assert "mật khẩu không đúng" in response.content.decode()
    assert not AuthorityCertificate.objects.exists()
    assert not AuthorityEvent.objects.filter(action="certificate_set").exists()
    # The right password: kept sealed, never in clear; the page names the certificate.
    accepted = logged_in(manager).post(
        reverse("units:authority_certificate", args=[commune.pk]),
        {"file": SimpleUploadedFile("cqs.p12", p12), "password": PASSWORD},
    )
    assert accepted.status_code == 302
    kept = AuthorityCertificate.objects.get(authority=commune)
    assert PASSWORD not in kept.sealed_password
    assert signing.password_open(kept.sealed_password) == PASSWORD
    assert kept.fingerprint in logged_in(manager).get(page).content.decode()
    # Another file with a wrong password leaves the kept certificate as it was.
    other = signing.make_test_certificate(common_name="Khác", organization="Khác", password="x")
    again = logged_in(manager).post(
        reverse("units:authority_certificate", args=[commune.pk]),
        {"file": SimpleUploadedFile("khac.p12", other), "password": PASSWORD},
    )
    assert again.status_code == 422
    assert AuthorityCertificate.objects.get(authority=commune).fingerprint == kept.fingerprint
    assert AuthorityEvent.objects.filter(action="certificate_set").count() == 1


def test_make_test_certificate_writes_a_pkcs12_file_and_installs_it(tmp_path) -> None:
    commune = UnitFactory(code="XKL", name="Xã Kiên Lương")
    out = tmp_path / "thu.p12"
    call_command("make_test_certificate", authority="XKL", out=str(out), password="demo")
    facts = signing.pkcs12_read(out.read_bytes(), "demo")
    assert facts.subject.startswith("Xã Kiên Lương")
    assert AuthorityCertificate.objects.get(authority=commune).fingerprint == facts.fingerprint


@pytest.mark.django_db(transaction=True)
def test_the_close_checkpoints_the_sqlite_journal_after_its_commit(catalogue, caplog) -> None:
    """Run without a test transaction around it: the close commits, then the checkpoint runs
    (on SQLite only) and empties the write-ahead log, with no warning logged."""
    council = make_council(3)
    council.open()
    council.vote("yyy")
    with CaptureQueriesContext(connection) as queries:
        services.session_close(actor=None, session=council.session)
    sql = [q["sql"] for q in queries.captured_queries]
    checkpoints = [i for i, q in enumerate(sql) if q == "PRAGMA wal_checkpoint(TRUNCATE)"]
    assert len(checkpoints) == (1 if connection.vendor == "sqlite" else 0)
    if checkpoints:
        # After the close's writes: the ballots are in before the journal is emptied.
        last_write = max(i for i, q in enumerate(sql) if q.split()[0] in ("INSERT", "UPDATE"))
        assert checkpoints[0] > last_write
    assert "not checkpointed" not in caplog.text
    assert "not truncated" not in caplog.text
