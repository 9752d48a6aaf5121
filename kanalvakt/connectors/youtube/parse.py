"""YouTube Data API v3 commentThreads / comments responses → IncomingItem."""

from __future__ import annotations

from typing import Any

from kanalvakt.connectors.base import IncomingItem, ItemKind, PayloadError, as_str
from kanalvakt.connectors.parsing import compact_json, from_iso, html_to_text, obj

PLATFORM = "youtube"
HIDDEN_STATUSES = frozenset({"heldForReview", "likelySpam", "rejected"})


def parse_comment(comment: dict[str, Any], channel_id: str, video_id: str = "") -> IncomingItem:
    """One `youtube#comment`: a top-level comment or a reply (`snippet.parentId`)."""
    snippet = obj(comment.get("snippet"))
    external_id = as_str(comment.get("id"))
    if not external_id or "publishedAt" not in snippet:
        raise PayloadError("youtube comment without id or publishedAt")
    video_id = as_str(snippet.get("videoId")) or video_id
    parent_id = as_str(snippet.get("parentId"))
    published = from_iso(snippet["publishedAt"])
    updated = from_iso(snippet["updatedAt"]) if snippet.get("updatedAt") else published
    author_id = as_str(obj(snippet.get("authorChannelId")).get("value"))
    text = snippet.get("textOriginal")
    if not isinstance(text, str):
        text = html_to_text(as_str(snippet.get("textDisplay")))
    status = as_str(snippet.get("moderationStatus"))
    url = f"https://www.youtube.com/watch?v={video_id}&lc={external_id}" if video_id else ""
    return IncomingItem(
        platform=PLATFORM,
        external_id=external_id,
        kind=ItemKind.REPLY if parent_id else ItemKind.COMMENT,
        created_at=published,
        raw=compact_json(comment),
        text=text,
        account_external_id=channel_id or as_str(snippet.get("channelId")),
        parent_external_id=parent_id or video_id or None,
        thread_id=video_id or None,
        author_name=as_str(snippet.get("authorDisplayName")),
        author_handle=as_str(snippet.get("authorChannelUrl")).rsplit("/", 1)[-1],
        author_external_id=author_id,
        by_account=bool(author_id) and author_id == channel_id,
        url=url,
        edited_at=updated if updated != published else None,
        hidden=(status in HIDDEN_STATUSES) if status else None,
        platform_data={"top_level_id": parent_id or external_id},
    )


def parse_threads(payload: Any, channel_id: str) -> tuple[list[IncomingItem], list[str]]:
    """`commentThreads.list`: items, and the thread ids whose replies were not all included."""
    body = obj(payload)
    if body.get("kind") != "youtube#commentThreadListResponse":
        raise PayloadError("not a youtube#commentThreadListResponse")
    items: list[IncomingItem] = []
    incomplete: list[str] = []
    for thread in body.get("items") or []:
        snippet = obj(obj(thread).get("snippet"))
        video_id = as_str(snippet.get("videoId"))
        items.append(parse_comment(obj(snippet.get("topLevelComment")), channel_id, video_id))
        replies = obj(obj(thread).get("replies")).get("comments") or []
        items.extend(parse_comment(obj(r), channel_id, video_id) for r in replies)
        if int(snippet.get("totalReplyCount") or 0) > len(replies):
            incomplete.append(as_str(obj(thread).get("id")))
    return items, incomplete


def parse_comments(payload: Any, channel_id: str, video_id: str = "") -> list[IncomingItem]:
    """`comments.list` (by parentId or by id)."""
    body = obj(payload)
    if body.get("kind") != "youtube#commentListResponse":
        raise PayloadError("not a youtube#commentListResponse")
    return [parse_comment(obj(c), channel_id, video_id) for c in body.get("items") or []]
