"""Single sign-on against a real OpenID Connect provider on loopback.

The provider is django-oauth-toolkit in a second process (tests/oidc_provider),
with its own RSA key, database and sign-in page. Kanalvakt runs the whole
authorisation-code flow against it over HTTP: PKCE, a signed ID token checked
against the provider's published keys, the userinfo call, and roles from the
groups claim.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import Client

from conftest import OrganisationWorld
from kanalvakt.audit.models import AuditEvent
from kanalvakt.organisations.models import ExternalIdentity, Membership, Role, User
from kanalvakt.organisations.sso import group_role_mapping_set
from kanalvakt.organisations.twofactor import organisation_two_factor_roles_set

REPO = Path(__file__).resolve().parents[3]
CALLBACK = "http://testserver/logga-in/sso/klar/"
PEOPLE = ["berit:berits-lösen-123:Kanalvakt-Registratorer,Personal", "olof:olofs-lösen-123:"]


@dataclass
class Provider:
    base: str

    @property
    def issuer(self) -> str:
        return f"{self.base}/o"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Provider]:
    directory = tmp_path_factory.mktemp("oidc-provider")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    key_file = directory / "key.pem"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "OIDC_PROVIDER_DB": str(directory / "provider.sqlite3"),
        "OIDC_PROVIDER_KEY_FILE": str(key_file),
        "DJANGO_SETTINGS_MODULE": "tests.oidc_provider.settings",
    }
    subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-m", "tests.oidc_provider.prepare", CALLBACK, *PEOPLE],
        env=env,
        check=True,
        timeout=120,
    )
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 - our own interpreter
        [
            sys.executable,
            "-m",
            "waitress",
            f"--listen=127.0.0.1:{port}",
            "tests.oidc_provider.wsgi:application",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _attempt in range(100):
            try:
                requests.get(f"{base}/o/.well-known/openid-configuration", timeout=2)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        yield Provider(base)
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def sso(settings: Any, provider: Provider) -> Provider:
    discovery = requests.get(f"{provider.issuer}/.well-known/openid-configuration", timeout=10)
    config = discovery.json()
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = "kanalvakt"
    settings.OIDC_RP_CLIENT_SECRET = "kanalvakt-test-secret"
    settings.OIDC_OP_ISSUER = config["issuer"]
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = config["authorization_endpoint"]
    settings.OIDC_OP_TOKEN_ENDPOINT = config["token_endpoint"]
    settings.OIDC_OP_USER_ENDPOINT = config["userinfo_endpoint"]
    settings.OIDC_OP_JWKS_ENDPOINT = config["jwks_uri"]
    return provider


def _sign_in(client: Client, username: str, password: str) -> Any:
    """Kanalvakt → the provider's sign-in page → back to Kanalvakt with a code."""
    start = client.get("/logga-in/sso/")
    assert start.status_code == 302
    browser = requests.Session()
    authorize = start["Location"]
    to_login = browser.get(authorize, allow_redirects=False, timeout=10)
    login_url = urljoin(authorize, to_login.headers["Location"])
    page = browser.get(login_url, timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token is not None
    next_url = re.search(r'name="next" value="([^"]*)"', page.text)
    assert next_url is not None
    signed_in = browser.post(
        login_url,
        data={
            "csrfmiddlewaretoken": token.group(1),
            "username": username,
            "password": password,
            "next": next_url.group(1).replace("&amp;", "&"),
        },
        headers={"Referer": login_url},
        allow_redirects=False,
        timeout=10,
    )
    assert signed_in.status_code == 302, signed_in.text[:500]
    back = browser.get(
        urljoin(login_url, signed_in.headers["Location"]), allow_redirects=False, timeout=10
    )
    assert back.status_code == 302
    assert back.headers["Location"].startswith(CALLBACK)
    return client.get(back.headers["Location"].removeprefix("http://testserver"))


def test_a_person_signs_in_with_the_organisations_account_and_gets_roles_from_groups(
    world: OrganisationWorld, sso: Provider
) -> None:
    group_role_mapping_set(
        actor=world.comms_lead,
        organisation=world.organisation,
        group="Kanalvakt-Registratorer",
        role=Role.REGISTRAR,
    )
    client = Client()
    response = _sign_in(client, "berit", "berits-lösen-123")
    assert response.status_code == 302 and response["Location"] == "/"
    identity = ExternalIdentity.objects.get(issuer=sso.issuer)
    user = identity.user
    assert user.email == "berit@overkalix.se" and not user.has_usable_password()
    assert int(client.session["_auth_user_id"]) == user.pk
    roles = set(Membership.objects.filter(user=user).values_list("role", flat=True))
    assert roles == {"registrar"}
    assert client.get("/o/overkalix/diarium/").status_code == 200
    assert AuditEvent.objects.filter(event_type="user.created_by_sso").count() == 1


def test_roles_follow_the_groups_at_each_sign_in(world: OrganisationWorld, sso: Provider) -> None:
    group_role_mapping_set(
        actor=None, organisation=world.organisation, group="Personal", role=Role.CASE_OFFICER
    )
    _sign_in(Client(), "olof", "olofs-lösen-123")
    olof = User.objects.get(external_identities__subject__isnull=False, username="olof")
    assert not Membership.objects.filter(user=olof).exists()
    # A role given by hand in a mapped organisation is taken back at the next sign-in.
    Membership.objects.create(organisation=world.organisation, user=olof, role=Role.COMMS_LEAD)
    _sign_in(Client(), "olof", "olofs-lösen-123")
    assert not Membership.objects.filter(user=olof).exists()
    assert AuditEvent.objects.filter(event_type="membership.revoked").exists()


def test_a_wrong_password_at_the_provider_never_signs_in(
    world: OrganisationWorld, sso: Provider
) -> None:
    client = Client()
    start = client.get("/logga-in/sso/")
    browser = requests.Session()
    to_login = browser.get(start["Location"], allow_redirects=False, timeout=10)
    login_url = urljoin(start["Location"], to_login.headers["Location"])
    page = browser.get(login_url, timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token is not None
    refused = browser.post(
        login_url,
        data={"csrfmiddlewaretoken": token.group(1), "username": "berit", "password": "fel"},
        headers={"Referer": login_url},
        allow_redirects=False,
        timeout=10,
    )
    assert refused.status_code == 200  # the provider's form again, no code
    forged = client.get("/logga-in/sso/klar/?code=forged&state=forged")
    assert forged.status_code == 400
    assert "_auth_user_id" not in client.session


def test_single_sign_on_is_not_asked_for_kanalvaktss_own_code(
    world: OrganisationWorld, sso: Provider
) -> None:
    group_role_mapping_set(
        actor=None, organisation=world.organisation, group="Personal", role=Role.CASE_OFFICER
    )
    organisation_two_factor_roles_set(
        actor=world.comms_lead, organisation=world.organisation, roles=[Role.CASE_OFFICER]
    )
    client = Client()
    _sign_in(client, "berit", "berits-lösen-123")
    assert client.get("/o/overkalix/inkorg/").status_code == 200


def test_single_sign_on_is_off_unless_configured(db: None) -> None:
    assert Client().get("/logga-in/sso/").status_code == 404
    assert "organisationens konto" not in Client().get("/logga-in/").content.decode()


def test_the_sign_in_page_offers_single_sign_on_when_configured(db: None, settings: Any) -> None:
    settings.OIDC_ENABLED = True
    assert "Logga in med organisationens konto" in Client().get("/logga-in/").content.decode()


def test_an_operator_maps_a_group_to_a_role(world: OrganisationWorld) -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("sso_map_group", "overkalix", "Kanalvakt-Registratorer", "registrar", stdout=out)
    assert "Kanalvakt-Registratorer" in out.getvalue()
    assert world.organisation.group_role_mappings.get().role == "registrar"
