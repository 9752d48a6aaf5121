"""Carrying out a moderation decision on the platform, through the account's connector."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from kanalvakt.connectors.base import (
    AccountConfig,
    ActionNotSupported,
    ConnectorProblem,
    ItemKind,
    ItemRef,
)
from kanalvakt.connectors.http import ConnectorError
from kanalvakt.connectors.registry import connector_for, has_connector
from kanalvakt.inbox.models import Item
from kanalvakt.moderation.models import DecisionKind, PlatformStatus
from kanalvakt.register.models import Account


@dataclass(frozen=True)
class Outcome:
    status: PlatformStatus
    detail: str = ""


def account_config(account: Account) -> AccountConfig | None:
    """The account's platform connection, if the intake app has one for it."""
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


def parent_ref(item: Item) -> ItemRef:
    """Where a notice to the writer goes: the post the removed comment was on."""
    return ItemRef(
        external_id=item.parent_external_id or item.thread_id or item.external_id,
        kind=ItemKind.POST,
        thread_id=item.thread_id or None,
    )


def carry_out(*, item: Item, kind: str, notice_text: str = "") -> Outcome:
    """Run the platform action a decision calls for and say how it went."""
    if kind in (DecisionKind.KEEP, DecisionKind.REPORT):
        return Outcome(PlatformStatus.NOT_NEEDED)
    account = item.account
    if not has_connector(account.platform):
        return Outcome(PlatformStatus.UNSUPPORTED, f"Ingen koppling till {account.platform}.")
    config = account_config(account)
    if config is None:
        return Outcome(PlatformStatus.NOT_CONNECTED)
    connector = connector_for(account.platform)
    ref = item_ref(item)
    try:
        if kind == DecisionKind.HIDE:
            connector.hide(config, ref)
        elif kind == DecisionKind.UNHIDE:
            connector.unhide(config, ref)
        else:
            connector.remove(config, ref)
            if kind == DecisionKind.REMOVE_AND_NOTIFY and notice_text:
                connector.reply(config, parent_ref(item), notice_text)
    except ActionNotSupported as error:
        return Outcome(PlatformStatus.UNSUPPORTED, str(error))
    except (ConnectorError, ConnectorProblem) as error:
        return Outcome(PlatformStatus.FAILED, str(error))
    return Outcome(PlatformStatus.DONE)
