"""Which archive reader a file needs, and the reader itself, made from plain values.

Split from `importing` so that the import's reading process (`intake.reading`), which
never touches the database, makes the same reader from the same values: the
account's platform id, handle and name are looked up by the importing process.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from kanalvakt.connectors.archives import (
    ArchiveEntry,
    read_bluesky_car,
    read_facebook_comments,
    read_facebook_posts,
    read_instagram_comments,
    read_meta_messages,
    read_x_direct_messages,
    read_x_tweets,
)
from kanalvakt.intake.models import AccountConnection
from kanalvakt.register.models import Account

FORMATS = ("x", "bluesky", "facebook", "instagram")

Reader = Callable[[IO[bytes], int], Iterator[ArchiveEntry]]


class ImportFailed(Exception):
    """The import cannot start or go on; the message says why, naming the file."""


class CountingReader:
    """A binary stream that counts the bytes read, for the progress bar and error positions."""

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self.bytes_read = 0

    def read(self, size: int = -1, /) -> bytes:
        data = self._raw.read(size)
        self.bytes_read += len(data)
        return data


def reader_kind(format: str, path: Path) -> str:
    """Which reader a file needs, from the format and the file's name in the export."""
    name = path.name.lower()
    messages = re.search(r"message_\d+\.json$", name) is not None
    if format == "x":
        return "x-direct-messages" if "direct-message" in name else "x-tweets"
    if format == "bluesky":
        return "bluesky-car"
    if format == "facebook":
        if messages:
            return "facebook-messages"
        return "facebook-comments" if "comment" in name else "facebook-posts"
    if format == "instagram":
        return "instagram-messages" if messages else "instagram-comments"
    raise ImportFailed(f"okänt format {format!r}; välj ett av {', '.join(FORMATS)}")


def reader_names(account: Account) -> tuple[str, str, str]:
    """The account's platform id (its connection's, else its own), handle and name."""
    connection = AccountConnection.objects.filter(account=account).first()
    account_id = (connection.external_id if connection else "") or account.external_id
    return account_id, account.handle, account.display_name


def reader_for(kind: str, account: Account) -> Reader:
    return reader_made(kind, *reader_names(account))


def reader_made(kind: str, account_id: str, handle: str, account_name: str) -> Reader:
    """The reader of `kind` for the account of these names (no database work)."""
    readers: dict[str, Reader] = {
        "x-tweets": lambda s, start: read_x_tweets(
            s, account_id=account_id, handle=handle, start=start
        ),
        "x-direct-messages": lambda s, start: read_x_direct_messages(
            s, account_id=account_id, start=start
        ),
        "bluesky-car": lambda s, start: read_bluesky_car(s, start=start),
        "facebook-comments": lambda s, start: read_facebook_comments(
            s, account_id=account_id, start=start
        ),
        "facebook-posts": lambda s, start: read_facebook_posts(
            s, account_id=account_id, start=start
        ),
        "facebook-messages": lambda s, start: read_meta_messages(
            s, platform="facebook", account_name=account_name, start=start
        ),
        "instagram-comments": lambda s, start: read_instagram_comments(
            s, account_id=account_id, handle=handle, start=start
        ),
        "instagram-messages": lambda s, start: read_meta_messages(
            s, platform="instagram", account_name=account_name, start=start
        ),
    }
    return readers[kind]
