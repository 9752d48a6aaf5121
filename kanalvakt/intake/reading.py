"""An import's reading process: the archive parsed and its batches built beside the importer.

Why a process: with the reading (numpy scan, orjson, an `IncomingItem` per
entry) and the building of each batch (checksums, manifest, rows, receipts,
the audit event's JSON) in threads of the importing process, one GIL bounded
a large import on PostgreSQL: per 1,000,000 X tweets about 25 s of reading,
16 s of building and 11 s of writing, one after the other, while the server
had the second core to itself half of the time (issue 12). Here a second
process (started afresh as `python -m kanalvakt.intake.reading`: it inherits
none of the importer's threads or connections and, unlike multiprocessing's
`spawn`, does not run the caller's main module again) reads the file and
builds each batch as if every item in it were new, and hands over bytes: the
rows in COPY's binary format (`copying.copy_payload`), the manifest and the
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

import hashlib
import os
import pickle
import queue
import signal
import socket
import subprocess
import sys
import threading
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, ClassVar

import orjson

from kanalvakt.connectors.archives import ArchiveEntry

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
class _Failed:
    text: str


@dataclass(frozen=True)
class _Done:
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

    def __init__(self, setup: Setup, reserve: Any) -> None:
        """`reserve(count)` gives a delivery id and `count` item ids (`ahead.reserve`)."""
        self._setup = setup
        self._reserve = reserve
        ours, theirs = socket.socketpair()
        self._process = subprocess.Popen(  # noqa: S603 - this module, by the same Python
            [sys.executable, "-m", __name__, str(theirs.fileno())],
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
                while not self._stop.is_set():
                    try:
                        self._received.put(message, timeout=0.1)
                        break
                    except queue.Full:
                        continue
        except (EOFError, OSError):
            pass
        while not self._stop.is_set():
            try:
                self._received.put(None, timeout=0.1)
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
            if isinstance(message, _Done):
                ReadingProcess.last_peak_rss_kib = message.peak_rss_kib
                return
            if isinstance(message, _Failed):
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


def _serve(conn: Connection, setup: Setup) -> None:
    """The reading process: read, build, send, batch after batch, until done or told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the importer decides what an interrupt stops
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kanalvakt.settings")
    try:
        import django

        django.setup()
        _read(conn, setup)
    except (BrokenPipeError, EOFError):
        return  # the importer went away or told us to stop
    except BaseException:
        try:
            failed = _Failed(traceback.format_exc(limit=8).strip().splitlines()[-1])
            conn.send_bytes(pickle.dumps(failed))
        except OSError:
            pass
    finally:
        conn.close()


def _read(conn: Connection, setup: Setup) -> None:
    from kanalvakt.intake.importing import READ_ERRORS
    from kanalvakt.intake.readers import CountingReader, reader_made

    reader = reader_made(setup.kind, *setup.names)
    builder = _Builder(setup)
    with Path(setup.path).open("rb", buffering=READ_SIZE) as raw:
        stream = CountingReader(raw)
        batch: list[ArchiveEntry] = []
        try:
            for entry in reader(stream, setup.start):  # type: ignore[arg-type]
                batch.append(entry)
                if len(batch) >= setup.batch_size:
                    if not _send(conn, builder.build(conn, batch, stream.bytes_read)):
                        return
                    batch = []
        except READ_ERRORS as error:
            _send(conn, builder.build(conn, batch, stream.bytes_read, _portable(error)))
            return
        if batch and not _send(conn, builder.build(conn, batch, stream.bytes_read)):
            return
    conn.send_bytes(pickle.dumps(_Done(_peak_rss_kib())))


def _peak_rss_kib() -> int:
    """This process's peak resident memory since it started (VmHWM; 0 where unknown).
    Not `ru_maxrss`, which counts the importer's memory that the process had before
    its exec."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _send(conn: Connection, built: Built | None) -> bool:
    if built is None:
        return False
    conn.send_bytes(pickle.dumps(built, protocol=pickle.HIGHEST_PROTOCOL))
    return True


def _portable(error: BaseException) -> BaseException:
    """The error as it will arrive, or a ValueError with its message if it will not."""
    try:
        pickle.loads(pickle.dumps(error))  # noqa: S301 - our own bytes
    except Exception:
        return ValueError(str(error))
    return error


class _Builder:
    """Builds batches as `ahead._build` does, then formats their rows for COPY."""

    def __init__(self, setup: Setup) -> None:
        from kanalvakt.intake.models import ImportJob
        from kanalvakt.register.models import Account

        self.setup = setup
        self.account = Account(
            pk=setup.account_pk, organisation_id=setup.organisation_id, platform=setup.platform
        )
        self.job = ImportJob(
            pk=setup.job_pk,
            file_name=setup.file_name,
            file_fingerprint=setup.file_fingerprint,
            reader=setup.kind,
        )

    def build(
        self,
        conn: Connection,
        batch: list[ArchiveEntry],
        bytes_read: int,
        error: BaseException | None = None,
    ) -> Built | None:
        """The batch built under the next ids the importer sent (None: told to stop)."""
        from django.utils import timezone

        from kanalvakt.intake.ahead import batch_manifest
        from kanalvakt.intake.bulkstore import batch_prepare
        from kanalvakt.intake.copying import copy_payload

        reserved = conn.recv() if batch else (0, [])
        if reserved is None:
            return None
        delivery_id, runs = reserved
        now = timezone.now()
        items = [entry.item for entry in batch]
        external_ids = [item.external_id for item in items]
        shas = [hashlib.sha256(item.raw).hexdigest() for item in items]
        manifest = batch_manifest(self.job, batch, shas) if batch else b""
        writable = bool(batch) and not any(item.deleted for item in items)
        writable = writable and len(set(external_ids)) == len(external_ids)
        ids: list[int] = []
        rows, processing, text = b"", b"", ""
        if writable:
            ids = ids_unpacked(runs)[: len(items)]
            prepared = batch_prepare(
                self.account,
                delivery_id,
                list(zip(items, shas, strict=True)),
                ids,
                now,
                sqlite=False,
            )
            assert prepared.encoded is not None  # no item arrived deleted
            rows = copy_payload(prepared.rows, self.setup.item_oids)
            processing = copy_payload([(pk, 0) for pk in ids], self.setup.processing_oids)
            text = prepared.encoded.text
        return Built(
            first_position=batch[0].position if batch else -1,
            last_position=batch[-1].position if batch else -1,
            bytes_read=bytes_read,
            delivery_id=delivery_id,
            received_at=now,
            external_ids=external_ids,
            ids=ids,
            manifest=manifest,
            manifest_sha=hashlib.sha256(manifest).hexdigest(),
            items=rows,
            processing=processing,
            audit_text=text,
            writable=writable,
            error=error,
        )


def main(fd: int) -> None:
    """The reading process started as `python -m kanalvakt.intake.reading FD`: FD is its
    end of the importer's socket pair, on which the Setup comes first."""
    conn = Connection(fd)
    _serve(conn, pickle.loads(conn.recv_bytes()))  # noqa: S301 - from the importer


if __name__ == "__main__":
    # Through the module's own name, so that what it sends is pickled as
    # `kanalvakt.intake.reading.Built`, not as `__main__.Built`.
    from kanalvakt.intake import reading

    reading.main(int(sys.argv[1]))
