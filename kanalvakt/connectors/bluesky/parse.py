"""Bluesky (AT Protocol) notifications, post views and records → IncomingItem."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kanalvakt.connectors.base import IncomingItem, ItemKind, PayloadError, as_str
from kanalvakt.connectors.parsing import compact_json, from_iso, obj

PLATFORM = "bluesky"
POST_COLLECTION = "app.bsky.feed.post"
REASON_KINDS = {"reply": ItemKind.REPLY, "mention": ItemKind.MENTION, "quote": ItemKind.MENTION}


def split_uri(uri: str) -> tuple[str, str, str]:
    """`at://did/collection/rkey` → (did, collection, rkey)."""
    parts = uri.removeprefix("at://").split("/")
    if not uri.startswith("at://") or len(parts) != 3:
        raise PayloadError(f"not an AT URI of a record: {uri!r}")
    return parts[0], parts[1], parts[2]


def post_url(handle_or_did: str, uri: str) -> str:
    return f"https://bsky.app/profile/{handle_or_did}/post/{split_uri(uri)[2]}"


def parse_post_record(
    record: dict[str, Any],
    *,
    uri: str,
    cid: str,
    account_did: str,
    raw: bytes,
    kind: ItemKind | None = None,
    author: dict[str, Any] | None = None,
    fallback_time: str = "",
) -> IncomingItem:
    """An `app.bsky.feed.post` record with its uri and cid."""
    did = split_uri(uri)[0]
    author = author or {}
    reply = obj(record.get("reply"))
    parent = obj(reply.get("parent"))
    root = obj(reply.get("root"))
    created = as_str(record.get("createdAt")) or fallback_time
    if not created:
        raise PayloadError("bluesky post without createdAt")
    by_account = did == account_did
    if kind is None:
        if parent:
            kind = ItemKind.REPLY
        else:
            kind = ItemKind.POST if by_account else ItemKind.MENTION
    langs = record.get("langs")
    handle = as_str(author.get("handle"))
    created_at: datetime = from_iso(created)
    return IncomingItem(
        platform=PLATFORM,
        external_id=uri,
        kind=kind,
        created_at=created_at,
        raw=raw,
        text=as_str(record.get("text")),
        account_external_id=account_did,
        parent_external_id=as_str(parent.get("uri")) or None,
        thread_id=as_str(root.get("uri")) or uri,
        author_name=as_str(author.get("displayName")),
        author_handle=handle,
        author_external_id=did,
        by_account=by_account,
        language=as_str(langs[0]) if isinstance(langs, list) and langs else None,
        url=post_url(handle or did, uri),
        platform_data={
            "cid": cid,
            "root_uri": as_str(root.get("uri")) or uri,
            "root_cid": as_str(root.get("cid")) or cid,
        },
    )


def parse_notifications(payload: Any, account_did: str) -> list[IncomingItem]:
    """`app.bsky.notification.listNotifications`: replies, mentions and quotes."""
    body = obj(payload)
    if not isinstance(body.get("notifications"), list):
        raise PayloadError("not a listNotifications response")
    items = []
    for notification in body["notifications"]:
        notification = obj(notification)
        kind = REASON_KINDS.get(as_str(notification.get("reason")))
        record = obj(notification.get("record"))
        if kind is None or record.get("$type") != POST_COLLECTION:
            continue  # likes, reposts, follows
        items.append(
            parse_post_record(
                record,
                uri=as_str(notification.get("uri")),
                cid=as_str(notification.get("cid")),
                account_did=account_did,
                raw=compact_json(notification),
                kind=kind,
                author=obj(notification.get("author")),
                fallback_time=as_str(notification.get("indexedAt")),
            )
        )
    return items


def parse_post_view(view: dict[str, Any], account_did: str) -> IncomingItem:
    """An `app.bsky.feed.defs#postView` (getPosts, getPostThread)."""
    return parse_post_record(
        obj(view.get("record")),
        uri=as_str(view.get("uri")),
        cid=as_str(view.get("cid")),
        account_did=account_did,
        raw=compact_json(view),
        author=obj(view.get("author")),
        fallback_time=as_str(view.get("indexedAt")),
    )
