"""Personas across two organisations, shared by every test.

Överkalix (the organisation under test) has one person per role; Degerfors is
the other organisation, whose people must never see Överkalix's data.
"""

from __future__ import annotations

import os
import socket
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from kanalvakt.lib import netguard
from kanalvakt.organisations.models import Organisation, Role, Unit, User
from kanalvakt.organisations.services import membership_grant, organisation_create, unit_create
from kanalvakt.organisations.tests.factories import UserFactory

PASSWORD = "demo-lösenord-123"

# What screening derives at start-up is cached on disk (moderation/screening/diskcache.py):
# tests keep it in the system's temporary directory, never in the user's home.
os.environ["KANALVAKT_CACHE_DIR"] = os.path.join(
    tempfile.gettempdir(), f"kanalvakt-test-cache-{os.getuid()}"
)


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never reach the internet: only loopback connections are allowed."""
    real_connect = socket.socket.connect

    def guarded_connect(self: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and not (
            host.startswith("127.") or host in {"localhost", "::1"} or host.startswith("/")
        ):
            raise OSError(f"Tests may not reach the network ({host}).")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)


def fake_dns(host: str, port: int) -> list[str]:
    """Tests have no DNS. Names resolve to a public address, except `localhost` and
    names under `.internal`, which resolve to loopback and a private address."""
    if host == "localhost":
        return ["127.0.0.1"]
    if host.endswith(".internal"):
        return ["10.20.30.40"]
    return ["151.101.1.140"]


@pytest.fixture(autouse=True)
def _fake_dns() -> Iterator[None]:
    previous = netguard.set_resolver(fake_dns)
    yield
    netguard.set_resolver(previous)


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache (password-reset limits count in it)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Real hashing takes a second per person; tests make dozens of people."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class OrganisationWorld:
    organisation: Organisation
    unit: Unit
    comms_lead: User
    manager: User
    account_owner: User
    substitute: User
    publisher: User
    registrar: User
    case_officer: User
    web_manager: User


def _person(username: str, first: str, last: str) -> User:
    user: User = UserFactory.create(username=username, first_name=first, last_name=last)
    return user


def _build_world(*, slug: str, name: str, country: str = "SE") -> OrganisationWorld:
    organisation = organisation_create(
        actor=None,
        name=name,
        slug=slug,
        kind="municipality",
        country=country,
        website=f"https://www.{slug}.se",
        switchboard="0926-740 00",
    )
    people = {
        Role.COMMS_LEAD: _person(f"{slug}-kommunikation", "Karin", "Lind"),
        Role.MANAGER: _person(f"{slug}-chef", "Mats", "Berg"),
        Role.ACCOUNT_OWNER: _person(f"{slug}-kontoansvarig", "Anna", "Nilsson"),
        Role.SUBSTITUTE: _person(f"{slug}-ersattare", "Erik", "Ström"),
        Role.PUBLISHER: _person(f"{slug}-publicist", "Sara", "Holm"),
        Role.REGISTRAR: _person(f"{slug}-registrator", "Lena", "Åberg"),
        Role.CASE_OFFICER: _person(f"{slug}-handlaggare", "Jonas", "Pekkala"),
        Role.WEB_MANAGER: _person(f"{slug}-webb", "Olle", "Viklund"),
    }
    for role, user in people.items():
        membership_grant(actor=None, organisation=organisation, user=user, role=role)
    unit = unit_create(
        actor=None,
        organisation=organisation,
        name="Kommunledningsförvaltningen",
        kind="administration",
    )
    return OrganisationWorld(
        organisation=organisation,
        unit=unit,
        comms_lead=people[Role.COMMS_LEAD],
        manager=people[Role.MANAGER],
        account_owner=people[Role.ACCOUNT_OWNER],
        substitute=people[Role.SUBSTITUTE],
        publisher=people[Role.PUBLISHER],
        registrar=people[Role.REGISTRAR],
        case_officer=people[Role.CASE_OFFICER],
        web_manager=people[Role.WEB_MANAGER],
    )


@pytest.fixture
def world(db: None) -> OrganisationWorld:
    """Överkalix with one person per role."""
    return _build_world(slug="overkalix", name="Överkalix kommun")


@pytest.fixture
def other_world(db: None) -> OrganisationWorld:
    """Degerfors: the other organisation."""
    return _build_world(slug="degerfors", name="Degerfors kommun")


@pytest.fixture
def outsider(other_world: OrganisationWorld) -> User:
    """A comms lead of the other organisation: sees nothing of Överkalix."""
    return other_world.comms_lead


@pytest.fixture
def policy_dir() -> Path:
    return Path(settings.POLICY_PACK_DIR)


def login(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


@pytest.fixture
def as_user(client: Client) -> Iterator[Any]:
    """`as_user(user)` logs the test client in as that person."""

    def _login(user: User) -> Client:
        return login(client, user)

    yield _login


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """A test that switches language (a Finnish page, a mail) leaves Swedish behind."""
    from django.utils import translation

    yield
    translation.activate("sv")


@pytest.fixture
def media_in_tmp(settings: Any, tmp_path: Path) -> Path:
    """Uploaded and generated files go to the test's own directory (returned)."""
    location = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": location},
        },
    }
    return location
