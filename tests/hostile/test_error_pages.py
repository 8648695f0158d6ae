"""Error pages for people: 400, 403, 404 and 500 in Vietnamese, in the portal's layout, with a
reference that the log line and the error tracker carry; never a traceback to the browser."""

import json
import logging
import re

import pytest
from django.contrib.auth.models import User
from django.test import Client, RequestFactory

from emulation_portal.error_ref import ErrorRefFilter
from tests.factories import UserFactory
from tests.test_settings import GOOD_SECRET, run_python
from units.roles import Role

REF = re.compile(r'<code class="error-ref">([0-9a-f]{8})</code>')
LAYOUT = "Cổng thi đua — phần mềm quản lý phong trào thi đua, khen thưởng"  # the footer


class Lines(logging.Handler):
    """Log lines formatted as the portal's console handler writes them."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []
        self.addFilter(ErrorRefFilter())
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s%(error_ref)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def log_lines() -> list[str]:
    handler = Lines()
    logger = logging.getLogger("django")
    logger.addHandler(handler)
    yield handler.lines  # type: ignore[misc]
    logger.removeHandler(handler)


@pytest.fixture
def unit_head(db: None) -> User:
    return UserFactory(roles=[Role.UNIT_HEAD])


def shown_ref(body: str) -> str:
    found = REF.search(body)
    assert found, "the page shows no reference"
    return found.group(1)


@pytest.mark.parametrize(
    ("path", "headers", "status", "heading"),
    [
        ("/units/blocks/", {}, 403, "Không có quyền truy cập (403)"),
        ("/khong-co-trang-nay/", {}, 404, "Không tìm thấy trang (404)"),
        ("/campaigns/", {"HTTP_HOST": "tan-cong.example"}, 400, "Yêu cầu không hợp lệ (400)"),
    ],
)
def test_an_error_page_is_vietnamese_in_the_layout_with_the_reference_of_its_log_line(  # type: ignore[no-untyped-def]
    client: Client, unit_head: User, log_lines, path, headers, status, heading
) -> None:
    client.force_login(unit_head)
    response = client.get(path, **headers)
    body = response.content.decode()
    assert response.status_code == status
    assert heading in body and LAYOUT in body and 'lang="vi"' in body
    ref = shown_ref(body)
    first_lines = [line.splitlines()[0] for line in log_lines]  # then the traceback, if any
    assert any(line.endswith(f"error_ref={ref}") for line in first_lines), first_lines


def test_two_errors_have_two_references(client: Client, unit_head: User) -> None:
    client.force_login(unit_head)
    first = shown_ref(client.get("/khong-co/").content.decode())
    second = shown_ref(client.get("/khong-co/").content.decode())
    assert first != second


def test_a_log_line_outside_an_error_has_no_reference(log_lines) -> None:  # type: ignore[no-untyped-def]
    logging.getLogger("django.test").warning("bình thường")
    assert log_lines[-1].endswith("bình thường")


# The 500 page and the error tracker, under production settings -----------------------------------

PRODUCTION_PROBE = """
import django, json
django.setup()
import sentry_sdk
from sentry_sdk.transport import Transport
from django.contrib.auth.decorators import login_not_required
from django.test import Client
from django.test.utils import override_settings
from django.urls import clear_url_caches, path
from emulation_portal import urls

# Production serves collected static files from a manifest; none is collected here.
override_settings(STORAGES={
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}).enable()

def boom(request):
    raise ZeroDivisionError("chi tiết bí mật 42")

urls.urlpatterns.append(path("boom/", login_not_required(boom)))
clear_url_caches()
events = []

class Capture(Transport):
    def capture_envelope(self, envelope):
        events.extend(i.payload.json for i in envelope.items if i.type == "event")

sentry_sdk.get_client().transport = Capture()
client = Client(raise_request_exception=False)
out = {}
for address in ["/boom/", "/khong-co-trang-nay/"]:
    response = client.get(address, secure=True)
    out[address] = [response.status_code, response.content.decode()]
sentry_sdk.flush()
out["tags"] = [event.get("tags", {}) for event in events]
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def production() -> tuple[dict[str, object], str]:
    result = run_python(
        PRODUCTION_PROBE,
        "emulation_portal.settings.production",
        SECRET_KEY=GOOD_SECRET,
        ALLOWED_HOSTS="testserver",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/x",
        SENTRY_DSN="https://public@sentry.example.invalid/1",
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1]), result.stderr


def test_a_server_error_under_production_settings_shows_no_traceback(production) -> None:  # type: ignore[no-untyped-def]
    out, _log = production
    status, body = out["/boom/"]
    assert status == 500
    assert "Lỗi hệ thống (500)" in body and LAYOUT in body
    for leak in ("Traceback", "ZeroDivisionError", "chi tiết bí mật", "boom", 'File "'):
        assert leak not in body
    shown_ref(body)


def test_the_500_reference_is_in_the_log_line_and_the_error_trackers_tag(production) -> None:  # type: ignore[no-untyped-def]
    out, log = production
    ref = shown_ref(out["/boom/"][1])
    error_lines = [line for line in log.splitlines() if "Internal Server Error: /boom/" in line]
    assert error_lines and error_lines[0].endswith(f"error_ref={ref}")
    assert {"error_ref": ref}.items() <= out["tags"][0].items()


def test_a_404_under_production_settings_has_its_own_reference(production) -> None:  # type: ignore[no-untyped-def]
    out, log = production
    status, body = out["/khong-co-trang-nay/"]
    assert status == 404 and "Không tìm thấy trang (404)" in body
    ref = shown_ref(body)
    assert ref != shown_ref(out["/boom/"][1])
    assert any(line.endswith(f"error_ref={ref}") for line in log.splitlines())


# Refusals in the log -----------------------------------------------------------------------------


def test_a_refusal_is_one_info_line_with_the_user_path_and_reason(  # type: ignore[no-untyped-def]
    client: Client, unit_head: User, log_lines
) -> None:
    client.force_login(unit_head)
    assert client.get("/units/blocks/").status_code == 403
    refused = [line for line in log_lines if "Refused" in line]
    assert len(refused) == 1, log_lines
    line = refused[0]
    assert line.startswith("INFO django.request: Refused 403: ")
    assert f"user={unit_head.username} path=/units/blocks/ reason=" in line
    assert "Traceback" not in "\n".join(log_lines)


def test_a_refused_form_is_one_info_line_not_a_warning(client: Client, db: None, log_lines) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/accounts/login/", {"username": "ai-do", "password": "sai"})
    assert response.status_code == 422
    refused = [line for line in log_lines if "django.request" in line]
    assert len(refused) == 1, log_lines
    assert refused[0].startswith(
        "INFO django.request: Refused 422: user=anonymous path=/accounts/login/ "
        "reason=Unprocessable"  # Entity or Content, by Python's version
    )


def test_a_server_error_keeps_its_traceback(log_lines) -> None:  # type: ignore[no-untyped-def]
    request = RequestFactory().get("/hong/")
    try:
        raise ValueError("hỏng thật")  # noqa: TRY301
    except ValueError:
        logging.getLogger("django.request").exception(
            "Internal Server Error: /hong/", extra={"status_code": 500, "request": request}
        )
    assert log_lines[-1].startswith("ERROR django.request: Internal Server Error: /hong/")
    assert "Traceback" in log_lines[-1] and "hỏng thật" in log_lines[-1]
