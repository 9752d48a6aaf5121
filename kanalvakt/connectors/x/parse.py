"""X: Account Activity API deliveries and API v2 responses → IncomingItem.

Deliveries carry legacy (v1.1) Tweet objects; polling uses API v2. Both give
the same item for the same tweet.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kanalvakt.connectors.base import IncomingItem, ItemKind, PayloadError, as_str
from kanalvakt.connectors.parsing import (
    compact_json,
    from_epoch,
    from_iso,
    from_twitter,
    load_json,
    obj,
)

PLATFORM = "x"


def tweet_url(handle: str, tweet_id: str) -> str:
    return f"https://x.com/{handle or 'i'}/status/{tweet_id}"


def _language(value: Any) -> str | None:
    lang = as_str(value)
    return lang if lang and lang not in ("und", "qme", "zxx") else None


# ------------------------------------------------------------ Account Activity


def parse_delivery(body: bytes) -> list[IncomingItem]:
    payload = load_json(body)
    if not isinstance(payload, dict) or "for_user_id" not in payload:
        raise PayloadError("not an Account Activity delivery: no for_user_id")
    account_id = as_str(payload["for_user_id"])
    items: list[IncomingItem] = []
    events = sum(
        len(payload.get(key) or [])
        for key in ("tweet_create_events", "tweet_delete_events", "direct_message_events")
    )
    whole = events == 1  # one event: its raw copy is the exact body
    for tweet in payload.get("tweet_create_events") or []:
        raw = body if whole else _own({"for_user_id": account_id, "tweet_create_events": [tweet]})
        item = parse_legacy_tweet(obj(tweet), account_id, raw)
        if item is not None:
            items.append(item)
    for deletion in payload.get("tweet_delete_events") or []:
        status = obj(obj(deletion).get("status"))
        if status.get("id"):
            items.append(
                IncomingItem(
                    platform=PLATFORM,
                    external_id=as_str(status["id"]),
                    kind=ItemKind.MENTION,  # unknown from a deletion; match on the id
                    created_at=from_epoch(obj(deletion).get("timestamp_ms")),
                    raw=body
                    if whole
                    else _own({"for_user_id": account_id, "tweet_delete_events": [deletion]}),
                    account_external_id=account_id,
                    author_external_id=as_str(status.get("user_id")),
                    by_account=as_str(status.get("user_id")) == account_id,
                    deleted=True,
                )
            )
    users = obj(payload.get("users"))
    for event in payload.get("direct_message_events") or []:
        raw = body if whole else _dm_raw(account_id, obj(event), users)
        item = _legacy_dm(obj(event), account_id, users, raw)
        if item is not None:
            items.append(item)
    return items


def _dm_raw(account_id: str, event: dict[str, Any], users: dict[str, Any]) -> bytes:
    """One direct message event as a delivery of its own, with its two users."""
    create = obj(event.get("message_create"))
    ids = {as_str(create.get("sender_id")), as_str(obj(create.get("target")).get("recipient_id"))}
    own_users = {key: value for key, value in users.items() if key in ids}
    return _own({"for_user_id": account_id, "direct_message_events": [event], "users": own_users})


def _own(envelope: dict[str, Any]) -> bytes:
    """One event of a delivery in the delivery's envelope: the item's own raw copy."""
    return compact_json(envelope)


def parse_legacy_tweet(tweet: dict[str, Any], account_id: str, raw: bytes) -> IncomingItem | None:
    """A v1.1 Tweet object; retweets give None (nothing to answer)."""
    if tweet.get("retweeted_status"):
        return None
    tweet_id = as_str(tweet.get("id_str") or tweet.get("id"))
    if not tweet_id:
        raise PayloadError("tweet without an id")
    user = obj(tweet.get("user"))
    author_id = as_str(user.get("id_str") or user.get("id"))
    extended = obj(tweet.get("extended_tweet"))
    text = as_str(extended.get("full_text") or tweet.get("full_text") or tweet.get("text"))
    parent = as_str(tweet.get("in_reply_to_status_id_str") or tweet.get("in_reply_to_status_id"))
    reply_to_user = as_str(tweet.get("in_reply_to_user_id_str") or tweet.get("in_reply_to_user_id"))
    by_account = author_id == account_id
    if by_account:
        kind = ItemKind.REPLY if parent else ItemKind.POST
    elif parent and reply_to_user == account_id:
        kind = ItemKind.REPLY
    else:
        kind = ItemKind.MENTION
    if tweet.get("timestamp_ms"):
        created_at = from_epoch(tweet["timestamp_ms"])
    else:
        created_at = from_twitter(tweet.get("created_at"))
    handle = as_str(user.get("screen_name"))
    media = obj(extended.get("extended_entities") or tweet.get("extended_entities"))
    return IncomingItem(
        platform=PLATFORM,
        external_id=tweet_id,
        kind=kind,
        created_at=created_at,
        raw=raw,
        text=text,
        account_external_id=account_id,
        parent_external_id=parent or None,
        author_name=as_str(user.get("name")),
        author_handle=handle,
        author_external_id=author_id,
        by_account=by_account,
        language=_language(tweet.get("lang")),
        url=tweet_url(handle, tweet_id),
        attachments=tuple(
            as_str(obj(m).get("media_url_https"))
            for m in media.get("media") or []
            if obj(m).get("media_url_https")
        ),
    )


def _legacy_dm(
    event: dict[str, Any], account_id: str, users: dict[str, Any], raw: bytes
) -> IncomingItem | None:
    if event.get("type") != "message_create":
        return None
    create = obj(event.get("message_create"))
    sender = as_str(create.get("sender_id"))
    recipient = as_str(obj(create.get("target")).get("recipient_id"))
    other = recipient if sender == account_id else sender
    user = obj(users.get(sender))
    return IncomingItem(
        platform=PLATFORM,
        external_id=as_str(event.get("id")),
        kind=ItemKind.DIRECT_MESSAGE,
        created_at=from_epoch(event.get("created_timestamp")),
        raw=raw,
        text=as_str(obj(create.get("message_data")).get("text")),
        account_external_id=account_id,
        thread_id=other or None,
        author_name=as_str(user.get("name")),
        author_handle=as_str(user.get("screen_name")),
        author_external_id=sender,
        by_account=sender == account_id,
        platform_data={"recipient_id": other},
    )


# ------------------------------------------------------------------- API v2


def parse_v2_tweets(payload: Any, account_id: str) -> list[IncomingItem]:
    """`GET /2/users/:id/mentions`, `/2/tweets/search/recent`, `/2/tweets?ids=`."""
    body = obj(payload)
    users = {as_str(u.get("id")): u for u in obj(body.get("includes")).get("users") or []}
    return [parse_v2_tweet(obj(t), account_id, users) for t in body.get("data") or []]


def parse_v2_tweet(
    tweet: dict[str, Any], account_id: str, users: dict[str, dict[str, Any]]
) -> IncomingItem:
    latest_id = as_str(tweet.get("id"))
    if not latest_id or "created_at" not in tweet:
        raise PayloadError("v2 tweet without id or created_at (request tweet.fields=created_at)")
    history = [as_str(i) for i in tweet.get("edit_history_tweet_ids") or []]
    original_id = history[0] if history else latest_id
    author_id = as_str(tweet.get("author_id"))
    user = obj(users.get(author_id))
    replied_to = next(
        (
            as_str(r.get("id"))
            for r in tweet.get("referenced_tweets") or []
            if obj(r).get("type") == "replied_to"
        ),
        "",
    )
    by_account = bool(author_id) and author_id == account_id
    if by_account:
        kind = ItemKind.REPLY if replied_to else ItemKind.POST
    elif replied_to and as_str(tweet.get("in_reply_to_user_id")) == account_id:
        kind = ItemKind.REPLY
    else:
        kind = ItemKind.MENTION
    created_at = from_iso(tweet["created_at"])
    handle = as_str(user.get("username"))
    return IncomingItem(
        platform=PLATFORM,
        external_id=original_id,
        kind=kind,
        created_at=created_at,
        raw=compact_json(tweet),
        text=as_str(tweet.get("text")),
        account_external_id=account_id,
        parent_external_id=replied_to or None,
        thread_id=as_str(tweet.get("conversation_id")) or None,
        author_name=as_str(user.get("name")),
        author_handle=handle,
        author_external_id=author_id,
        by_account=by_account,
        language=_language(tweet.get("lang")),
        url=tweet_url(handle, latest_id),
        edited_at=created_at if latest_id != original_id else None,
        platform_data={"latest_id": latest_id},
    )


def parse_v2_dm_events(payload: Any, account_id: str) -> list[IncomingItem]:
    """`GET /2/dm_events`: MessageCreate events become direct messages."""
    items = []
    for event in obj(payload).get("data") or []:
        event = obj(event)
        if event.get("event_type") != "MessageCreate":
            continue
        sender = as_str(event.get("sender_id"))
        conversation = as_str(event.get("dm_conversation_id"))
        other = _other_participant(conversation, account_id) if sender == account_id else sender
        created: datetime = from_iso(event.get("created_at"))
        items.append(
            IncomingItem(
                platform=PLATFORM,
                external_id=as_str(event.get("id")),
                kind=ItemKind.DIRECT_MESSAGE,
                created_at=created,
                raw=compact_json(event),
                text=as_str(event.get("text")),
                account_external_id=account_id,
                thread_id=conversation or None,
                author_external_id=sender,
                by_account=sender == account_id,
                platform_data={"recipient_id": other, "dm_conversation_id": conversation},
            )
        )
    return items


def _other_participant(conversation_id: str, account_id: str) -> str:
    """One-to-one conversation ids are `{lower id}-{higher id}`."""
    parts = conversation_id.split("-")
    others = [p for p in parts if p != account_id]
    return others[0] if len(parts) == 2 and others else ""
