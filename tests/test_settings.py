"""Each settings mode loads as documented; production refuses bad configuration."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOOD_SECRET = "x7#kq" * 12
PROBE = (
    "import django, json; from django.conf import settings; django.setup(); "
    "print(json.dumps({'engine': settings.DATABASES['default']['ENGINE'], "
    "'eager': settings.CELERY_TASK_ALWAYS_EAGER, 'lang': settings.LANGUAGE_CODE, "
    "'tz': settings.TIME_ZONE, 'debug': settings.DEBUG}))"
)


def run_python(code: str, settings_module: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DATABASE_URL",
            "CELERY_BROKER_URL",
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    clean.update(DJANGO_SETTINGS_MODULE=settings_module, **env)
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def probe(settings_module: str, **env: str) -> dict[str, object]:
    import json

    result = run_python(PROBE, settings_module, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_local_settings_default_to_sqlite_and_in_process_tasks() -> None:
    loaded = probe("emulation_portal.settings.local")
    assert loaded == {
        "engine": "django.db.backends.sqlite3",
        "eager": True,
        "lang": "vi",
        "tz": "Asia/Ho_Chi_Minh",
        "debug": True,
    }


def test_database_and_broker_urls_switch_to_postgresql_and_real_workers() -> None:
    loaded = probe(
        "emulation_portal.settings.local",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/x",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
    )
    assert loaded["engine"] == "django.db.backends.postgresql"
    assert loaded["eager"] is False


def test_production_settings_load_with_complete_configuration() -> None:
    loaded = probe(
        "emulation_portal.settings.production",
        SECRET_KEY=GOOD_SECRET,
        ALLOWED_HOSTS="thidua.example.vn",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/x",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
    )
    assert loaded["debug"] is False
    assert loaded["engine"] == "django.db.backends.postgresql"


@pytest.mark.parametrize(
    ("env", "complaint"),
    [
        ({"ALLOWED_HOSTS": "a.vn", "DATABASE_URL": "postgres://u@h/d"}, "SECRET_KEY"),
        (
            {"SECRET_KEY": "short", "ALLOWED_HOSTS": "a.vn", "DATABASE_URL": "postgres://u@h/d"},
            "SECRET_KEY",
        ),
        ({"SECRET_KEY": GOOD_SECRET, "DATABASE_URL": "postgres://u@h/d"}, "ALLOWED_HOSTS"),
        (
            {"SECRET_KEY": GOOD_SECRET, "ALLOWED_HOSTS": "*", "DATABASE_URL": "postgres://u@h/d"},
            "ALLOWED_HOSTS",
        ),
        ({"SECRET_KEY": GOOD_SECRET, "ALLOWED_HOSTS": "a.vn"}, "DATABASE_URL"),
        (
            {"SECRET_KEY": GOOD_SECRET, "ALLOWED_HOSTS": "a.vn", "DATABASE_URL": "sqlite:///x.db"},
            "DATABASE_URL",
        ),
    ],
)
def test_production_settings_refuse_missing_or_bad_configuration(
    env: dict[str, str], complaint: str
) -> None:
    result = run_python(PROBE, "emulation_portal.settings.production", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert complaint in result.stderr


def test_production_settings_pass_check_deploy() -> None:
    result = run_python(
        "import sys; from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])",
        "emulation_portal.settings.production",
        SECRET_KEY=GOOD_SECRET,
        ALLOWED_HOSTS="thidua.example.vn",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/x",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_has_no_demo_or_benchmark_tools() -> None:
    """devtools (demo data, load data, benchmarks) is not installed, so its commands do not exist
    and nothing loaded in production imports it."""
    result = run_python(
        "import sys, django; django.setup(); "
        "from django.conf import settings; from django.core.management import get_commands; "
        "print('devtools' in settings.INSTALLED_APPS, 'seed_demo' in get_commands(), "
        "any(m.startswith('devtools') for m in sys.modules)); "
        "from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'seed_demo'])",
        "emulation_portal.settings.production",
        SECRET_KEY=GOOD_SECRET,
        ALLOWED_HOSTS="thidua.example.vn",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/x",
    )
    assert result.stdout.strip() == "False False False"
    assert result.returncode != 0
    assert "Unknown command: 'seed_demo'" in result.stderr
