"""Facebook and Instagram "Download Your Information" JSON exports.

Meta writes these files with UTF-8 bytes escaped as if each were a Latin-1
character (`"\\u00c3\\u00a5"` for "å"); every string is repaired where the
repair round-trips. The records carry no ids, so each item gets a stable id
made from its content and time: importing the same file twice gives the same
ids.

Files read (paths inside the archive vary by export year):
- Facebook comments: `comments_and_reactions/comments.json` (`comments_v2`)
- Facebook posts: `posts/your_posts_1.json` (a list)
- Messenger and Instagram messages: `messages/inbox/<thread>/message_N.json`
- Instagram comments: `comments/post_comments_1.json` (`string_map_data`)
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import IO, Any

from kanalvakt.connectors.archives.common import (
    ArchiveEntry,
    ArchiveError,
    compact_raw,
    json_items,
    json_items_multi,
    numbered,
    stable_id,
)
from kanalvakt.connectors.base import IncomingItem, ItemKind, as_str
from kanalvakt.connectors.parsing import from_epoch, obj, repair_mojibake


def _text(value: Any) -> str:
    return repair_mojibake(as_str(value))


def _when(value: Any) -> datetime:
    if value in (None, "", 0):
        raise ArchiveError("export record without a timestamp")
    return from_epoch(value)


def read_facebook_comments(
    stream: IO[bytes], *, account_id: str = "", start: int = 0
) -> Iterator[ArchiveEntry]:
    def items() -> Iterator[IncomingItem]:
        for record in json_items(stream, "comments_v2.item"):
            record = obj(record)
            for data in record.get("data") or []:
                comment = obj(obj(data).get("comment"))
                if not comment:
                    continue
                when = _when(comment.get("timestamp") or record.get("timestamp"))
                text = _text(comment.get("comment"))
                author = _text(comment.get("author"))
                yield IncomingItem(
                    platform="facebook",
                    external_id=stable_id("facebook-comment", when.timestamp(), author, text),
                    kind=ItemKind.COMMENT,
                    created_at=when,
                    raw=compact_raw(record),
                    text=text,
                    account_external_id=account_id,
                    author_name=author,
                    by_account=True,
                    platform_data={"title": _text(record.get("title"))},
                )

    return numbered(items(), start)


def read_facebook_posts(
    stream: IO[bytes], *, account_id: str = "", start: int = 0
) -> Iterator[ArchiveEntry]:
    def items() -> Iterator[IncomingItem]:
        for record in json_items(stream, "item"):
            record = obj(record)
            text = "\n\n".join(
                _text(obj(d).get("post")) for d in record.get("data") or [] if obj(d).get("post")
            )
            when = _when(record.get("timestamp"))
            yield IncomingItem(
                platform="facebook",
                external_id=stable_id("facebook-post", when.timestamp(), text),
                kind=ItemKind.POST,
                created_at=when,
                raw=compact_raw(record),
                text=text,
                account_external_id=account_id,
                by_account=True,
                platform_data={"title": _text(record.get("title"))},
            )

    return numbered(items(), start)


def read_meta_messages(
    stream: IO[bytes], *, platform: str, account_name: str, start: int = 0
) -> Iterator[ArchiveEntry]:
    """One `message_N.json` of a Messenger or Instagram thread.

    `account_name` is the exporting account's display name, to tell its own
    messages from the other party's.
    """

    def items() -> Iterator[IncomingItem]:
        participants: list[str] = []
        for prefix, value in json_items_multi(
            stream, frozenset({"participants.item", "messages.item"})
        ):
            if prefix == "participants.item":
                participants.append(_text(obj(value).get("name")))
                continue
            message = obj(value)
            sender = _text(message.get("sender_name"))
            when = _when(message.get("timestamp_ms"))
            text = _text(message.get("content"))
            thread = stable_id(f"{platform}-thread", *sorted(participants))
            others = [p for p in participants if p != account_name]
            yield IncomingItem(
                platform=platform,
                external_id=stable_id(
                    f"{platform}-message", thread, when.timestamp(), sender, text
                ),
                kind=ItemKind.DIRECT_MESSAGE,
                created_at=when,
                raw=compact_raw(message),
                text=text,
                thread_id=thread,
                author_name=sender,
                by_account=sender == account_name,
                deleted=bool(message.get("is_unsent")),
                attachments=tuple(
                    _text(obj(p).get("uri"))
                    for key in ("photos", "videos", "audio_files", "files")
                    for p in message.get(key) or []
                ),
                platform_data={"participants": ", ".join(others)},
            )

    return numbered(items(), start)


def read_instagram_comments(
    stream: IO[bytes], *, account_id: str = "", handle: str = "", start: int = 0
) -> Iterator[ArchiveEntry]:
    """`post_comments_1.json` (a list) or the older `{"comments_media_comments": […]}`."""
    head = stream.read(64).lstrip()
    prefix = "item" if head.startswith(b"[") else "comments_media_comments.item"
    rest = _Rejoin(head, stream)

    def items() -> Iterator[IncomingItem]:
        for record in json_items(rest, prefix):
            record = obj(record)
            fields = obj(record.get("string_map_data"))
            text = _text(obj(fields.get("Comment")).get("value"))
            owner = _text(obj(fields.get("Media Owner")).get("value"))
            when = _when(obj(fields.get("Time")).get("timestamp"))
            yield IncomingItem(
                platform="instagram",
                external_id=stable_id("instagram-comment", when.timestamp(), owner, text),
                kind=ItemKind.COMMENT,
                created_at=when,
                raw=compact_raw(record),
                text=text,
                account_external_id=account_id,
                author_handle=handle,
                by_account=True,
                platform_data={"media_owner": owner},
            )

    return numbered(items(), start)


class _Rejoin:
    """Puts bytes already read back in front of a stream."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self._head = head
        self._rest = rest

    def read(self, size: int = -1, /) -> bytes:
        if self._head:
            out = self._head if size < 0 else self._head[:size]
            self._head = self._head[len(out) :]
            return out
        return self._rest.read(size)
