"""How the inbox reaches an account on its platform: the one place that asks for its config.

The intake app (account tokens) will provide
`kanalvakt.intake.services.connection_account_config(account)`; until it
exists every account counts as not connected and replies are refused clearly.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from kanalvakt.connectors.base import AccountConfig, ItemKind, ItemRef
from kanalvakt.inbox.models import Item
from kanalvakt.register.models import Account


def account_config_for(account: Account) -> AccountConfig | None:
    """The account's platform connection, or None when it is not connected."""
    try:
        intake = importlib.import_module("kanalvakt.intake.services")
    except ModuleNotFoundError:
        return None
    lookup: Callable[[Account], AccountConfig | None] | None = getattr(
        intake, "connection_account_config", None
    )
    return lookup(account) if lookup is not None else None


def item_ref(item: Item) -> ItemRef:
    return ItemRef(
        external_id=item.external_id,
        kind=ItemKind(item.kind),
        author_external_id=item.author_external_id,
        thread_id=item.thread_id or None,
        platform_data={str(k): str(v) for k, v in (item.platform_data or {}).items()},
    )
