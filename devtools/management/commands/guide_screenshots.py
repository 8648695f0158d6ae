"""The pictures of the user guide (Hướng dẫn sử dụng): the demo, served live, photographed.

Builds a throwaway database (the test database's name, so the developer's data stays as it is),
loads the demo into it, serves it on a local port and opens each page of SHOTS in Debian's
chromium as the account the guide speaks to, saving a JPEG per page into static/guide/. Slow
(a minute or two): run it by hand when a page the guide shows changes, then commit the pictures.
The guide's steps name the same pictures (tests/test_guide.py checks the two lists agree).
"""

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.testcases import LiveServerThread
from django.urls import reverse

from devtools.demo import CAMPAIGN_2019, CAMPAIGN_2026, DEMO_PASSWORD, XKL, seed_demo

CHROMIUM = "/usr/bin/chromium"
OUT = Path(settings.BASE_DIR) / "static" / "guide"
WIDTH, HEIGHT = 1280, 800
QUALITY = 70  # JPEG: a page of text and tables stays legible at about 100 kB


@dataclass(frozen=True)
class Shot:
    name: str  # the file: static/guide/<name>.jpg
    user: str  # the demo account that sees the page
    url: Callable[[], str]
    focus: str = ""  # a selector scrolled to the top of the picture, for a page's lower part


def _authority() -> int:
    from units.models import Unit

    return Unit.objects.get(code=XKL).pk


def _enrolment(username: str) -> int:
    from campaigns.models import Enrolment

    return Enrolment.objects.get(
        campaign__code=CAMPAIGN_2026, unit__memberships__user__username=username
    ).pk


def _review() -> int:
    from assessments.models import Assessment

    submitted = Assessment.objects.filter(
        enrolment__campaign__code=CAMPAIGN_2026, status="submitted"
    )
    return submitted.order_by("pk").values_list("pk", flat=True)[0]


def _session(code: str) -> int:
    from votes.models import CouncilSession

    return CouncilSession.objects.filter(campaign__code=code).order_by("pk")[0].pk


def _url(name: str, *args: object) -> Callable[[], str]:
    return lambda: reverse(name, args=[arg() if callable(arg) else arg for arg in args])


SHOTS = [
    # The emulation officer (cán bộ phụ trách thi đua), demo account `manager`.
    Shot("manager-home", "manager", _url("home")),
    Shot("manager-people", "manager", _url("units:people")),
    Shot("manager-authority-profile", "manager", _url("units:authority_profile", _authority)),
    Shot("manager-catalogue", "manager", _url("votes:catalogue")),
    Shot("manager-campaign-new", "manager", _url("campaigns:create")),
    Shot("manager-campaign", "manager", _url("campaigns:detail", CAMPAIGN_2026)),
    Shot("manager-checklist", "manager", _url("campaigns:checklist", CAMPAIGN_2026)),
    Shot("manager-enrolments", "manager", _url("campaigns:enrolments", CAMPAIGN_2026)),
    Shot("manager-council-seats", "manager", _url("campaigns:council", CAMPAIGN_2026)),
    Shot("manager-progress", "manager", _url("assessments:progress", CAMPAIGN_2026)),
    Shot("manager-scoring", "manager", _url("scoring:runs", CAMPAIGN_2019)),
    Shot("manager-sessions", "manager", _url("votes:sessions", CAMPAIGN_2026)),
    Shot(
        "manager-documents",
        "manager",
        _url("votes:session", CAMPAIGN_2019, lambda: _session(CAMPAIGN_2019)),
    ),
    # The unit head or staff, demo account `unithead` (Hội Nông dân xã Kiên Lương).
    Shot("unit-my-assessments", "unithead", _url("assessments:my_assessments")),
    Shot("unit-registration", "unithead", _url("campaigns:detail", CAMPAIGN_2026)),
    Shot(
        "unit-assessment",
        "unithead",
        _url("assessments:assessment", lambda: _enrolment("unithead")),
    ),
    Shot(
        "unit-evidence",
        "unithead",
        _url("assessments:assessment", lambda: _enrolment("unithead")),
        focus="tr:has-text('2.1.')",  # the criteria the demo's return reason asks about
    ),
    # The council member, demo account `council` (secretary of the 2019 and 2026 councils).
    Shot("council-review-queue", "council", _url("assessments:review_queue")),
    Shot("council-review", "council", _url("assessments:review", _review)),
    Shot("council-rankings", "council", _url("scoring:rankings", CAMPAIGN_2019)),
    Shot(
        "council-session",
        "council",
        _url("votes:session", CAMPAIGN_2019, lambda: _session(CAMPAIGN_2019)),
    ),
    Shot(
        "council-minutes",
        "council",
        _url("votes:minutes", CAMPAIGN_2019, lambda: _session(CAMPAIGN_2019)),
    ),
]


class Command(BaseCommand):
    help = "Photograph the pages the user guide shows, on the demo, into static/guide/."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("names", nargs="*", help="only these pictures (default: all)")

    def handle(self, *args: object, **options: Any) -> None:
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("guide_screenshots refuses to run under production settings.")
        if not Path(CHROMIUM).exists():
            raise CommandError(f"{CHROMIUM} is missing: apt-get install chromium")
        wanted = set(options["names"]) or {shot.name for shot in SHOTS}
        shots = [shot for shot in SHOTS if shot.name in wanted]
        OUT.mkdir(parents=True, exist_ok=True)
        # Playwright's sync API runs an event loop in this thread; the ORM calls here are safe.
        os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        if connection.vendor == "sqlite":  # a file, so the server's thread opens its own
            connection.settings_dict.setdefault("TEST", {})["NAME"] = str(
                Path(tempfile.gettempdir()) / "guide-screenshots.sqlite3"
            )
        old_name = connection.creation.create_test_db(
            verbosity=0, autoclobber=True, serialize=False
        )
        try:
            seed_demo()
            self._photograph(shots)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)

    def _photograph(self, shots: list[Shot]) -> None:
        from playwright.sync_api import sync_playwright

        server = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
        server.daemon = True
        server.start()
        server.is_ready.wait()
        if server.error:
            raise server.error
        base = f"http://127.0.0.1:{server.port}"
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM,
                    args=["--no-sandbox", "--disable-gpu", "--lang=vi"],
                    # Date fields and file buttons speak the browser's own language (Vietnamese
                    # with Debian's chromium-l10n; English without it).
                    env={**os.environ, "LANGUAGE": "vi"},
                )
                page = browser.new_page(
                    viewport={"width": WIDTH, "height": HEIGHT},
                    locale="vi-VN",
                    reduced_motion="reduce",  # Bootstrap scrolls smoothly otherwise
                )
                signed_in = ""
                for shot in shots:
                    if shot.user != signed_in:
                        self._sign_in(page, base, shot.user)
                        signed_in = shot.user
                    response = page.goto(base + shot.url())
                    if response is None or not response.ok:
                        raise CommandError(f"{shot.name}: {response and response.status}")
                    if shot.focus:
                        page.locator(shot.focus).first.evaluate(
                            "e => window.scrollTo({top: e.getBoundingClientRect().top"
                            " + window.scrollY - 96, behavior: 'instant'})"
                        )
                    path = OUT / f"{shot.name}.jpg"
                    page.screenshot(path=path, type="jpeg", quality=QUALITY)
                    self.stdout.write(f"{path.name}: {path.stat().st_size // 1024} kB")
                browser.close()
        finally:
            server.terminate()

    def _sign_in(self, page: Any, base: str, username: str) -> None:
        page.context.clear_cookies()
        response = page.goto(f"{base}/accounts/login/")
        if response is None or not response.ok:
            raise CommandError(
                f"sign-in page: {response and response.status} {page.content()[:2000]}"
            )
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_load_state()
