"""Readers for platform export archives: streaming, constant memory, resumable.

Every reader takes a binary file object and yields `ArchiveEntry(position, item)`.
`position` is the 0-based index of the entry in that reader's output for that
file, the same on every run; to resume after entry N call the reader again with
`start=N + 1` (earlier entries are read past, not yielded).
"""

from kanalvakt.connectors.archives.bluesky import read_bluesky_car
from kanalvakt.connectors.archives.common import ArchiveEntry, ArchiveError
from kanalvakt.connectors.archives.meta import (
    read_facebook_comments,
    read_facebook_posts,
    read_instagram_comments,
    read_meta_messages,
)
from kanalvakt.connectors.archives.x import read_x_direct_messages, read_x_tweets

__all__ = [
    "ArchiveEntry",
    "ArchiveError",
    "read_bluesky_car",
    "read_facebook_comments",
    "read_facebook_posts",
    "read_instagram_comments",
    "read_meta_messages",
    "read_x_direct_messages",
    "read_x_tweets",
]
