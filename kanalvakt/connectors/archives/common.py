"""What the archive readers share."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

import ijson  # type: ignore[import-untyped, unused-ignore]

from kanalvakt.connectors.base import IncomingItem, PayloadError


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class ArchiveError(PayloadError):
    """The archive file is not in the expected format."""


@dataclass(frozen=True, slots=True)
class ArchiveEntry:
    position: int
    item: IncomingItem


def numbered(items: Iterable[IncomingItem], start: int) -> Iterator[ArchiveEntry]:
    for position, item in enumerate(items):
        if position >= start:
            yield ArchiveEntry(position, item)


def stable_id(*parts: Any) -> str:
    """An id for export records that have none, the same on every import."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()
    return f"export:{digest[:32]}"


def json_items(stream: Readable, prefix: str) -> Iterator[Any]:
    """The values at `prefix` (ijson syntax, e.g. `item`, `comments_v2.item`), one at a time."""
    try:
        yield from ijson.items(stream, prefix, use_float=True)
    except ijson.JSONError as exc:
        raise ArchiveError(f"not valid JSON: {exc}") from exc


def json_items_multi(stream: Readable, prefixes: frozenset[str]) -> Iterator[tuple[str, Any]]:
    """Like `json_items` for several prefixes in one pass, in file order."""
    builder: ijson.ObjectBuilder | None = None
    current = ""
    try:
        for prefix, event, value in ijson.parse(stream, use_float=True):
            if builder is None:
                if prefix in prefixes and event in ("start_map", "start_array"):
                    builder, current = ijson.ObjectBuilder(), prefix
                    builder.event(event, value)
                elif prefix in prefixes and event not in ("end_map", "end_array", "map_key"):
                    yield prefix, value
                continue
            builder.event(event, value)
            if prefix == current and event in ("end_map", "end_array"):
                yield current, builder.value
                builder = None
    except ijson.JSONError as exc:
        raise ArchiveError(f"not valid JSON: {exc}") from exc
