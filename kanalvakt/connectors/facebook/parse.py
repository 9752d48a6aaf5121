"""Facebook Page webhook deliveries and Graph API comment nodes → IncomingItem."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

from kanalvakt.connectors.base import IncomingItem, ItemKind, PayloadError, as_str
from kanalvakt.connectors.meta import entries, event_count, single_event
from kanalvakt.connectors.parsing import compact_json, from_epoch, from_iso, obj

PLATFORM = "facebook"
POST_ITEMS = frozenset({"post", "status", "photo", "video", "share"})


def parse_delivery(body: bytes) -> list[IncomingItem]:
    items: list[IncomingItem] = []
    delivered = list(entries(body, "page"))
    whole = event_count(delivered) == 1  # one event: its raw copy is the exact body
    for entry in delivered:
        page_id = as_str(entry.get("id"))
        entry_time = from_epoch(entry["time"]) if "time" in entry else None
        for change in entry.get("changes") or []:
            raw = body if whole else single_event("page", entry, "changes", change)
            item = _change(obj(change), page_id, entry_time, raw)
            if item is not None:
                items.append(item)
        for event in entry.get("messaging") or []:
            raw = body if whole else single_event("page", entry, "messaging", event)
            item = parse_messaging_event(obj(event), page_id, raw, platform=PLATFORM)
            if item is not None:
                items.append(item)
    return items


def _change(
    change: dict[str, Any], page_id: str, entry_time: datetime | None, body: bytes
) -> IncomingItem | None:
    field = change.get("field")
    value = change.get("value")
    if field not in ("feed", "mention") or not isinstance(value, dict):
        return None
    what = value.get("item")
    verb = value.get("verb", "add")
    if what == "comment":
        external_id = as_str(value.get("comment_id"))
        post_id = as_str(value.get("post_id"))
        parent_id = as_str(value.get("parent_id")) or post_id
        kind = ItemKind.COMMENT if parent_id == post_id else ItemKind.REPLY
        url = f"https://www.facebook.com/{post_id}?comment_id={external_id.split('_')[-1]}"
    elif what in POST_ITEMS:
        external_id = post_id = as_str(value.get("post_id"))
        parent_id = ""
        kind = ItemKind.POST
        url = f"https://www.facebook.com/{post_id}"
    else:
        return None  # reactions, likes, shares of our own posts: nothing to answer
    if not external_id:
        raise PayloadError(f"facebook {what} change without an id")
    if field == "mention":
        kind = ItemKind.MENTION
    sender = obj(value.get("from"))
    author_id = as_str(sender.get("id") or value.get("sender_id"))
    created = value.get("created_time")
    if created is not None:
        created_at = from_epoch(created)
    elif entry_time is not None:
        created_at = entry_time
    else:
        raise PayloadError("facebook change without a time")
    hidden: bool | None = None
    if verb in ("hide", "unhide"):
        hidden = verb == "hide"
    elif isinstance(value.get("is_hidden"), bool):
        hidden = value["is_hidden"]
    photo = value.get("photo") or value.get("link") or value.get("video")
    return IncomingItem(
        platform=PLATFORM,
        external_id=external_id,
        kind=kind,
        created_at=created_at,
        raw=body,
        text=as_str(value.get("message")),
        account_external_id=page_id,
        parent_external_id=parent_id or None,
        thread_id=post_id or None,
        author_name=as_str(sender.get("name") or value.get("sender_name")),
        author_external_id=author_id,
        by_account=bool(author_id) and author_id == page_id,
        url=url,
        edited_at=entry_time if verb == "edited" else None,
        deleted=verb == "remove",
        hidden=hidden,
        attachments=(photo,) if isinstance(photo, str) else (),
    )


def parse_messaging_event(
    event: dict[str, Any], account_id: str, body: bytes, *, platform: str
) -> IncomingItem | None:
    """One Messenger / Instagram Direct event; read receipts and reactions give None."""
    message = event.get("message")
    edit = event.get("message_edit")
    data = obj(message) or obj(edit)
    if not data.get("mid"):
        return None
    sender = as_str(obj(event.get("sender")).get("id"))
    recipient = as_str(obj(event.get("recipient")).get("id"))
    by_account = bool(data.get("is_echo")) or sender == account_id
    other_party = recipient if by_account else sender
    when = from_epoch(event["timestamp"]) if "timestamp" in event else None
    if when is None:
        raise PayloadError(f"{platform} message without a timestamp")
    attachments = tuple(
        as_str(obj(a).get("payload", {}).get("url"))
        for a in data.get("attachments") or []
        if obj(obj(a).get("payload")).get("url")
    )
    return IncomingItem(
        platform=platform,
        external_id=as_str(data["mid"]),
        kind=ItemKind.DIRECT_MESSAGE,
        created_at=when,
        raw=body,
        text=as_str(data.get("text")),
        account_external_id=account_id or recipient,
        thread_id=other_party or None,
        author_external_id=sender,
        by_account=by_account,
        edited_at=when if edit is not None else None,
        deleted=bool(data.get("is_deleted")),
        attachments=attachments,
        platform_data={"recipient_id": other_party},
    )


def parse_comment_node(node: dict[str, Any], page_id: str = "") -> IncomingItem:
    """A Graph API Comment node (`GET /{comment-id}` or an element of `/comments`)."""
    external_id = as_str(node.get("id")) or _id_from_permalink(as_str(node.get("permalink_url")))
    if not external_id or "created_time" not in node:
        raise PayloadError("facebook comment node without id or created_time")
    sender = obj(node.get("from"))
    parent = obj(node.get("parent"))
    post = obj(node.get("post"))
    post_id = as_str(post.get("id")) or _post_from_permalink(as_str(node.get("permalink_url")))
    author_id = as_str(sender.get("id"))
    attachment = obj(node.get("attachment"))
    media_url = as_str(obj(obj(attachment.get("media")).get("image")).get("src"))
    return IncomingItem(
        platform=PLATFORM,
        external_id=external_id,
        kind=ItemKind.REPLY if parent else ItemKind.COMMENT,
        created_at=from_iso(node["created_time"]),
        raw=compact_json(node),
        text=as_str(node.get("message")),
        account_external_id=page_id,
        parent_external_id=as_str(parent.get("id")) or post_id or None,
        thread_id=post_id or None,
        author_name=as_str(sender.get("name")),
        author_external_id=author_id,
        by_account=bool(author_id) and author_id == page_id,
        url=as_str(node.get("permalink_url")),
        hidden=node["is_hidden"] if isinstance(node.get("is_hidden"), bool) else None,
        attachments=(media_url,) if media_url else (),
    )


def _id_from_permalink(url: str) -> str:
    """`…/posts/{post}/?comment_id={comment}` → `{post}_{comment}` (when `id` was not requested)."""
    parts = urlsplit(url)
    comment = parse_qs(parts.query).get("comment_id", [""])[0]
    segments = [s for s in parts.path.split("/") if s]
    if comment and len(segments) >= 3 and segments[-2] == "posts":
        return f"{segments[-1]}_{comment}"
    return ""


def _post_from_permalink(url: str) -> str:
    """`…/{page}/posts/{post}/…` → `{page}_{post}`, the id webhooks use for the post."""
    segments = [s for s in urlsplit(url).path.split("/") if s]
    if len(segments) >= 3 and segments[-2] == "posts":
        return f"{segments[-3]}_{segments[-1]}"
    return ""


def parse_comments_page(payload: Any, page_id: str = "") -> tuple[list[IncomingItem], str | None]:
    """`GET /{object-id}/comments`: the items and the `after` cursor, if any."""
    if not isinstance(payload, dict) or not isinstance(payload.get("data"), list):
        raise PayloadError("facebook comments response without data")
    items = [parse_comment_node(node, page_id) for node in payload["data"]]
    paging = payload.get("paging") or {}
    after = (paging.get("cursors") or {}).get("after") if paging.get("next") else None
    return items, as_str(after) or None
