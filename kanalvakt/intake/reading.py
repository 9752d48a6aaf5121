"""An import's reading process: the archive parsed and its batches built beside the importer.

Why a process: with the reading (numpy scan, orjson, an `IncomingItem` per
entry) and the building of each batch (checksums, manifest, rows, receipts,
the audit event's JSON) in threads of the importing process, one GIL bounded
a large import on PostgreSQL: per 1,000,000 X tweets about 25 s of reading,
16 s of building and 11 s of writing, one after the other, while the server
had the second core to itself half of the time (issue 12). Here a second
process (`reading_child`, started afresh as `python -m
kanalvakt.intake.reading_child`: it inherits none of the importer's threads
or connections and, unlike multiprocessing's `spawn`, does not run the
caller's main module again) reads the file and builds each batch as if
every item in it were new, and hands over bytes: the rows in COPY's binary
format (`copying.copy_payload`), the manifest and the
audit event's JSON. The importing process writes them as they are
(`intake.readystore`). Handing over the parsed items instead would cost as
much as parsing them (pickle), so none go over.

Ids: the importing process takes each batch's delivery and item ids from
their sequences and sends them (a few runs of consecutive ids) `AHEAD` batches
ahead; the reading process builds a batch only once it has its ids, so at most
`AHEAD` batches are in flight and memory stays bounded. Ids reserved for a
batch that is never written stay unused, like those of a rolled-back insert.

Only the importing process touches the database, each batch in its own
transaction as before: killing either process loses at most the batches in
flight, which `--resume` reads again. Bad input arrives with the batch of
entries before it (re-raised in the importing process as it was raised
here); anything else that stops the reading process (a bug, a kill) is
`ReadingFailed`, after every batch before it was stored. A batch that cannot
be written as built (an item stored already, an id twice in one batch, an item
that arrived deleted) is read again by the importing process itself
(`importing`), from that batch on.
"""

from __future__ import annotations

import os
import pickle
import queue
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, ClassVar

import orjson

READ_SIZE = 1024 * 1024
AHEAD = 2
"""Batches the reading process may build ahead of the importer (their ids sent before it
asks): a few MiB each."""


class ReadingFailed(Exception):
    """The reading process stopped for another reason than bad input; says why."""


@dataclass(frozen=True)
class Setup:
    """What the reading process needs, in plain values (it never opens the database)."""

    path: str
    kind: str
    start: int
    batch_size: int
    names: tuple[str, str, str]
    """The account's platform id, handle and name (`readers.reader_names`)."""
    account_pk: int
    organisation_id: int
    platform: str
    job_pk: int
    file_name: str
    file_fingerprint: str
    item_oids: list[int]
    processing_oids: list[int]


@dataclass(frozen=True)
class Built:
    """A batch read and built by the reading process (`writable`: as if all were new)."""

    first_position: int
    last_position: int
    bytes_read: int
    """How far into the file the reader was when the batch was complete."""
    delivery_id: int
    received_at: datetime
    external_ids: list[str]
    """The platform ids of the batch's items, in file order."""
    ids: list[int]
    """The new items' ids, in the same order (when `writable`)."""
    manifest: bytes
    manifest_sha: str
    items: bytes
    """The items' rows as `COPY inbox_item (ITEM_COLUMNS) … (FORMAT BINARY)` data."""
    processing: bytes
    """Their `inbox_itemprocessing (item_id, attempts)` rows, likewise."""
    audit_text: str
    """The canonical JSON of the batch's `items.received` event data."""
    writable: bool
    """False when the batch cannot be written as built (an id twice, an item deleted)."""
    error: BaseException | None = None
    """Bad input that stopped the reader after these entries."""
    audit_data: dict[str, Any] | None = None
    """`audit_text` decoded, by the importing process's receiving thread."""

    @property
    def count(self) -> int:
        return len(self.external_ids)


@dataclass(frozen=True)
class Failed:
    """The reading process stopped on something other than bad input (`text` says what)."""

    text: str


@dataclass(frozen=True)
class Done:
    """The reading process sent every batch; its peak memory (KiB) comes with it."""

    peak_rss_kib: int


def ids_packed(ids: list[int]) -> list[tuple[int, int]]:
    """Ascending ids as runs of consecutive ones: (first, count) each."""
    runs: list[tuple[int, int]] = []
    for pk in ids:
        if runs and runs[-1][0] + runs[-1][1] == pk:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            runs.append((pk, 1))
    return runs


def ids_unpacked(runs: list[tuple[int, int]]) -> list[int]:
    return [pk for first, count in runs for pk in range(first, first + count)]


class ReadingProcess:
    """The importing process's side: start the reading process, feed it ids, take batches.

    A thread receives what the reading process sends (up to `AHEAD` batches), so that
    neither process waits for the other while the server writes a batch."""

    last_peak_rss_kib: ClassVar[int] = 0
    """The peak memory of the last reading process that finished (for the benchmark)."""

    def __init__(self, setup: Setup, reserve: Callable[[int], tuple[int, list[int]]]) -> None:
        """`reserve(count)` gives a delivery id and `count` item ids (`ahead.reserve`)."""
        self._setup = setup
        self._reserve = reserve
        ours, theirs = socket.socketpair()
        self._process = subprocess.Popen(  # noqa: S603 - this module, by the same Python
            [sys.executable, "-m", "kanalvakt.intake.reading_child", str(theirs.fileno())],
            pass_fds=[theirs.fileno()],
            stdin=subprocess.DEVNULL,
            env={**os.environ, "PYTHONPATH": _python_path()},
        )
        theirs.close()
        self._conn = Connection(ours.detach())
        self._conn.send_bytes(pickle.dumps(setup))
        self._received: queue.Queue[object] = queue.Queue(maxsize=AHEAD)
        self._stop = threading.Event()
        self._receiver = threading.Thread(target=self._receive, name="import-receiver", daemon=True)
        self._receiver.start()
        for _ in range(AHEAD):
            self._send_ids()

    def _receive(self) -> None:
        """Each message as it arrives, then None when the pipe ends (the process is gone).
        The batch's audit data is decoded here, while the importing thread waits for the
        server."""
        try:
            while True:
                message = pickle.loads(self._conn.recv_bytes())  # noqa: S301 - our process's
                if isinstance(message, Built) and message.writable:
                    message = replace(message, audit_data=orjson.loads(message.audit_text))
                self._hand_over(message)
        except (EOFError, OSError):
            pass
        self._hand_over(None)

    def _hand_over(self, message: object) -> None:
        """Queue `message` for the importing thread, unless the import is stopping."""
        while not self._stop.is_set():
            try:
                self._received.put(message, timeout=0.1)
                return
            except queue.Full:
                continue

    def _send_ids(self) -> None:
        delivery_id, ids = self._reserve(self._setup.batch_size)
        try:
            self._conn.send((delivery_id, ids_packed(ids)))
        except BrokenPipeError:
            pass  # it has sent its last batch and gone: what follows it is in the pipe

    def batches(self) -> Iterator[Built]:
        """The built batches in file order; the last may be short or carry bad input."""
        while True:
            message = self._received.get()
            if message is None:
                code = self._wait(5)
                raise ReadingFailed(f"läsprocessen avslutades oväntat (slutkod {code})")
            if isinstance(message, Done):
                ReadingProcess.last_peak_rss_kib = message.peak_rss_kib
                return
            if isinstance(message, Failed):
                raise ReadingFailed(message.text)
            assert isinstance(message, Built)
            if message.error is None:
                self._send_ids()
            yield message
            if message.error is not None:
                return

    def close(self) -> None:
        """Stop the reading process (it ends when told to, or when its pipe closes)."""
        self._stop.set()
        try:
            self._conn.send(None)
        except OSError:
            pass
        if self._wait(5) is None:
            self._process.kill()
            self._wait(5)
        self._receiver.join(5)
        self._conn.close()

    def _wait(self, seconds: float) -> int | None:
        """The reading process's exit code (negative: the signal that ended it), or None
        while it runs on."""
        try:
            return self._process.wait(seconds)
        except subprocess.TimeoutExpired:
            return None

    @property
    def pid(self) -> int:
        return self._process.pid


def _python_path() -> str:
    """The caller's import path with this package's directory first, for the reading
    process to import the same code."""
    root = str(Path(__file__).resolve().parents[2])
    return os.pathsep.join([root, *filter(None, [os.environ.get("PYTHONPATH", "")])])
