"""Shared fixtures: demo-like data, the real Celery worker, and Playwright on Debian's chromium.

Tests marked `integration` need PostgreSQL (DATABASE_URL) and Redis (CELERY_BROKER_URL); tests
marked `browser` need /usr/bin/chromium; tests marked `office` need LibreOffice (/usr/bin/soffice).
Without them those tests are skipped with the reason
printed in the summary, except when CI=true, where a missing service fails the run.
"""

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

# Playwright's sync API runs an event loop in the test thread; the ORM calls there are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
SOFFICE = "/usr/bin/soffice"
ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _redis_reachable() -> str | None:
    url = settings.CELERY_BROKER_URL
    if not url.startswith("redis://"):
        return "CELERY_BROKER_URL is not set to a redis:// URL"
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        return f"Redis at {url} does not answer ({error})"
    return None


def _integration_missing() -> str | None:
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return "DATABASE_URL is not a PostgreSQL URL"
    return _redis_reachable()


def _browser_missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is not installed (apt-get install chromium)"
    return None


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "office: opens files with LibreOffice headless (/usr/bin/soffice)"
    )


def _office_missing() -> str | None:
    if not Path(SOFFICE).exists():
        return f"{SOFFICE} is not installed (apt-get install libreoffice-writer-nogui)"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Browser tests last: Playwright leaves an event loop in the test thread, and Django's test
    # client then refuses async views (the health check) in every test that follows.
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)
    checks = {
        "integration": _integration_missing,
        "browser": _browser_missing,
        "office": _office_missing,
    }
    for marker, check in checks.items():
        marked = [item for item in items if item.get_closest_marker(marker)]
        if not marked:
            continue
        missing = check()
        if missing is None:
            continue
        if IN_CI:
            raise pytest.UsageError(f"CI=true but {marker} tests cannot run: {missing}")
        skip = pytest.mark.skip(reason=f"{marker} test skipped: {missing}")
        for item in marked:
            item.add_marker(skip)


# Reference data -------------------------------------------------------------------------------

DB_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences"}


@pytest.fixture(autouse=True)
def reference_data(request: pytest.FixtureRequest) -> None:
    """What the data migrations write (unit kinds, role groups, the award catalogue and base
    salaries): a transactional test's flush empties those tables, so every database test gets
    them back, whatever ran before it."""
    if request.node.get_closest_marker("django_db") is None and not (
        DB_FIXTURES & set(request.fixturenames)
    ):
        return
    request.getfixturevalue("_django_db_helper")
    from django.contrib.auth.models import Group

    from units.models import UnitKind
    from units.roles import Role
    from units.services import unit_kinds_ensure
    from votes.catalogue import catalogue_ensure
    from votes.models import Award, AwardTerm, BaseSalary

    if not UnitKind.objects.exists():
        unit_kinds_ensure()  # with their levels and last days, as the migrations leave them
    if not Group.objects.exists():
        for role in Role:
            Group.objects.get_or_create(name=role.value)
    if not Award.objects.exists():
        catalogue_ensure(Award, BaseSalary, AwardTerm)


# Celery ---------------------------------------------------------------------------------------


def _process_env(queue: str, broker_url: str | None) -> dict[str, str]:
    """What a worker or beat process runs with: the test settings (whose scoring thresholds and
    beat schedule are the production defaults of settings/base.py: no SCORING_* variable passes
    through), the test database, `queue` as the queue every task is sent to."""
    from django.db import connection

    db = connection.settings_dict
    env = {name: value for name, value in os.environ.items() if not name.startswith("SCORING_")}
    env.update(
        DJANGO_SETTINGS_MODULE="emulation_portal.settings.test",
        DATABASE_URL=(
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        ),
        CELERY_TASK_ALWAYS_EAGER="false",
        CELERY_TASK_DEFAULT_QUEUE=queue,
        MEDIA_ROOT=str(settings.MEDIA_ROOT),  # files a worker writes, the tests read (one volume)
    )
    if broker_url:
        env["CELERY_BROKER_URL"] = broker_url
    return env


def start_worker(
    queue: str, *, broker_url: str | None = None, concurrency: int = 2
) -> subprocess.Popen:  # type: ignore[type-arg]
    """A real `celery worker` process consuming `queue`, in a process group of its own (so a test
    can kill it with its pool processes), reading and writing the same test database as the
    tests (use `transactional_db`). Wait for it with `wait_worker_ready`."""
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "emulation_portal",
        "worker",
        "-Q",
        queue,
        "-n",
        f"{queue}@localhost",
        "-c",
        str(concurrency),
        "-l",
        "warning",
        "--without-gossip",
        "--without-mingle",
    ]
    env = _process_env(queue, broker_url)
    return subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)  # noqa: S603


def start_beat(queue: str, folder: Path, *, broker_url: str | None = None) -> subprocess.Popen:  # type: ignore[type-arg]
    """A real `celery beat` process with the production schedule (`CELERY_BEAT_SCHEDULE`),
    sending to `queue`; its schedule file and pid file live in `folder`."""
    command = [sys.executable, "-m", "celery", "-A", "emulation_portal", "beat", "-l", "warning"]
    command += ["-s", str(folder / "celerybeat-schedule"), "--pidfile", str(folder / "beat.pid")]
    env = _process_env(queue, broker_url)
    return subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)  # noqa: S603


def wait_worker_ready(worker: subprocess.Popen, queue: str, timeout: float = 60) -> None:  # type: ignore[type-arg]
    """Until the worker answers a ping through the broker the Celery app uses."""
    from emulation_portal.celery import app

    deadline = time.monotonic() + timeout
    while not app.control.ping(destination=[f"{queue}@localhost"], timeout=1.0):
        if worker.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("the Celery worker did not start")


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup: None, django_db_blocker: object) -> Iterator[str]:
    """A real `celery worker` process consuming a queue of its own from Redis.

    It reads and writes the same test database as the tests (use `transactional_db`).
    Yields the queue name; tests send to it through `celery_queue`.
    """
    queue = f"test-{uuid.uuid4().hex[:8]}"
    worker = start_worker(queue)
    try:
        wait_worker_ready(worker, queue)
        yield queue
    finally:
        worker.terminate()
        worker.wait(timeout=30)


@pytest.fixture
def celery_queue(celery_worker_process: str) -> Iterator[str]:
    """Send tasks through the broker to the real worker for the duration of one test."""
    from emulation_portal.celery import app

    saved = app.conf.task_always_eager, app.conf.task_default_queue
    app.conf.task_always_eager = False
    app.conf.task_default_queue = celery_worker_process
    try:
        yield celery_worker_process
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue = saved


def wait_for(condition, timeout: float = 30.0, interval: float = 0.2) -> bool:  # type: ignore[no-untyped-def]
    """Poll `condition()` until it is true or `timeout` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return bool(condition())


# Playwright -----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:  # type: ignore[type-arg]
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def media_root(settings: object, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    return tmp_path


def which(name: str) -> str | None:
    return shutil.which(name)
