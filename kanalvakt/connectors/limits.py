"""What an incoming item may hold before it is handed on: platform ids of bounded length.

Ids are stored in columns of 200 characters; a longer one is refused (not
cut, which would make two ids one, and not left for PostgreSQL to reject).
"""

from __future__ import annotations

from kanalvakt.connectors.base import IncomingItem, PayloadError

MAX_ID_LENGTH = 200
ID_FIELDS = (
    "external_id",
    "account_external_id",
    "parent_external_id",
    "thread_id",
    "author_external_id",
)


def check_incoming(item: IncomingItem) -> IncomingItem:
    """`item`, or PayloadError naming the platform id that is too long."""
    for name in ID_FIELDS:
        value = getattr(item, name) or ""
        if len(value) > MAX_ID_LENGTH:
            raise PayloadError(
                f"{name} is {len(value)} characters long; platform ids are at most {MAX_ID_LENGTH}"
            )
    return item
