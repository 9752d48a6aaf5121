"""Mastodon API statuses, notifications and admin webhooks → IncomingItem."""

from __future__ import annotations

from typing import Any

from kanalvakt.connectors.base import IncomingItem, ItemKind, PayloadError, as_str
from kanalvakt.connectors.parsing import compact_json, from_iso, html_to_text, load_json, obj

PLATFORM = "mastodon"
STATUS_EVENTS = frozenset({"status.created", "status.updated"})


def status_text(status: dict[str, Any]) -> str:
    """Plain text of a status; a content warning comes first as its own paragraph."""
    text = html_to_text(as_str(status.get("content")))
    warning = as_str(status.get("spoiler_text")).strip()
    return f"{warning}\n\n{text}" if warning else text


def parse_status(
    status: dict[str, Any], account_id: str, *, raw: bytes | None = None
) -> IncomingItem:
    external_id = as_str(status.get("id"))
    if not external_id or "created_at" not in status:
        raise PayloadError("mastodon status without id or created_at")
    author = obj(status.get("account"))
    author_id = as_str(author.get("id"))
    parent = as_str(status.get("in_reply_to_id"))
    visibility = as_str(status.get("visibility"))
    by_account = bool(author_id) and author_id == account_id
    if visibility == "direct":
        kind = ItemKind.DIRECT_MESSAGE
    elif parent and as_str(status.get("in_reply_to_account_id")) == account_id:
        kind = ItemKind.REPLY
    elif not account_id or by_account:
        kind = ItemKind.REPLY if parent else ItemKind.POST
    else:
        kind = ItemKind.MENTION
    mentions = [as_str(obj(m).get("id")) for m in status.get("mentions") or []]
    return IncomingItem(
        platform=PLATFORM,
        external_id=external_id,
        kind=kind,
        created_at=from_iso(status["created_at"]),
        raw=raw if raw is not None else compact_json(status),
        text=status_text(status),
        account_external_id=account_id,
        parent_external_id=parent or None,
        author_name=as_str(author.get("display_name")) or as_str(author.get("username")),
        author_handle=as_str(author.get("acct")),
        author_external_id=author_id,
        by_account=by_account,
        language=as_str(status.get("language")) or None,
        url=as_str(status.get("url") or status.get("uri")),
        edited_at=from_iso(status["edited_at"]) if status.get("edited_at") else None,
        attachments=tuple(
            as_str(obj(m).get("url"))
            for m in status.get("media_attachments") or []
            if obj(m).get("url")
        ),
        platform_data={
            "visibility": visibility,
            "acct": as_str(author.get("acct")),
            "mentions": ",".join(m for m in mentions if m),
        },
    )


def parse_notifications(payload: Any, account_id: str) -> list[IncomingItem]:
    """`GET /api/v1/notifications`: mentions (and `update` edits) with their statuses.

    A notification whose status is null (deleted since) gives no item.
    """
    if not isinstance(payload, list):
        raise PayloadError("mastodon notifications response is not a list")
    items = []
    for notification in payload:
        notification = obj(notification)
        if notification.get("type") not in ("mention", "update", "status"):
            continue
        status = obj(notification.get("status"))
        if status:
            items.append(parse_status(status, account_id, raw=compact_json(notification)))
    return items


def parse_admin_webhook(body: bytes) -> list[IncomingItem]:
    """An admin webhook (`status.created`, `status.updated`); other events give nothing."""
    payload = load_json(body)
    if not isinstance(payload, dict) or "event" not in payload:
        raise PayloadError("not a Mastodon webhook: no event")
    if payload["event"] not in STATUS_EVENTS:
        return []
    status = obj(payload.get("object"))
    # Admin webhooks are server-wide: the account a status is for is the one it
    # answers, else the first one it mentions (all mentioned ids are in platform_data).
    mentions = [as_str(obj(m).get("id")) for m in status.get("mentions") or []]
    target = as_str(status.get("in_reply_to_account_id")) or next((m for m in mentions if m), "")
    return [parse_status(status, target, raw=body)]
