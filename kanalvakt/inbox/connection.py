"""How Kanalvakt reaches an account on its platform: the one place that asks for its config.

Replies (inbox) and moderation actions both go through here; the connection
itself (token, external id) is kept by the intake app.
"""

from __future__ import annotations

from kanalvakt.connectors.base import AccountConfig, ItemKind, ItemRef
from kanalvakt.inbox.models import Item
from kanalvakt.register.models import Account


def account_config_for(account: Account) -> AccountConfig | None:
    """The account's platform connection, or None when it is not connected."""
    # Imported here: the intake app's services import the inbox's.
    from kanalvakt.intake.services import connection_account_config

    return connection_account_config(account)


def item_ref(item: Item) -> ItemRef:
    return ItemRef(
        external_id=item.external_id,
        kind=ItemKind(item.kind),
        author_external_id=item.author_external_id,
        thread_id=item.thread_id or None,
        platform_data={str(k): str(v) for k, v in (item.platform_data or {}).items()},
    )
