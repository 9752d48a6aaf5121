"""What the archive readers share."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

import ijson  # type: ignore[import-untyped, unused-ignore]
import orjson

from kanalvakt.connectors.base import IncomingItem, PayloadError
from kanalvakt.connectors.limits import check_incoming
from kanalvakt.connectors.parsing import compact_json


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class ArchiveError(PayloadError):
    """The archive file is not in the expected format."""


@dataclass(frozen=True, slots=True)
class ArchiveEntry:
    position: int
    item: IncomingItem


def numbered(items: Iterable[IncomingItem], start: int) -> Iterator[ArchiveEntry]:
    """Entries from `start`; an item with an over-long platform id stops the file (PayloadError)."""
    for position, item in enumerate(items):
        if position >= start:
            yield ArchiveEntry(position, check_incoming(item))


def stable_id(*parts: Any) -> str:
    """An id for export records that have none, the same on every import."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()
    return f"export:{digest[:32]}"


MAX_JSON_DEPTH = 64
"""Deeper nesting than any export has; past it the file is refused before it costs memory."""


def _events(stream: Readable) -> Iterator[tuple[str, str, Any]]:
    """ijson's (prefix, event, value) events, built on `basic_parse` with the nesting capped.

    ijson's own `parse` builds each prefix from the whole path, so a file nested
    100,000 levels deep costs time and memory in the square of its depth; here
    the path is never longer than MAX_JSON_DEPTH.
    """
    path: list[str] = []
    for event, value in ijson.basic_parse(stream, use_float=True):
        if event == "map_key":
            path[-1] = value
            yield ".".join(path[:-1]), event, value
        elif event in ("start_map", "start_array"):
            yield ".".join(path), event, value
            if len(path) >= MAX_JSON_DEPTH:
                raise ArchiveError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
            path.append("" if event == "start_map" else "item")
        elif event in ("end_map", "end_array"):
            path.pop()
            yield ".".join(path), event, value
        else:
            yield ".".join(path), event, value


def json_items(stream: Readable, prefix: str) -> Iterator[Any]:
    """The values at `prefix` (ijson syntax, e.g. `item`, `comments_v2.item`), one at a time.

    The elements of a top-level array (`item`) are read by the fast array
    reader; a file that is not an array is then an ArchiveError.
    """
    if prefix == "item":
        from kanalvakt.connectors.archives.jsonarray import json_array_values

        yield from json_array_values(stream)
        return
    for _prefix, value in json_items_multi(stream, frozenset({prefix})):
        yield value


def compact_raw(value: Any) -> bytes:
    """`compact_json` through orjson (several times faster); the standard library for
    what orjson will not write (integers past 64 bits, nesting past 255 levels)."""
    try:
        written = orjson.dumps(value)
    except orjson.JSONEncodeError:
        return compact_json(value)
    # orjson's bytes keep the capacity it wrote into (4 KiB and up): a copy of the exact
    # size keeps a batch of items in flight from costing several times its size.
    return bytes(memoryview(written))


def json_items_multi(stream: Readable, prefixes: frozenset[str]) -> Iterator[tuple[str, Any]]:
    """Like `json_items` for several prefixes in one pass, in file order."""
    builder: ijson.ObjectBuilder | None = None
    current = ""
    try:
        for prefix, event, value in _events(stream):
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
