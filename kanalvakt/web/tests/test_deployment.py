"""Issue 11, finding 8: deployment safety from the environment, and no-store everywhere."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.test import Client

REPO = Path(__file__).resolve().parents[3]


def _production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment a production installation runs with (as .env.example describes)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("KANALVAKT_", "SECURE_", "DJANGO_", "DATABASE_", "DEBUG"))
        and key not in ("TASKS_BACKEND", "PYTEST_CURRENT_TEST")
    }
    env.update(
        {
            "PYTHONPATH": str(REPO),
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DEBUG": "0",
            "ALLOWED_HOSTS": "kanalvakt.overkalix.se",
            "SITE_URL": "https://kanalvakt.overkalix.se",
            "MAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "KANALVAKT_VAR_DIR": str(tmp_path),
            **extra,
        }
    )
    return env


def test_check_deploy_is_clean_with_production_settings(tmp_path: Path) -> None:
    result = subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "-m", "kanalvakt.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def _settings_in(tmp_path: Path, **extra: str) -> dict[str, object]:
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({k: getattr(s, k, None) for k in ("
        "'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', "
        "'SECURE_PROXY_SSL_HEADER', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE')}))"
    )
    env = _production_env(tmp_path, DJANGO_SETTINGS_MODULE="kanalvakt.settings", **extra)
    result = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    settings: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return settings


def test_https_settings_come_from_the_environment(tmp_path: Path) -> None:
    production = _settings_in(tmp_path)
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SECURE_HSTS_SECONDS"] == 365 * 24 * 3600
    assert production["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert production["SESSION_COOKIE_SECURE"] is True and production["CSRF_COOKIE_SECURE"]
    assert production["SECURE_PROXY_SSL_HEADER"] is None
    proxied = _settings_in(tmp_path, TRUST_X_FORWARDED_PROTO="1", SECURE_HSTS_SECONDS="600")
    assert proxied["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert proxied["SECURE_HSTS_SECONDS"] == 600
    demo = _settings_in(tmp_path, SECURE_COOKIES="0")
    assert demo["SECURE_SSL_REDIRECT"] is False and demo["SECURE_HSTS_SECONDS"] == 0


def test_https_is_enforced_when_configured(db: None, settings: object) -> None:
    settings.SECURE_SSL_REDIRECT = True  # type: ignore[attr-defined]
    settings.SECURE_HSTS_SECONDS = 3600  # type: ignore[attr-defined]
    response = Client().get("/logga-in/")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")
    secure = Client().get("/logga-in/", secure=True)
    assert "max-age=3600" in secure["Strict-Transport-Security"]
