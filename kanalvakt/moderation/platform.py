"""Carrying out a moderation decision on the platform, through the account's connector."""

from __future__ import annotations

from dataclasses import dataclass

from kanalvakt.connectors.base import (
    ActionNotSupported,
    ConnectorProblem,
    ItemKind,
    ItemRef,
)
from kanalvakt.connectors.http import ConnectorError
from kanalvakt.connectors.registry import connector_for, has_connector
from kanalvakt.inbox.connection import account_config_for, item_ref
from kanalvakt.inbox.models import Item
from kanalvakt.moderation.models import DecisionKind, PlatformStatus


@dataclass(frozen=True)
class Outcome:
    status: PlatformStatus
    detail: str = ""


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
    config = account_config_for(account)
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
