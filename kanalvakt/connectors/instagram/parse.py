"""Instagram webhook deliveries and Graph API IG Comment nodes → IncomingItem."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kanalvakt.connectors.base import IncomingItem, ItemKind, PayloadError, as_str
from kanalvakt.connectors.facebook.parse import parse_messaging_event
from kanalvakt.connectors.meta import entries, event_count, single_event
from kanalvakt.connectors.parsing import compact_json, from_epoch, from_iso, obj

PLATFORM = "instagram"


def parse_delivery(body: bytes) -> list[IncomingItem]:
    items: list[IncomingItem] = []
    delivered = list(entries(body, "instagram"))
    whole = event_count(delivered) == 1  # one event: its raw copy is the exact body
    for entry in delivered:
        user_id = as_str(entry.get("id"))
        if "time" not in entry:
            raise PayloadError("instagram entry without a time")
        entry_time = from_epoch(entry["time"])
        for change in entry.get("changes") or []:
            raw = body if whole else single_event("instagram", entry, "changes", change)
            item = _change(obj(change), user_id, entry_time, raw)
            if item is not None:
                items.append(item)
        for event in entry.get("messaging") or []:
            raw = body if whole else single_event("instagram", entry, "messaging", event)
            item = parse_messaging_event(obj(event), user_id, raw, platform=PLATFORM)
            if item is not None:
                items.append(item)
    return items


def _change(
    change: dict[str, Any], user_id: str, entry_time: datetime, body: bytes
) -> IncomingItem | None:
    field = change.get("field")
    value = obj(change.get("value"))
    if field == "mentions":
        # Only ids arrive; `fetch` gets the text. No comment_id: a caption mention.
        comment_id = as_str(value.get("comment_id"))
        media_id = as_str(value.get("media_id"))
        if not (comment_id or media_id):
            raise PayloadError("instagram mention without ids")
        return IncomingItem(
            platform=PLATFORM,
            external_id=comment_id or media_id,
            kind=ItemKind.MENTION,
            created_at=entry_time,
            raw=body,
            account_external_id=user_id,
            thread_id=media_id or None,
            complete=False,
            platform_data={"media_id": media_id, "comment_id": comment_id},
        )
    if field not in ("comments", "live_comments"):
        return None
    external_id = as_str(value.get("id"))
    if not external_id:
        raise PayloadError("instagram comment without an id")
    sender = obj(value.get("from"))
    media_id = as_str(obj(value.get("media")).get("id"))
    parent_id = as_str(value.get("parent_id"))
    author_id = as_str(sender.get("id"))
    return IncomingItem(
        platform=PLATFORM,
        external_id=external_id,
        kind=ItemKind.REPLY if parent_id else ItemKind.COMMENT,
        created_at=entry_time,
        raw=body,
        text=as_str(value.get("text")),
        account_external_id=user_id,
        parent_external_id=parent_id or media_id or None,
        thread_id=media_id or None,
        author_handle=as_str(sender.get("username")),
        author_external_id=author_id,
        by_account=bool(author_id) and author_id == user_id,
        platform_data={
            "media_product_type": as_str(obj(value.get("media")).get("media_product_type"))
        }
        if value.get("media")
        else {},
    )


def parse_comment_node(
    node: dict[str, Any], user_id: str = "", *, media_id: str = "", parent_id: str = ""
) -> list[IncomingItem]:
    """An IG Comment node and the replies nested in it (`replies.data`)."""
    external_id = as_str(node.get("id"))
    if not external_id or "timestamp" not in node:
        raise PayloadError("instagram comment node without id or timestamp")
    media_id = as_str(obj(node.get("media")).get("id")) or media_id
    parent_id = (
        as_str(obj(node.get("parent_id") and {"id": node["parent_id"]}).get("id")) or parent_id
    )
    user = obj(node.get("from")) or obj(node.get("user"))
    author_id = as_str(user.get("id"))
    handle = as_str(node.get("username") or user.get("username"))
    item = IncomingItem(
        platform=PLATFORM,
        external_id=external_id,
        kind=ItemKind.REPLY if parent_id else ItemKind.COMMENT,
        created_at=from_iso(node["timestamp"]),
        raw=compact_json(node),
        text=as_str(node.get("text")),
        account_external_id=user_id,
        parent_external_id=parent_id or media_id or None,
        thread_id=media_id or None,
        author_handle=handle,
        author_external_id=author_id,
        by_account=bool(author_id) and author_id == user_id,
        hidden=node["hidden"] if isinstance(node.get("hidden"), bool) else None,
    )
    replies = [
        reply
        for child in obj(node.get("replies")).get("data") or []
        for reply in parse_comment_node(
            obj(child), user_id, media_id=media_id, parent_id=external_id
        )
    ]
    return [item, *replies]


def parse_comments_page(
    payload: Any, user_id: str = "", *, media_id: str = "", parent_id: str = ""
) -> list[IncomingItem]:
    """`GET /{ig-media-id}/comments` or `/{ig-comment-id}/replies`."""
    if not isinstance(payload, dict) or not isinstance(payload.get("data"), list):
        raise PayloadError("instagram comments response without data")
    return [
        item
        for node in payload["data"]
        for item in parse_comment_node(obj(node), user_id, media_id=media_id, parent_id=parent_id)
    ]


def parse_mention(payload: Any, user_id: str, media_id: str = "") -> IncomingItem:
    """`GET /{ig-user-id}?fields=mentioned_comment…` or `mentioned_media…` → the mention."""
    body = obj(payload)
    if comment := obj(body.get("mentioned_comment")):
        item = parse_comment_node(comment, user_id, media_id=media_id)[0]
        text, handle, created, external_id = (
            item.text,
            item.author_handle,
            item.created_at,
            item.external_id,
        )
    elif media := obj(body.get("mentioned_media")):
        if "timestamp" not in media:
            raise PayloadError("instagram mentioned media without timestamp")
        text, handle = as_str(media.get("caption")), as_str(media.get("username"))
        created, external_id = from_iso(media["timestamp"]), as_str(media.get("id"))
        media_id = external_id
    else:
        raise PayloadError("instagram mention lookup without mentioned_comment or mentioned_media")
    return IncomingItem(
        platform=PLATFORM,
        external_id=external_id,
        kind=ItemKind.MENTION,
        created_at=created,
        raw=compact_json(payload),
        text=text,
        account_external_id=user_id,
        thread_id=media_id or None,
        author_handle=handle,
    )
