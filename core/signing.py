"""Signed documents: an authority's PKCS#12 certificate, its password kept sealed, the verification
mark (QR code and short address) stamped on an issued PDF, and the PAdES signature (pyHanko).

The password of a PKCS#12 file is never stored in clear: it is sealed with Fernet (AES-128-CBC and
HMAC-SHA256, `cryptography`) under a key derived from SECRET_KEY with HKDF-SHA256. Whoever reads
the database or its dumps without SECRET_KEY cannot open the key; a new SECRET_KEY makes the sealed
passwords unreadable, and each authority uploads its certificate again (docs/production.md)."""

import asyncio
import base64
import concurrent.futures
import datetime
import hashlib
import io
import re
from dataclasses import dataclass
from typing import Any

import segno
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from core.documents import register_fonts

# A PKCS#12 file holds one key and a few certificates: a few kilobytes.
PKCS12_MAX_BYTES = 64 * 1024
SIGNATURE_FIELD = "ChuKySo"


def _fernet() -> Fernet:
    key = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=b"emulation-portal",
        info=b"authority-certificate-password",
    ).derive(settings.SECRET_KEY.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def password_seal(password: str) -> str:
    return _fernet().encrypt(password.encode()).decode()


def password_open(token: str) -> str:
    """The password sealed by `password_seal`; refused when SECRET_KEY has changed since."""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise ValidationError(
            _(
                "Không mở được mật khẩu chứng thư số đã lưu (khóa bí mật của cổng đã thay đổi): "
                "hãy tải lại tệp chứng thư số ở trang Hồ sơ cơ quan."
            ),
            code="sealed_password",
        ) from None


@dataclass(frozen=True)
class CertificateFacts:
    subject: str
    issuer: str
    fingerprint: str  # SHA-256 of the certificate (DER), hex
    valid_from: datetime.datetime
    valid_to: datetime.datetime


def _name(name: x509.Name) -> str:
    common = name.get_attributes_for_oid(NameOID.COMMON_NAME)
    org = name.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    parts = [str(a.value) for a in common + org]
    return ", ".join(dict.fromkeys(parts)) or name.rfc4514_string()


def pkcs12_read(data: bytes, password: str) -> CertificateFacts:
    """What a PKCS#12 file holds, after checking that the password opens it and that it carries a
    private key with its certificate; refused in Vietnamese otherwise."""
    if len(data) > PKCS12_MAX_BYTES:
        raise ValidationError(
            _("Tệp chứng thư số quá lớn (tối đa %(limit)s KB).")
            % {"limit": PKCS12_MAX_BYTES // 1024},
            code="pkcs12_too_large",
        )
    try:
        key, certificate, _others = pkcs12.load_key_and_certificates(
            data, password.encode() if password else None
        )
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise ValidationError(
            _(
                "Không mở được tệp chứng thư số: mật khẩu không đúng hoặc tệp không phải định "
                "dạng PKCS#12 (.p12, .pfx). Chưa có gì thay đổi."
            ),
            code="pkcs12_password",
        ) from None
    if key is None or certificate is None:
        raise ValidationError(
            _("Tệp PKCS#12 phải chứa cả khóa bí mật và chứng thư số của cơ quan."),
            code="pkcs12_incomplete",
        )
    return CertificateFacts(
        subject=_name(certificate.subject),
        issuer=_name(certificate.issuer),
        fingerprint=certificate.fingerprint(hashes.SHA256()).hex(),
        valid_from=certificate.not_valid_before_utc,
        valid_to=certificate.not_valid_after_utc,
    )


def make_test_certificate(
    *, common_name: str, organization: str, password: str, days: int = 3650
) -> bytes:
    """A self-signed certificate and its RSA key as a PKCS#12 file: for the demo and the tests,
    never for real documents (no certification authority vouches for it)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return pkcs12.serialize_key_and_certificates(
        name=common_name.encode(),
        key=key,
        cert=certificate,
        cas=None,
        encryption_algorithm=serialization.BestAvailableEncryption(password.encode()),
    )


def pkcs12_certificate(data: bytes, password: str) -> asn1_x509.Certificate:
    """The certificate of a PKCS#12 file, as pyHanko's validator takes it (a trust root)."""
    _key, certificate, _others = pkcs12.load_key_and_certificates(data, password.encode())
    assert certificate is not None  # noqa: S101 - pkcs12_read checked it at the upload
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def _mark_page(url: str, lines: list[str]) -> bytes:
    """One A4 page with nothing but the verification mark, drawn where the margins of Nghị định
    30/2020 leave room (left margin 30 mm, bottom margin 20 mm): the QR code of the short address
    in the bottom-left corner, the address and what it shows along the bottom."""
    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, pageCompression=0)
    matrix = segno.make(url, error="m").matrix
    size = 20 * mm
    module = size / len(matrix)
    left, bottom = 6 * mm, 4 * mm
    canvas.setFillColorRGB(0, 0, 0)
    for row, cells in enumerate(matrix):
        for column, dark in enumerate(cells):
            if dark:
                y = bottom + size - (row + 1) * module
                canvas.rect(left + column * module, y, module, module, stroke=0, fill=1)
    canvas.setFont("DejaVuSans", 7)
    for number, line in enumerate(lines):
        canvas.drawString(30 * mm, 12 * mm - number * 3.2 * mm, line)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _mark_xobject(writer: IncrementalPdfFileWriter, mark: bytes) -> generic.StreamObject:
    """The mark's page as a form XObject of `writer`'s file, its fonts renamed (/F1 → /VerifyF1)
    so that no reader mistakes them for the document's own fonts of the same name."""
    page = PdfFileReader(io.BytesIO(mark)).root["/Pages"]["/Kids"][0]
    contents = page["/Contents"]
    streams = contents if isinstance(contents, generic.ArrayObject) else [contents]
    data = b"\n".join(stream.get_object().data for stream in streams)
    resources: Any = writer.import_object(page["/Resources"])
    fonts = resources["/Font"]
    for name in sorted(fonts, key=len, reverse=True):
        renamed = generic.pdf_name("/Verify" + name[1:])
        fonts[renamed] = fonts.pop(name)
        data = re.sub(re.escape(name.encode()) + rb"(?=\s)", renamed.encode(), data)
    return generic.StreamObject(
        {
            generic.pdf_name("/Type"): generic.pdf_name("/XObject"),
            generic.pdf_name("/Subtype"): generic.pdf_name("/Form"),
            generic.pdf_name("/BBox"): generic.ArrayObject(
                [generic.FloatObject(v) for v in page["/MediaBox"]]
            ),
            generic.pdf_name("/Resources"): resources,
        },
        stream_data=data,
    )


def mark_and_sign(
    pdf: bytes,
    *,
    url: str,
    lines: list[str],
    pkcs12_data: bytes | None,
    password: str,
    reason: str,
    location: str,
) -> bytes:
    """The issued file: the verification mark stamped on every page, then, when the authority has
    a certificate, a PAdES signature (B-B) over all of it. Without a certificate the file is
    marked but not signed."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    xobject = writer.add_object(_mark_xobject(writer, _mark_page(url, lines)))
    resources = generic.DictionaryObject(
        {
            generic.pdf_name("/XObject"): generic.DictionaryObject(
                {generic.pdf_name("/VerifyMark"): xobject}
            )
        }
    )
    stream = writer.add_object(generic.StreamObject(stream_data=b"q /VerifyMark Do Q"))
    for page in range(int(writer.root["/Pages"]["/Count"])):
        writer.add_stream_to_page(page, stream, resources=resources)
    output = io.BytesIO()
    if pkcs12_data is None:
        writer.write(output)
        return output.getvalue()
    signer = signers.SimpleSigner.load_pkcs12_data(
        pkcs12_data, other_certs=[], passphrase=password.encode()
    )
    meta = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        location=location,
    )
    _outside_an_event_loop(signers.sign_pdf, writer, meta, signer=signer, output=output)
    return output.getvalue()


def _outside_an_event_loop(function: Any, *args: Any, **kwargs: Any) -> Any:
    """pyHanko's synchronous signing runs its own event loop (asyncio.run), which Python refuses
    inside a running one: a caller that has one (a Playwright test seeding the demo) gets the
    work done on a thread of its own. A Django request or a worker has none."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
