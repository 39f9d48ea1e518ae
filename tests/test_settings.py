"""Settings that refuse to be unsafe: checked in fresh interpreters with production-like environments."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
STRONG_KEY = "k" * 20 + "-this-is-a-long-random-enough-production-key-" + "9" * 20


def run_django(env_overrides: dict, *args: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items()
           if key not in ("SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "DATABASE_URL", "REDIS_URL", "SAMENLAB_TESTING",
                          "DATABASE_POOL_SIZE", "EMAIL_URL", "EMAIL_BACKEND")}
    env.update({"SAMENLAB_TESTING": "false", "DJANGO_SETTINGS_MODULE": "config.settings",
                "EMAIL_URL": "smtp://127.0.0.1:2525", **env_overrides})
    env = {key: value for key, value in env.items() if value is not None}  # None: leave the variable unset
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def test_refuses_to_start_without_secret_key():
    result = run_django({"DEBUG": "false", "ALLOWED_HOSTS": "samenlab.example.nl"}, "check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_refuses_the_development_key_in_production():
    result = run_django(
        {"DEBUG": "false", "ALLOWED_HOSTS": "samenlab.example.nl",
         "SECRET_KEY": "dev-only-insecure-key-never-use-in-production"},
        "check",
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_refuses_to_start_without_allowed_hosts():
    result = run_django({"DEBUG": "false", "SECRET_KEY": STRONG_KEY}, "check")
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_check_deploy_reports_nothing_with_production_settings():
    result = run_django(
        {"DEBUG": "false", "SECRET_KEY": STRONG_KEY, "ALLOWED_HOSTS": "samenlab.example.nl"},
        "check", "--deploy", "--fail-level", "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


PRODUCTION = {"DEBUG": "false", "SECRET_KEY": STRONG_KEY, "ALLOWED_HOSTS": "samenlab.example.nl"}
EMAIL_PROBE = ("from django.conf import settings as s; "
               "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS)")


def printed(result) -> list[str]:
    """The probe's words (the shell prints a line of its own first)."""
    return result.stdout.strip().splitlines()[-1].split() if result.stdout.strip() else []


def test_production_refuses_to_start_without_a_way_to_send_email():
    """Otherwise every sign-up verification fails later, unseen, in the background worker."""
    result = run_django({**PRODUCTION, "EMAIL_URL": None}, "check")
    assert result.returncode != 0
    assert "Set EMAIL_URL" in result.stderr


def test_email_url_configures_smtp():
    result = run_django({**PRODUCTION, "EMAIL_URL": "smtp+tls://user:pass@smtp.example.nl:587"},
                        "shell", "-c", EMAIL_PROBE)
    assert printed(result) == ["django.core.mail.backends.smtp.EmailBackend", "smtp.example.nl", "587", "True"], (
        result.stderr)


def test_an_explicit_email_backend_is_enough_and_wins():
    backend = "django.core.mail.backends.console.EmailBackend"
    alone = run_django({**PRODUCTION, "EMAIL_URL": None, "EMAIL_BACKEND": backend}, "shell", "-c", EMAIL_PROBE)
    assert alone.returncode == 0 and printed(alone)[0] == backend, alone.stderr
    both = run_django({**PRODUCTION, "EMAIL_BACKEND": backend}, "shell", "-c", EMAIL_PROBE)
    assert printed(both)[:2] == [backend, "127.0.0.1"], both.stderr


def test_debug_development_starts_without_configuration():
    result = run_django({"DEBUG": "true"}, "check")
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_security_headers_on_every_page(client):
    response = client.get("/contact/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "object-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp


def test_production_turns_on_hsts_and_secure_cookies():
    code = (
        "from django.conf import settings as s;"
        "print(s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT)"
    )
    env = {key: value for key, value in os.environ.items() if key not in ("DEBUG", "SAMENLAB_TESTING")}
    env.update({"DEBUG": "false", "SAMENLAB_TESTING": "false", "SECRET_KEY": STRONG_KEY,
                "ALLOWED_HOSTS": "samenlab.example.nl", "DJANGO_SETTINGS_MODULE": "config.settings",
                "EMAIL_URL": "smtp://127.0.0.1:2525"})
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60,
    )
    assert result.stdout.split() == ["31536000", "True", "True", "True"], result.stderr


def test_collectstatic_succeeds_with_production_storage(tmp_path):
    """The manifest storage refuses CSS that points at missing files; every served file must pass it."""
    result = run_django(
        {"DEBUG": "false", "SECRET_KEY": STRONG_KEY, "ALLOWED_HOSTS": "samenlab.example.nl",
         "STATIC_ROOT": str(tmp_path)},
        "collectstatic", "--noinput",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = (tmp_path / "staticfiles.json").read_text()
    assert "vendor/utrecht-tokens/theme.css" in manifest
    assert "vendor/leaflet/leaflet.js" in manifest


@pytest.mark.postgres
def test_a_postgres_connection_pool_is_used_when_asked_for():
    database_url = os.environ.get("DATABASE_URL", "")
    from tests.services import reachable, require_service

    require_service("PostgreSQL", database_url.startswith("postgres") and reachable(database_url),
                    "Set DATABASE_URL (make test does in pass 2).")
    probe = ("from django.db import connection; connection.ensure_connection(); "
             "print('pool' if connection.pool is not None else 'no pool')")
    pooled = run_django({"DEBUG": "true", "DATABASE_URL": database_url, "DATABASE_POOL_SIZE": "4"},
                        "shell", "-c", probe)
    assert pooled.stdout.strip().splitlines()[-1] == "pool", pooled.stderr
    plain = run_django({"DEBUG": "true", "DATABASE_URL": database_url}, "shell", "-c", probe)
    assert plain.stdout.strip().splitlines()[-1] == "no pool", plain.stderr
