"""Each settings mode loads as documented; production refuses bad configuration."""

import json
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


def run_python(
    code: str, settings_module: str | None, **env: str
) -> subprocess.CompletedProcess[str]:
    """Run `code` in a new interpreter; settings_module=None leaves DJANGO_SETTINGS_MODULE unset."""
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
            "DJANGO_SETTINGS_MODULE",
            "SENTRY_DSN",
            "ADMIN_URL",
            "OTP_REQUIRED_FOR_OFFICERS",
            "SESSION_IDLE_TIMEOUT_MINUTES",
        }
    }
    if settings_module is not None:
        clean["DJANGO_SETTINGS_MODULE"] = settings_module
    clean.update(env)
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


PRODUCTION_ENV = {
    "SECRET_KEY": GOOD_SECRET,
    "ALLOWED_HOSTS": "thidua.example.vn",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/x",
}
SETTINGS_MODULE = "from django.conf import settings; print(settings.SETTINGS_MODULE)"


@pytest.mark.parametrize(
    "entry_point",
    [
        "import emulation_portal.wsgi",
        "import emulation_portal.asgi",
        "import django; import emulation_portal.celery; django.setup()",
    ],
)
def test_servers_and_workers_default_to_production_settings(entry_point: str) -> None:
    result = run_python(f"{entry_point}; {SETTINGS_MODULE}", None, **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "emulation_portal.settings.production"


def test_manage_py_defaults_to_local_settings() -> None:
    result = run_python(
        "import sys; sys.argv = ['manage.py', 'shell', '-c', "
        f"{SETTINGS_MODULE!r}]; import runpy; runpy.run_path('manage.py', run_name='__main__')",
        None,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "emulation_portal.settings.local"


def test_production_cookies_are_secure_and_the_admin_is_not_at_admin() -> None:
    result = run_python(
        "import django, json; from django.conf import settings; django.setup(); "
        "from django.urls import reverse; "
        "print(json.dumps([settings.LANGUAGE_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, "
        "settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_HTTPONLY, "
        "settings.LANGUAGE_COOKIE_HTTPONLY, reverse('admin:index')]))",
        "emulation_portal.settings.production",
        **PRODUCTION_ENV,
    )
    assert result.returncode == 0, result.stderr
    *secure, admin_index = json.loads(result.stdout.strip().splitlines()[-1])
    assert secure == [True] * 5
    assert admin_index != "/admin/"


def test_production_takes_the_admin_path_from_the_environment() -> None:
    result = run_python(
        "import django; django.setup(); from django.urls import reverse; "
        "print(reverse('admin:index'))",
        "emulation_portal.settings.production",
        ADMIN_URL="quan-tri-7f3a/",
        **PRODUCTION_ENV,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "/quan-tri-7f3a/"


@pytest.mark.parametrize("admin_url", ["admin/", "/quan-tri/", "quan-tri"])
def test_production_refuses_a_bad_admin_path(admin_url: str) -> None:
    result = run_python(
        PROBE, "emulation_portal.settings.production", ADMIN_URL=admin_url, **PRODUCTION_ENV
    )
    assert result.returncode != 0
    assert "ADMIN_URL" in result.stderr


def test_local_and_test_keep_the_admin_at_admin() -> None:
    for module in ("emulation_portal.settings.local", "emulation_portal.settings.test"):
        result = run_python(
            "import django; django.setup(); from django.urls import reverse; "
            "print(reverse('admin:index'))",
            module,
        )
        assert result.stdout.strip() == "/admin/", result.stderr


SENTRY_ACTIVE = (
    "import django; django.setup(); import sentry_sdk; print(sentry_sdk.get_client().is_active())"
)


def test_sentry_reports_only_when_a_dsn_is_set() -> None:
    production = "emulation_portal.settings.production"
    without = run_python(SENTRY_ACTIVE, production, **PRODUCTION_ENV)
    assert without.stdout.strip() == "False", without.stderr
    with_dsn = run_python(
        SENTRY_ACTIVE, production, SENTRY_DSN="http://key@127.0.0.1:9/1", **PRODUCTION_ENV
    )
    assert with_dsn.stdout.strip() == "True", with_dsn.stderr
    local = run_python(SENTRY_ACTIVE, "emulation_portal.settings.local", SENTRY_DSN="http://k@h/1")
    assert local.stdout.strip() == "False", local.stderr


def test_commands_do_not_open_with_library_chatter() -> None:
    result = run_python(
        "from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'check'])",
        "emulation_portal.settings.local",
    )
    assert result.returncode == 0, result.stderr
    assert "AXES" not in result.stderr + result.stdout


def test_an_error_is_printed_once_even_under_debug() -> None:
    result = run_python(
        "import django, logging; django.setup(); "
        "logging.getLogger('django.request').error('portal-boom', exc_info=ValueError('x'))",
        "emulation_portal.settings.local",
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("portal-boom") == 1
    assert result.stderr.count("ValueError") == 1


SIGN_IN_SETTINGS = (
    "import django, json; from django.conf import settings; django.setup(); "
    "print(json.dumps([settings.OTP_REQUIRED_FOR_OFFICERS, settings.SESSION_COOKIE_AGE, "
    "settings.SESSION_SAVE_EVERY_REQUEST]))"
)


def test_production_requires_two_factor_of_officers_and_ends_idle_sessions_after_30_minutes() -> (
    None
):
    result = run_python(SIGN_IN_SETTINGS, "emulation_portal.settings.production", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [True, 30 * 60, True]


def test_production_takes_the_idle_timeout_from_the_environment_and_refuses_zero() -> None:
    result = run_python(
        SIGN_IN_SETTINGS,
        "emulation_portal.settings.production",
        SESSION_IDLE_TIMEOUT_MINUTES="15",
        **PRODUCTION_ENV,
    )
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [True, 15 * 60, True]
    refused = run_python(
        PROBE,
        "emulation_portal.settings.production",
        SESSION_IDLE_TIMEOUT_MINUTES="0",
        **PRODUCTION_ENV,
    )
    assert refused.returncode != 0
    assert "SESSION_IDLE_TIMEOUT_MINUTES" in refused.stderr


def test_development_keeps_the_one_password_login_and_sessions_of_a_working_day() -> None:
    result = run_python(SIGN_IN_SETTINGS, "emulation_portal.settings.local")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [False, 8 * 60 * 60, False]


CACHE_SETTINGS = (
    "import django, json; from django.conf import settings; django.setup(); "
    "print(json.dumps(settings.CACHES['default']))"
)


def test_production_counts_throttles_in_the_shared_redis_of_its_workers() -> None:
    """One budget for every gunicorn worker: the cache is Redis, the broker's server."""
    production = "emulation_portal.settings.production"
    broker = run_python(
        CACHE_SETTINGS,
        production,
        CELERY_BROKER_URL="redis://cache.internal:6379/3",
        **PRODUCTION_ENV,
    )
    assert broker.returncode == 0, broker.stderr
    cache = json.loads(broker.stdout.strip().splitlines()[-1])
    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["LOCATION"] == "redis://cache.internal:6379/3"
    alone = run_python(CACHE_SETTINGS, production, **PRODUCTION_ENV)
    assert json.loads(alone.stdout.strip().splitlines()[-1])["LOCATION"] == (
        "redis://127.0.0.1:6379/0"
    )


def test_development_and_the_tests_keep_the_in_process_cache() -> None:
    for module in ("emulation_portal.settings.local", "emulation_portal.settings.test"):
        result = run_python(CACHE_SETTINGS, module, CELERY_BROKER_URL="redis://127.0.0.1:6379/0")
        assert result.returncode == 0, result.stderr
        backend = json.loads(result.stdout.strip().splitlines()[-1])["BACKEND"]
        assert backend == "django.core.cache.backends.locmem.LocMemCache", module
