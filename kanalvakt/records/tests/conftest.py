from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import OrganisationWorld
from kanalvakt.connectors.base import IncomingItem, ItemKind
from kanalvakt.inbox.models import Item
from kanalvakt.inbox.services import item_ingest
from kanalvakt.policies.tests.helpers import use_pack
from kanalvakt.records.disclosure import records_request_create, records_request_select
from kanalvakt.records.models import RecordsRequest
from kanalvakt.records.tests.tsa import LocalTSA, start_tsa
from kanalvakt.register.models import Account
from kanalvakt.register.tests.factories import entered_account

_ids = itertools.count(1)

Receive = Callable[..., Item]


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media"},
        },
    }


@pytest.fixture
def checkpoint_key(settings: Any, tmp_path: Path) -> Path:
    """A checkpoint signing key of the test's own, outside the database."""
    from kanalvakt.records.signing import key_generate

    path = tmp_path / "keys" / "checkpoint.pem"
    settings.CHECKPOINT_KEY_FILE = str(path)
    key_generate(path)
    return path


@pytest.fixture
def tsa(settings: Any, tmp_path: Path) -> Iterator[LocalTSA]:
    """A time-stamping authority on loopback, configured as the installation's."""
    authority = start_tsa()
    settings.TSA_URL = authority.url
    settings.OUTBOUND_ALLOW_HOSTS = [authority.host]
    settings.TSA_CA_FILE = str(authority.ca.write_root(tmp_path / "tsa-ca.pem"))
    yield authority
    assert authority.server is not None
    authority.server.stop()


@pytest.fixture
def overkalix(world: OrganisationWorld) -> OrganisationWorld:
    use_pack(world.organisation, "overkalix")
    return world


def make_account(
    world: OrganisationWorld, handle: str = "overkalixkommun", url: str = ""
) -> Account:
    return entered_account(
        world,
        handle=handle,
        url=url or f"https://www.facebook.com/{handle}",
        substitute=world.substitute,
        contact="info@overkalix.se",
    )


@pytest.fixture
def account(overkalix: OrganisationWorld) -> Account:
    return make_account(overkalix)


@pytest.fixture
def receive(account: Account, django_capture_on_commit_callbacks: Callable[..., Any]) -> Receive:
    """Receive an item the way a webhook would: stored, then processed on commit."""

    def _receive(
        text: str,
        *,
        kind: ItemKind = ItemKind.COMMENT,
        author: str = "Anonym Användare",
        language: str = "sv",
        created_at: datetime.datetime | None = None,
        on: Account | None = None,
    ) -> Item:
        number = next(_ids)
        incoming = IncomingItem(
            platform="facebook",
            external_id=f"rec_{number}",
            kind=kind,
            created_at=created_at or datetime.datetime.now(datetime.UTC),
            raw=f'{{"id": "rec_{number}", "message": "{number}"}}'.encode(),
            text=text,
            author_name=author,
            language=language,
        )
        with django_capture_on_commit_callbacks(execute=True):
            item = item_ingest(account=on or account, incoming=incoming).item
        return Item.objects.get(pk=item.pk)

    return _receive


def requested(
    world: OrganisationWorld,
    *items: Item,
    requester: str = "Journalist",
    description: str = "Allt",
) -> RecordsRequest:
    """A records request the registrar entered, with `items` selected to answer it."""
    request = records_request_create(
        actor=world.registrar,
        organisation=world.organisation,
        requester=requester,
        description=description,
    )
    return records_request_select(actor=world.registrar, request=request, items=list(items))
