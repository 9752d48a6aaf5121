"""Signing in through a real OpenID Connect provider started on loopback for the test.

The provider is django-oauth-toolkit in its own process (tests/oidc_provider/):
authorisation code with PKCE, RS256-signed ID tokens, a userinfo endpoint with
a groups claim, as Entra ID and Keycloak send it.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.conf import settings as django_settings
from pytest_django.live_server_helper import LiveServer

from conftest import OrganisationWorld
from kanalvakt.audit.models import AuditEvent
from kanalvakt.organisations.models import Membership, Role, User
from kanalvakt.sso.models import SsoIdentity
from kanalvakt.sso.services import mapping_add

REPO = Path(django_settings.BASE_DIR).parent
CLIENT_ID = "kanalvakt-test"
CLIENT_SECRET = "provider-secret-for-tests"  # noqa: S105
PASSWORD = "anna-lösenord-42"  # noqa: S105

pytestmark = pytest.mark.django_db(transaction=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def provider_process(live_server: LiveServer) -> Iterator[str]:
    """The provider, started once for the module (it takes a few seconds)."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    spec = {
        "redirect_uri": f"{live_server.url}/sso/callback/",
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "users": [
            {
                "username": "anna.nilsson",
                "password": PASSWORD,
                "first_name": "Anna",
                "last_name": "Nilsson",
                "email": "anna.nilsson@overkalix.se",
                "groups": ["kanalvakt-registratorer", "alla-anstallda"],
            }
        ],
    }
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "tests.oidc_provider.serve", str(port), json.dumps(spec)],
        cwd=REPO,
        env={**env, "PYTHONPATH": str(REPO)},
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                log.seek(0)
                raise RuntimeError(log.read().decode(errors="replace"))
            try:
                if httpx.get(f"{base}/o/.well-known/jwks.json", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the test OIDC provider did not start")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


@pytest.fixture
def provider(provider_process: str, settings: Any) -> str:
    """Kanalvakt configured for the provider, as the OIDC_* variables would do."""
    base = provider_process
    settings.SSO_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_ISSUER = f"{base}/o"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{base}/o/authorize/"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{base}/o/token/"
    settings.OIDC_OP_USER_ENDPOINT = f"{base}/o/userinfo/"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{base}/o/.well-known/jwks.json"
    settings.OIDC_PROVIDER_NAME = "Överkalix Entra ID"
    settings.AUTHENTICATION_BACKENDS = [
        "django.contrib.auth.backends.ModelBackend",
        "kanalvakt.sso.backend.OrganisationOIDCBackend",
    ]
    return base


def _sign_in_at_provider(browser: httpx.Client, start: str, password: str = PASSWORD) -> Any:
    """Follow Kanalvakt to the provider, fill in its login form, follow it back."""
    login_page = browser.get(start)
    assert "/login/" in str(login_page.url), login_page.text[:300]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page.text)
    following = re.search(r'name="next" value="([^"]*)"', login_page.text)
    assert token and following
    return browser.post(
        str(login_page.url),
        data={
            "csrfmiddlewaretoken": token.group(1),
            "username": "anna.nilsson",
            "password": password,
            "next": following.group(1).replace("&amp;", "&"),
        },
        headers={"Referer": str(login_page.url)},
    )


def test_staff_sign_in_with_the_provider_and_get_roles_from_their_groups(
    live_server: LiveServer, provider: str, world: OrganisationWorld
) -> None:
    mapping_add(
        actor=world.comms_lead,
        organisation=world.organisation,
        group="kanalvakt-registratorer",
        role=Role.REGISTRAR,
    )
    with httpx.Client(follow_redirects=True, timeout=30) as browser:
        login = browser.get(f"{live_server.url}/logga-in/")
        assert "Logga in med Överkalix Entra ID" in login.text

        landed = _sign_in_at_provider(
            browser, f"{live_server.url}/sso/logga-in/?next=/o/overkalix/"
        )

        assert landed.status_code == 200
        assert str(landed.url) == f"{live_server.url}/o/overkalix/"
        assert "Överkalix kommun" in landed.text
    user = User.objects.get(sso_identity__subject__isnull=False)
    assert (user.first_name, user.last_name, user.email) == (
        "Anna",
        "Nilsson",
        "anna.nilsson@overkalix.se",
    )
    assert not user.has_usable_password()
    roles = set(Membership.objects.filter(user=user).values_list("role", flat=True))
    assert roles == {Role.REGISTRAR}
    identity = SsoIdentity.objects.get(user=user)
    assert identity.issuer == f"{provider}/o"
    assert AuditEvent.objects.filter(
        event_type="sso.role_granted", target_id=str(Membership.objects.get(user=user).pk)
    ).exists()


def test_a_wrong_password_at_the_provider_signs_no_one_in(
    live_server: LiveServer, provider: str, world: OrganisationWorld
) -> None:
    with httpx.Client(follow_redirects=True, timeout=30) as browser:
        answer = _sign_in_at_provider(
            browser, f"{live_server.url}/sso/logga-in/?next=/o/overkalix/", password="fel"
        )
        assert "/login/" in str(answer.url)
        assert browser.get(f"{live_server.url}/o/overkalix/").url.path == "/logga-in/"
    assert not SsoIdentity.objects.exists()


def test_a_forged_callback_is_refused(live_server: LiveServer, provider: str) -> None:
    with httpx.Client(follow_redirects=True, timeout=30) as browser:
        answer = browser.get(f"{live_server.url}/sso/callback/?code=stolen&state=guessed")
        assert answer.url.path == "/logga-in/"
        assert "Inloggningen via identitetstjänsten misslyckades" in answer.text
    assert not SsoIdentity.objects.exists()


def test_sign_in_is_not_offered_when_sso_is_off(client: Any) -> None:
    assert client.get("/sso/logga-in/").status_code == 404
    assert "Logga in med" not in client.get("/logga-in/").content.decode()
