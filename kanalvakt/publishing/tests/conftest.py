"""Kyrkslätt under its own pack, two accounts, a publisher with a mandate, a fake platform."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from conftest import OrganisationWorld
from kanalvakt.connectors import registry
from kanalvakt.connectors.base import (
    AccountConfig,
    Connector,
    ConnectorProblem,
    OutgoingPost,
    PublishResult,
)
from kanalvakt.organisations.models import UnitKind, User
from kanalvakt.organisations.services import unit_create
from kanalvakt.policies.services import policy_acknowledge
from kanalvakt.policies.tests.helpers import use_pack
from kanalvakt.publishing import publish
from kanalvakt.register.models import Account
from kanalvakt.register.services import mandate_grant
from kanalvakt.register.tests.factories import entered_account

GOOD_TEXT = (
    "Biblioteket har öppet hus på lördag. Välkommen!\n"
    "Kirjastossa on avoimet ovet lauantaina. Tervetuloa!\n"
    "https://www.kirkkonummi.fi/kirjasto #kirkkonummi #kyrkslätt #yhdessätillsammans"
)


@pytest.fixture(autouse=True)
def _media_root(media_in_tmp: Path) -> None:
    """Uploaded files go to the test's own directory."""


def make_account(world: OrganisationWorld, platform: str, handle: str, unit: Any = None) -> Account:
    return entered_account(
        world,
        handle=handle,
        platform=platform,
        unit=unit or world.unit,
        url=f"https://example.org/{platform}/{handle}",
        substitute=world.substitute,
    )


def grant(world: OrganisationWorld, holder: User, accounts: list[Account]) -> None:
    mandate_grant(
        actor=world.manager,
        organisation=world.organisation,
        holder=holder,
        accounts=accounts,
        scope="Publicera och svara.",
        anchored_with="Kommundirektören",
        anchored_on=datetime.date(2025, 1, 1),
        valid_from=datetime.date(2025, 1, 1),
    )


def acknowledge(world: OrganisationWorld, user: User) -> None:
    version = world.organisation.policy_version
    assert version is not None
    policy_acknowledge(actor=user, organisation=world.organisation, policy_version=version)


@dataclass
class Kyrkslatt:
    world: OrganisationWorld
    facebook: Account
    x: Account
    library: Account


@pytest.fixture
def kyrkslatt(world: OrganisationWorld) -> Kyrkslatt:
    """The world under Kyrkslätt's pack; the publisher holds a mandate and has acknowledged."""
    use_pack(world.organisation, "kyrkslatt")
    service_area = unit_create(
        actor=None,
        organisation=world.organisation,
        name="Utbildnings- och kulturtjänster",
        kind=UnitKind.SERVICE_AREA,
    )
    facebook = make_account(world, "facebook", "kirkkonummenkunta")
    x = make_account(world, "x", "kirkkonummi")
    library = make_account(world, "facebook", "kirkkonummenkirjasto", unit=service_area)
    grant(world, world.publisher, [facebook, x, library])
    acknowledge(world, world.publisher)
    return Kyrkslatt(world, facebook, x, library)


@dataclass
class FakePlatform:
    """Stands in for every platform: records what it was asked to publish."""

    published: list[tuple[str, OutgoingPost]] = field(default_factory=list)
    failing: set[str] = field(default_factory=set)
    pinned: list[tuple[str, str]] = field(default_factory=list)
    unpinnable: set[str] = field(default_factory=set)
    numbers: Iterator[int] = field(default_factory=lambda: itertools.count(1))


@pytest.fixture
def platform(monkeypatch: pytest.MonkeyPatch) -> FakePlatform:
    fake = FakePlatform()

    class FakeConnector(Connector):
        platform = "fake"

        def __init__(self, http: Any = None) -> None:
            self.http = http

        def close(self) -> None:
            pass

        def publish(self, account: AccountConfig, post: OutgoingPost) -> PublishResult:
            if account.handle in fake.failing:
                raise ConnectorProblem("rate limited: try again in 15 minutes")
            fake.published.append((account.handle, post))
            number = next(fake.numbers)
            return PublishResult(
                external_id=f"{account.external_id}_{number}",
                url=f"https://platform.example/{account.handle}/{number}",
                raw=b'{"id": "%d"}' % number,
            )

        def pin(self, account: AccountConfig, external_id: str) -> None:
            if account.handle in fake.unpinnable:
                raise ConnectorProblem("the page cannot pin posts")
            fake.pinned.append((account.handle, external_id))

    for name in ("facebook", "x", "instagram"):
        monkeypatch.setitem(registry.CONNECTORS, name, FakeConnector)
    monkeypatch.setattr(
        publish,
        "account_config_for",
        lambda account: AccountConfig(
            external_id=f"id-{account.pk}", access_token="token", handle=account.handle
        ),
    )
    return fake
