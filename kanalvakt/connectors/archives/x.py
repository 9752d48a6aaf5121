"""X account archive: `data/tweets.js`, `deleted-tweets.js`, `direct-messages.js`.

Each file is `window.YTD.<name>.part0 = [ … ]`. The prefix is checked and cut
off and the JSON array after it is parsed incrementally; nothing is executed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import IO, Any

from kanalvakt.connectors.archives.common import (
    ArchiveEntry,
    ArchiveError,
    compact_raw,
    json_items,
    numbered,
)
from kanalvakt.connectors.base import IncomingItem, ItemKind, as_str
from kanalvakt.connectors.limits import check_incoming
from kanalvakt.connectors.parsing import MONTHS, from_iso, from_twitter, obj
from kanalvakt.connectors.x.parse import tweet_url

PREFIX = re.compile(rb"^\s*window\.YTD\.[A-Za-z0-9_]+\.part[0-9]+\s*=\s*")
PREFIX_LIMIT = 256
HOLD_BACK = 64


class YtdStream:
    """A file-like view of a `window.YTD…` file that starts at the JSON array.

    A trailing `;` (sometimes present) is dropped too. Reads are passed through
    in chunks, so memory stays constant whatever the file size.
    """

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        head = raw.read(PREFIX_LIMIT)
        if head.startswith(b"\xef\xbb\xbf"):
            head = head[3:]
        match = PREFIX.match(head)
        if match is None:
            raise ArchiveError("not an X archive file: no `window.YTD.<name>.partN =` prefix")
        self._pending = head[match.end() :]
        self._eof = False

    def read(self, size: int = -1, /) -> bytes:
        if size == 0:
            return b""
        want = size if size > 0 else 65536
        while not self._eof and len(self._pending) < want + HOLD_BACK:
            chunk = self._raw.read(max(want, 65536))
            if not chunk:
                self._eof = True
                self._pending = self._pending.rstrip(b" \t\r\n;")
            self._pending += chunk
        if self._eof:
            out, self._pending = self._pending[:want], self._pending[want:]
        else:
            cut = min(want, len(self._pending) - HOLD_BACK)
            out, self._pending = self._pending[:cut], self._pending[cut:]
        return out


def read_x_tweets(
    stream: IO[bytes], *, account_id: str = "", handle: str = "", start: int = 0
) -> Iterator[ArchiveEntry]:
    """The account's own tweets (`tweets.js`, or `deleted-tweets.js` with `deleted_at`)."""
    url = tweet_url(handle, "")
    for position, entry in enumerate(json_items(YtdStream(stream), "item")):
        if position < start:
            continue  # one entry is one tweet: entries before `start` are only read past
        tweet = {}
        if type(entry) is dict:
            inner = entry.get("tweet")
            tweet = inner if type(inner) is dict else {} if inner else entry
        yield ArchiveEntry(position, check_incoming(_tweet(tweet, account_id, handle, url)))


def _tweet(tweet: dict[str, Any], account_id: str, handle: str, url: str) -> IncomingItem:
    """One tweet (runs a million times for a large archive: plain lookups, no helpers)."""
    get = tweet.get
    tweet_id = as_str(get("id_str") or get("id"))
    if not tweet_id or "created_at" not in tweet:
        raise ArchiveError("tweet without id or created_at")
    created_at = _created_at(tweet["created_at"])
    edit_info = get("edit_info")
    edit = edit_info.get("edit") if type(edit_info) is dict else None
    original = (as_str(edit.get("initialTweetId")) if type(edit) is dict else "") or tweet_id
    parent = as_str(get("in_reply_to_status_id_str") or get("in_reply_to_status_id"))
    entities = get("extended_entities") or get("entities")
    media = (entities.get("media") if type(entities) is dict else None) or []
    lang = as_str(get("lang"))
    return IncomingItem(
        platform="x",
        external_id=original,
        kind=ItemKind.REPLY if parent else ItemKind.POST,
        created_at=created_at,
        raw=compact_raw(tweet),
        text=as_str(get("full_text") or get("text")),
        account_external_id=account_id,
        parent_external_id=parent or None,
        author_handle=handle,
        author_external_id=account_id,
        by_account=True,
        language=lang if lang and lang not in ("und", "qme", "zxx") else None,
        url=url + tweet_id,
        edited_at=created_at if original != tweet_id else None,
        deleted=bool(get("deleted_at")),
        attachments=tuple(
            as_str(m.get("media_url_https"))
            for m in media
            if type(m) is dict and m.get("media_url_https")
        )
        if media
        else (),
        platform_data={"latest_id": tweet_id},
    )


def _created_at(value: Any) -> datetime:
    """`Wed Nov 19 10:00:00 +0000 2025` by position; anything else through `from_twitter`."""
    if type(value) is str and len(value) == 30 and value[19:26] == " +0000 ":
        try:
            return datetime(
                int(value[26:]),
                MONTHS[value[4:7]],
                int(value[8:10]),
                int(value[11:13]),
                int(value[14:16]),
                int(value[17:19]),
                tzinfo=UTC,
            )
        except (KeyError, ValueError):
            pass
    return from_twitter(value)


def read_x_direct_messages(
    stream: IO[bytes], *, account_id: str, start: int = 0
) -> Iterator[ArchiveEntry]:
    """`direct-messages.js`: one conversation at a time, one item per message."""

    def messages() -> Iterator[IncomingItem]:
        for entry in json_items(YtdStream(stream), "item"):
            conversation = obj(obj(entry).get("dmConversation"))
            conversation_id = as_str(conversation.get("conversationId"))
            for message in conversation.get("messages") or []:
                create = obj(obj(message).get("messageCreate"))
                if not create.get("id"):
                    continue  # reactions, joins and other events
                sender = as_str(create.get("senderId"))
                other = as_str(create.get("recipientId")) if sender == account_id else sender
                yield IncomingItem(
                    platform="x",
                    external_id=as_str(create["id"]),
                    kind=ItemKind.DIRECT_MESSAGE,
                    created_at=from_iso(create.get("createdAt")),
                    raw=compact_raw(message),
                    text=as_str(create.get("text")),
                    account_external_id=account_id,
                    thread_id=conversation_id or None,
                    author_external_id=sender,
                    by_account=sender == account_id,
                    platform_data={"recipient_id": other, "dm_conversation_id": conversation_id},
                )

    return numbered(messages(), start)
