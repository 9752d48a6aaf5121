"""WordPress REST API comments (`/wp-json/wp/v2/comments`) → IncomingItem."""

from __future__ import annotations

from typing import Any

from kanalvakt.connectors.base import IncomingItem, ItemKind, PayloadError, as_str
from kanalvakt.connectors.parsing import compact_json, from_iso, html_to_text, obj

PLATFORM = "wordpress"


def parse_comment(comment: dict[str, Any], account_id: str) -> IncomingItem:
    """One comment (view or edit context). `date_gmt` has no zone: it is UTC."""
    comment_id = as_str(comment.get("id"))
    post_id = as_str(comment.get("post"))
    if not comment_id or not comment.get("date_gmt"):
        raise PayloadError("wordpress comment without id or date_gmt")
    parent = as_str(comment.get("parent"))
    parent = "" if parent in ("", "0") else parent
    author = as_str(comment.get("author"))
    status = as_str(comment.get("status"))
    content = obj(comment.get("content"))
    text = html_to_text(as_str(content.get("rendered") or content.get("raw")))
    return IncomingItem(
        platform=PLATFORM,
        external_id=comment_id,
        kind=ItemKind.REPLY if parent else ItemKind.COMMENT,
        created_at=from_iso(as_str(comment["date_gmt"]) + "+00:00"),
        raw=compact_json(comment),
        text=text,
        account_external_id=account_id,
        parent_external_id=parent or post_id or None,
        thread_id=post_id or None,
        author_name=as_str(comment.get("author_name")),
        author_external_id=author if author not in ("", "0") else "",
        by_account=bool(account_id) and author == account_id,
        url=as_str(comment.get("link")),
        hidden=status in ("hold", "spam") if status else None,
        deleted=status == "trash",
        platform_data={"post": post_id, "status": status},
    )


def parse_comments(payload: Any, account_id: str) -> list[IncomingItem]:
    if not isinstance(payload, list):
        raise PayloadError("wordpress: comment list is not a list")
    return [parse_comment(obj(c), account_id) for c in payload]
