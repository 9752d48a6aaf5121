from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import OrganisationWorld
from kanalvakt.connectors.base import IncomingItem, ItemKind
from kanalvakt.inbox.models import Item
from kanalvakt.inbox.services import item_ingest
from kanalvakt.policies.tests.helpers import use_pack
from kanalvakt.register.models import Account
from kanalvakt.register.tests.factories import entered_account, grant_mandate

_ids = itertools.count(1)


@pytest.fixture
def unwritable_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """KANALVAKT_CACHE_DIR names a folder that cannot be made (a file stands in its way)."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("KANALVAKT_CACHE_DIR", str(blocker / "cache"))
    return blocker / "cache"


@pytest.fixture
def overkalix_policy(world: OrganisationWorld) -> None:
    use_pack(world.organisation, "overkalix")


@pytest.fixture
def fb_account(world: OrganisationWorld, overkalix_policy: None) -> Account:
    account = entered_account(
        world,
        handle="overkalixkommun",
        display_name="Överkalix kommun",
        substitute=world.substitute,
        contact="info@overkalix.se",
    )
    # Överkalix's pack requires a mandate to moderate (REG-3).
    grant_mandate(
        account, world.account_owner, world.substitute, world.comms_lead, granted_by=world.manager
    )
    return account


@pytest.fixture
def receive(
    fb_account: Account, django_capture_on_commit_callbacks: Callable[..., Any]
) -> Callable[[str], Item]:
    """Receive a comment the way a webhook would: stored, then processed on commit."""

    def _receive(text: str) -> Item:
        number = next(_ids)
        incoming = IncomingItem(
            platform="facebook",
            external_id=f"post_{number}",
            kind=ItemKind.COMMENT,
            created_at=datetime.datetime.now(datetime.UTC),
            raw=f'{{"id": "post_{number}"}}'.encode(),
            text=text,
            author_name="Anonym Användare",
        )
        with django_capture_on_commit_callbacks(execute=True):
            item = item_ingest(account=fb_account, incoming=incoming).item
        return Item.objects.get(pk=item.pk)

    return _receive
