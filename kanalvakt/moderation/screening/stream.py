"""The JSON Lines contract of `kanalvakt screen`, without Django.

Input is read as bytes, so no locale (not even a strict UTF-8 one) can stop
the stream. Every non-blank input line gets exactly one output line, in
order: `{"id", "language", "action", "escalate", "findings"}` or
`{"id", "error"}` for that line alone. Output is always valid UTF-8 JSON.

A line is an error when it is not valid UTF-8, not JSON, not an object,
nested deeper than `MAX_DEPTH`, holds NaN or Infinity, holds a lone
surrogate (`"\\ud800"`), has an id that is neither a string nor an integer,
or has no string `text` of at most `MAX_TEXT` characters.

Lines are screened in batches of up to `BATCH` lines or `BATCH_BYTES` bytes
(the learned scorer scores a batch at once); a batch is cut early whenever
no more input is waiting, so an interactive caller gets its answer at once.
"""

from __future__ import annotations

import json
import math
import os
import select
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import IO, Any

import orjson

from kanalvakt.moderation.screening.config import ScreeningConfig

MAX_TEXT = 100_000
MAX_DEPTH = 32
MAX_ID = 2**53  # what every JSON reader keeps exact
BATCH = 1024
# a batch of long texts is cut sooner, so what one batch holds stays about a megabyte
BATCH_BYTES = 1 << 20


class LineError(ValueError):
    """What is wrong with one input line; the stream goes on."""


def _no_constants(name: str) -> Any:
    raise LineError(f"{name} is not allowed in JSON")


def _depth(raw: bytes) -> int:
    """The deepest nesting of arrays and objects outside strings."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            deepest = max(deepest, depth)
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return deepest


def _encodable(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _valid_id(value: Any) -> bool:
    if isinstance(value, str):
        return _encodable(value)
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) <= MAX_ID


def parse(raw: bytes) -> tuple[Any, str]:
    """(id, text) of one line, or LineError with the reason."""
    try:
        decoded = raw.decode("utf-8").removeprefix("\ufeff")  # a byte-order mark is no text
    except UnicodeDecodeError as error:
        raise LineError(f"invalid UTF-8 at byte {error.start}") from None
    if raw.count(b"[") + raw.count(b"{") > MAX_DEPTH and _depth(raw) > MAX_DEPTH:
        raise LineError(f"nested deeper than {MAX_DEPTH}")
    try:
        if decoded.startswith("\ufeff"):  # what json.loads says of a second mark
            raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", decoded, 0)
        item = _decode(decoded)
    except LineError:
        raise
    except (ValueError, RecursionError) as error:
        raise LineError(f"invalid JSON: {error}") from None
    if not isinstance(item, dict):
        raise LineError("a line must be a JSON object with id and text")
    item_id = item.get("id")
    if "id" in item and not _valid_id(item_id):
        raise LineError("id must be a string or an integer")
    text = item.get("text")
    if "text" not in item:
        raise _with_id(item_id, "missing text")
    if not isinstance(text, str):
        raise _with_id(item_id, "text must be a string")
    if not _encodable(text):
        raise _with_id(item_id, "text holds a lone surrogate")
    if len(text) > MAX_TEXT:
        raise _with_id(item_id, f"text longer than {MAX_TEXT} characters")
    if any(isinstance(value, float) and not math.isfinite(value) for value in item.values()):
        raise _with_id(item_id, "NaN or Infinity is not allowed")
    return item_id, text


class _IdError(LineError):
    def __init__(self, item_id: Any, message: str) -> None:
        super().__init__(message)
        self.item_id = item_id


def _with_id(item_id: Any, message: str) -> _IdError:
    return _IdError(item_id, message)


# json.loads with options builds a decoder per call: build it once
_DECODER = json.JSONDecoder(parse_constant=_no_constants)


def _decode(decoded: str) -> Any:
    """The line's value, read by orjson; what orjson refuses, json reads.

    So a lone surrogate, a number too large for a float and NaN get the
    answers and messages they always had (`test_screening_stream`).
    """
    try:
        return orjson.loads(decoded)
    except orjson.JSONDecodeError:
        return _DECODER.decode(decoded)


def _dump(output: dict[str, Any]) -> bytes:
    # every string in an output was checked to encode as UTF-8, and scores are finite
    return orjson.dumps(output) + b"\n"


def answer_batch(raws: Sequence[bytes], config: ScreeningConfig) -> list[bytes]:
    """One output line per input line, in order."""
    outputs: list[dict[str, Any] | None] = []
    ids: list[Any] = []
    texts: list[str] = []
    for raw in raws:
        try:
            item_id, text = parse(raw)
        except _IdError as error:
            outputs.append({"id": error.item_id, "error": str(error)})
            continue
        except LineError as error:
            outputs.append({"id": None, "error": str(error)})
            continue
        outputs.append(None)
        ids.append(item_id)
        texts.append(text)
    from kanalvakt.moderation.screening.engine import screen_many  # loads on the first line

    try:
        results = [result.as_dict() for result in screen_many(texts, config=config)]
    except Exception:  # one broken item must not stop the stream: screen one by one
        results = [_screen_one(text, config) for text in texts]
    filled = iter(zip(ids, results, strict=True))
    lines = []
    for output in outputs:
        if output is None:
            item_id, result = next(filled)
            output = {"id": item_id, **result}
        lines.append(_dump(output))
    return lines


def _screen_one(text: str, config: ScreeningConfig) -> dict[str, Any]:
    from kanalvakt.moderation.screening.engine import screen_many

    try:
        return screen_many([text], config=config)[0].as_dict()
    except Exception as error:
        return {"error": f"screening failed: {type(error).__name__}"}


def _waiting(stream: IO[bytes]) -> bool:
    """Is more input ready to read without blocking?"""
    try:
        ready, _, _ = select.select([stream.fileno()], [], [], 0)
    except (OSError, ValueError, AttributeError):
        return True  # not a pipe or file descriptor (a test's BytesIO): read on
    return bool(ready)


CHUNK = 1 << 16


def batches(stream: IO[bytes], size: int = BATCH) -> Iterator[list[bytes]]:
    """Non-blank lines in batches, cut early when the writer has paused."""
    if hasattr(stream, "read1"):
        yield from _chunked(stream, size)
        return
    batch: list[bytes] = []
    held = 0
    for raw in iter(stream.readline, b""):
        if raw.strip():
            batch.append(raw.rstrip(b"\r\n"))
            held += len(raw)
        if batch and (len(batch) >= size or held >= BATCH_BYTES or not _waiting(stream)):
            yield batch
            batch, held = [], 0
    if batch:
        yield batch


def _chunked(stream: IO[bytes], size: int) -> Iterator[list[bytes]]:
    """`batches` reading whatever input is there at once (one system call, not one a line)."""
    read = stream.read1  # type: ignore[attr-defined]
    batch: list[bytes] = []
    held = 0  # bytes in the batch
    pending: list[bytes] = []  # the pieces of an unfinished line
    while True:
        chunk: bytes = read(CHUNK)
        if not chunk:
            break
        if b"\n" not in chunk:
            pending.append(chunk)
            continue
        if pending:
            chunk = b"".join([*pending, chunk])
            pending = []
        lines = chunk.split(b"\n")
        rest = lines.pop()  # an unfinished line waits for the rest of it
        if rest:
            pending.append(rest)
        for raw in lines:
            if raw.strip():
                batch.append(raw.rstrip(b"\r\n"))
                held += len(raw)
                if len(batch) >= size or held >= BATCH_BYTES:
                    yield batch
                    batch, held = [], 0
        if batch and not _waiting(stream):
            yield batch
            batch, held = [], 0
    rest = b"".join(pending)
    if rest.strip():
        batch.append(rest.rstrip(b"\r\n"))
    if batch:
        yield batch


def run(
    config: ScreeningConfig,
    source: IO[bytes],
    write: Callable[[bytes], Any],
    flush: Callable[[], Any] = lambda: None,
    after_batch: Callable[[], Any] = lambda: None,
) -> int:
    """Screen `source` to `write`; the number of lines answered.

    `after_batch` is called after each batch is written (the command freezes
    what the batch left, the tools loaded and the words cached, out of the
    garbage collector's way there).
    """
    answered = 0
    for batch in batches(source):
        write(b"".join(answer_batch(batch, config)))
        answered += len(batch)
        flush()
        after_batch()
    return answered


def pack_dir() -> str:
    """POLICY_PACK_DIR as the settings define it, without loading Django."""
    default = os.path.join(os.path.dirname(__file__), "..", "..", "..", "policies")
    return os.environ.get("KANALVAKT_POLICY_DIR") or os.path.normpath(default)


def lines_of(texts: Iterable[str]) -> list[bytes]:
    """Input lines for `texts` (benchmarks and tests)."""
    return [
        json.dumps({"id": str(number), "text": text}, ensure_ascii=False).encode("utf-8")
        for number, text in enumerate(texts)
    ]
