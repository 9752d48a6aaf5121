"""Reading an archive's next batches while the current one is written.

Parsing is Python work; writing a batch is mostly the database's (SQLite's
C code runs without the GIL, PostgreSQL in its own process), so a reader
thread that stays at most `depth` batches ahead lets the two overlap, with
memory still bounded by `depth` batches. The reader thread never touches the
database. Whatever stops the reader (bad input, or an interrupt raised in
it) arrives with the entries read before it, for the caller to store or not.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from typing import Protocol

from kanalvakt.connectors.archives import ArchiveEntry


class ByteCounter(Protocol):
    @property
    def bytes_read(self) -> int: ...


@dataclass
class Batch:
    entries: list[ArchiveEntry]
    bytes_read: int
    """How far into the file the reader was when the batch was complete."""
    error: BaseException | None = field(default=None)
    """What stopped the reader after these entries; None while it goes on."""


def batches_ahead(
    source: Iterator[ArchiveEntry], *, size: int, counter: ByteCounter, depth: int = 2
) -> Generator[Batch]:
    """`source` in batches of `size`, read by a background thread; the last batch may be
    short, or carry the error that stopped the reader."""
    ready: queue.Queue[Batch | None] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: Batch | None) -> bool:
        while not stop.is_set():
            try:
                ready.put(item, timeout=0.1)
            except queue.Full:
                continue
            return True
        return False

    def read() -> None:
        batch: list[ArchiveEntry] = []
        try:
            for entry in source:
                if stop.is_set():
                    return
                batch.append(entry)
                if len(batch) >= size:
                    if not put(Batch(batch, counter.bytes_read)):
                        return
                    batch = []
        except BaseException as error:  # handed over to the caller, who decides
            put(Batch(batch, counter.bytes_read, error))
            return
        if put(Batch(batch, counter.bytes_read)):
            put(None)

    reader = threading.Thread(target=read, name="archive-reader", daemon=True)
    reader.start()
    try:
        while (item := ready.get()) is not None:
            yield item
            if item.error is not None:
                return
    finally:
        stop.set()
        reader.join(timeout=10)
