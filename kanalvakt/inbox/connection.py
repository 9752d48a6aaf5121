"""How Kanalvakt reaches an account on its platform: the one place that asks for its config.

Replies (inbox) and moderation actions both go through here. The connection
itself (token, external id) is kept by the intake app, which feeds the inbox:
the inbox never imports intake. Intake registers its lookup at start-up
(`register_account_config`, from its `AppConfig.ready`).
"""

from __future__ import annotations

from collections.abc import Callable

from kanalvakt.connectors.base import AccountConfig, ItemKind, ItemRef
from kanalvakt.inbox.models import Item
from kanalvakt.register.models import Account

AccountConfigLookup = Callable[[Account], AccountConfig | None]

_lookup: list[AccountConfigLookup] = []


def register_account_config(lookup: AccountConfigLookup) -> None:
    """Name the function that gives an account's connection (the intake app's)."""
    _lookup[:] = [lookup]


def account_config_for(account: Account) -> AccountConfig | None:
    """The account's platform connection, or None when it is not connected."""
    if not _lookup:
        return None  # no app that keeps connections is installed
    return _lookup[0](account)


def item_ref(item: Item) -> ItemRef:
    return ItemRef(
        external_id=item.external_id,
        kind=ItemKind(item.kind),
        author_external_id=item.author_external_id,
        thread_id=item.thread_id or None,
        platform_data={str(k): str(v) for k, v in (item.platform_data or {}).items()},
    )
