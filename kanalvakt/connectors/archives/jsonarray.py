"""The elements of one large top-level JSON array, fast, in bounded memory.

A streaming JSON parser driven from Python pays for every token (about 7,500
tweets/s here). This reader cuts the array into runs of whole elements with a
vectorised scan (numpy over a translated copy of each chunk: where the quotes
are, which are escaped, which brackets lie outside strings, the running
depth) and parses each run of `GROUP` elements with orjson in one call, so the
per-token work happens in C. Integers past 64 bits, which orjson would read
as floats, are read by the standard library instead.

Guarantees (as with the streaming reader):
- memory is bounded by `READ_SIZE` and `MAX_ELEMENT_BYTES`, whatever the file size;
- nesting deeper than `MAX_JSON_DEPTH` (the array itself is level 1, brackets
  inside strings do not count) stops the file with an ArchiveError before that
  element is parsed;
- an element larger than `MAX_ELEMENT_BYTES` stops the file with an ArchiveError;
- bad JSON stops the file with an ArchiveError at the first bad element, after
  every element before it has been yielded.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import orjson

from kanalvakt.connectors.archives.common import MAX_JSON_DEPTH, ArchiveError, Readable

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

READ_SIZE = 128 * 1024
MAX_ELEMENT_BYTES = 16 * 1024 * 1024
"""Far above any single tweet, post, comment or conversation in an export."""
GROUP = 64
"""Elements parsed per orjson call."""

_COMMA = re.compile(rb"[ \t\r\n]*,")
_BLANK = re.compile(rb"[ \t\r\n]*")
_DIGITS = bytes(ord("0") if byte in b"0123456789" else ord("x") for byte in range(256))
_LONG_NUMBER = b"0" * 20


_QUOTE, _BACKSLASH, _OPEN, _CLOSE, _OTHER = 1, 2, 3, 4, 255
_TOKENS = bytes(
    {ord('"'): _QUOTE, ord("\\"): _BACKSLASH}.get(
        byte, _OPEN if byte in b"[{" else _CLOSE if byte in b"]}" else _OTHER
    )
    for byte in range(256)
)


class _Scan:
    """Where the elements of the array end within a buffer that starts inside the array.

    `cuts` are the offsets just after each element that closes with a bracket
    at the array's level; `end` is the offset of the array's closing bracket
    (or -1); `too_deep` the offset of the first bracket nested too deep (or -1).
    """

    def __init__(self, data: bytes) -> None:
        import numpy as np

        codes = np.frombuffer(data.translate(_TOKENS), dtype=np.uint8)
        where = np.flatnonzero(codes <= _CLOSE)
        kinds = codes[where]
        quotes = kinds == _QUOTE
        slashes = where[kinds == _BACKSLASH]
        if slashes.size and quotes.any():
            quotes[quotes] = ~_escaped(slashes, where[quotes])
        # Outside strings: an even number of quotes come before it.
        outside = (np.cumsum(quotes) % 2 == 0) & (kinds >= _OPEN)
        where, kinds = where[outside], kinds[outside]
        steps = np.where(kinds == _OPEN, 1, -1)
        depth = np.cumsum(steps)
        closed = np.flatnonzero(depth < 0)
        limit = where.size
        self.end = -1
        if closed.size:
            limit = int(closed[0])
            self.end = int(where[limit])
        depth = depth[:limit]
        deep = np.flatnonzero(depth >= MAX_JSON_DEPTH)
        self.too_deep = int(where[deep[0]]) if deep.size else -1
        ends = where[:limit][(depth == 0) & (steps[:limit] < 0)] + 1
        if self.too_deep >= 0:
            ends = ends[ends <= self.too_deep]
        self.cuts: list[int] = ends.tolist()


def _escaped(slashes: npt.NDArray[np.intp], quotes: npt.NDArray[np.intp]) -> npt.NDArray[np.bool_]:
    """Which quotes are escaped: preceded by an odd run of backslashes."""
    import numpy as np

    run_start = np.ones(slashes.size, dtype=bool)
    run_start[1:] = np.diff(slashes) != 1
    first = slashes[np.maximum.accumulate(np.where(run_start, np.arange(slashes.size), 0))]
    at = np.minimum(np.searchsorted(slashes, quotes - 1), slashes.size - 1)
    odd: npt.NDArray[np.bool_] = (slashes[at] == quotes - 1) & ((quotes - first[at]) % 2 == 1)
    return odd


def json_array_values(
    stream: Readable, *, read_size: int = READ_SIZE, max_element: int = MAX_ELEMENT_BYTES
) -> Iterator[Any]:
    """Each element of the JSON array that `stream` holds, in order."""
    buffer = _start(stream, read_size)
    first = True  # no comma before the next element
    while True:
        scan = _Scan(buffer)
        consumed = 0
        if scan.cuts:
            yield from _values(buffer, scan.cuts, first)
            consumed, first = scan.cuts[-1], False
        if scan.too_deep >= 0:
            raise ArchiveError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
        if scan.end >= 0:
            if buffer[scan.end : scan.end + 1] != b"]":
                raise ArchiveError("not valid JSON: the array is closed with '}'")
            yield from _tail(buffer[consumed : scan.end], first)
            _after_end(buffer[scan.end + 1 :], stream)
            return
        buffer = buffer[consumed:]
        if len(buffer) > max_element:
            raise ArchiveError(
                f"an entry larger than {max_element // (1024 * 1024)} MiB: "
                "the file is damaged or not an export"
            )
        chunk = stream.read(max(read_size, len(buffer)))
        if not chunk:
            raise ArchiveError("not valid JSON: the file ends inside the array")
        buffer += chunk


def _start(stream: Readable, read_size: int) -> bytes:
    """What follows the array's opening bracket (leading whitespace and a BOM skipped)."""
    head = b""
    while True:
        chunk = stream.read(read_size)
        head += chunk
        if head.startswith(b"\xef\xbb\xbf"):
            head = head[3:]
        offset = _BLANK.match(head).end()  # type: ignore[union-attr]
        if offset < len(head):
            if head[offset : offset + 1] != b"[":
                raise ArchiveError("not valid JSON: expected an array")
            return head[offset + 1 :]
        if not chunk:
            raise ArchiveError("not valid JSON: the file is empty")


def _values(buffer: bytes, cuts: list[int], first: bool) -> Iterator[Any]:
    """The elements in `buffer[:cuts[-1]]`, parsed GROUP at a time; a bad element is an
    ArchiveError after every element before it has been yielded."""
    start = 0
    for index in range(0, len(cuts), GROUP):
        end = cuts[min(index + GROUP, len(cuts)) - 1]
        try:
            values = _loads(b"[" + _body(buffer, start, end, first) + b"]")
        except (ValueError, ArchiveError):
            # Element by element: the first bad element stops the file.
            for cut in cuts[index : index + GROUP]:
                yield from _parse(_body(buffer, start, cut, first))
                start, first = cut, False
            continue
        yield from values
        start, first = end, False


def _body(buffer: bytes, start: int, end: int, first: bool) -> bytes:
    """`buffer[start:end]` without the comma that separates it from what came before."""
    if not first:
        comma = _COMMA.match(buffer, start, end)
        if comma is None:
            raise ArchiveError("not valid JSON: expected ',' between the entries")
        start = comma.end()
    return buffer[start:end]


def _parse(body: bytes) -> list[Any]:
    """One run of elements, or ArchiveError saying what is wrong with it."""
    try:
        return _loads(b"[" + body + b"]")
    except ValueError as error:
        raise ArchiveError(f"not valid JSON: {error}") from None


def _loads(data: bytes) -> list[Any]:
    """orjson; the standard library where a number may be an integer past 64 bits
    (orjson reads those as floats, which would change the number)."""
    if _LONG_NUMBER in data.translate(_DIGITS):
        return json.loads(data, parse_constant=_no_constant)  # type: ignore[no-any-return]
    return orjson.loads(data)  # type: ignore[no-any-return]


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _tail(rest: bytes, first: bool) -> Iterator[Any]:
    """Scalars between the last element with brackets and the array's closing bracket."""
    if not _BLANK.fullmatch(rest):
        body = _body(rest, 0, len(rest), first)
        if _BLANK.fullmatch(body):
            raise ArchiveError("not valid JSON: a comma before the array's closing bracket")
        yield from _parse(body)


def _after_end(rest: bytes, stream: Readable) -> None:
    """Only whitespace may follow the array."""
    while True:
        if not _BLANK.fullmatch(rest):
            raise ArchiveError("not valid JSON: something follows the array")
        rest = stream.read(READ_SIZE)
        if not rest:
            return
