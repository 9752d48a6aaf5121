"""LinkedIn Community Management API comments → IncomingItem; "little text" for posts."""

from __future__ import annotations

import re
from typing import Any

from kanalvakt.connectors.base import IncomingItem, ItemKind, PayloadError, as_str
from kanalvakt.connectors.parsing import compact_json, from_epoch, obj

PLATFORM = "linkedin"
COMMENT_URN = re.compile(r"^urn:li:comment:\((?P<object>urn:li:[a-zA-Z]+:[^,]+),(?P<id>[^)]+)\)$")
RESERVED = re.compile(r"([\\|{}@\[\]()<>#*_~])")
HASHTAG = re.compile(r"(?<![\w#])#(\w*[^\W\d_]\w*)")


def organisation_urn(external_id: str) -> str:
    """`urn:li:organization:<id>` from an id or an URN."""
    return (
        external_id if external_id.startswith("urn:li:") else f"urn:li:organization:{external_id}"
    )


def split_comment_urn(urn: str) -> tuple[str, str]:
    """(object URN, comment id) of `urn:li:comment:(urn:li:activity:…,<id>)`."""
    match = COMMENT_URN.match(urn)
    if not match:
        raise PayloadError(f"linkedin: not a comment URN: {urn!r}")
    return match["object"], match["id"]


def parse_comment(comment: dict[str, Any], account_urn: str) -> IncomingItem:
    """One Comment as `GET /rest/socialActions/{urn}/comments` lists it."""
    target = as_str(comment.get("object"))
    comment_id = as_str(comment.get("id"))
    urn = as_str(comment.get("commentUrn") or comment.get("$URN"))
    if not urn and target and comment_id:
        urn = f"urn:li:comment:({target},{comment_id})"
    created = obj(comment.get("created"))
    if not urn or "time" not in created:
        raise PayloadError("linkedin comment without URN or created time")
    created_at = from_epoch(created["time"])
    modified = obj(comment.get("lastModified")).get("time")
    edited_at = (
        from_epoch(modified)
        if isinstance(modified, int) and modified - created["time"] > 1000
        else None
    )
    actor = as_str(comment.get("actor"))
    parent = as_str(comment.get("parentComment"))
    attachments = tuple(
        as_str(obj(c).get("url")) for c in comment.get("content") or [] if obj(c).get("url")
    )
    return IncomingItem(
        platform=PLATFORM,
        external_id=urn,
        kind=ItemKind.REPLY if parent else ItemKind.COMMENT,
        created_at=created_at,
        raw=compact_json(comment),
        text=as_str(obj(comment.get("message")).get("text")),
        account_external_id=account_urn,
        parent_external_id=parent or target or None,
        thread_id=target or None,
        author_external_id=actor,
        author_name=as_str(comment.get("actorName")),
        by_account=actor == account_urn,
        edited_at=edited_at,
        attachments=attachments,
        platform_data={"object": target, "comment_id": comment_id},
    )


def parse_comments(payload: Any, account_urn: str) -> list[IncomingItem]:
    elements = obj(payload).get("elements")
    if not isinstance(elements, list):
        raise PayloadError("linkedin: comment list without elements")
    return [parse_comment(obj(e), account_urn) for e in elements]


def little_text(text: str) -> str:
    """Post commentary in LinkedIn's "little text" format: reserved characters
    escaped, `#tag` written as a hashtag element."""
    out: list[str] = []
    last = 0
    for match in HASHTAG.finditer(text):
        out.append(RESERVED.sub(r"\\\1", text[last : match.start()]))
        out.append("{hashtag|\\#|" + match.group(1) + "}")
        last = match.end()
    out.append(RESERVED.sub(r"\\\1", text[last:]))
    return "".join(out)
