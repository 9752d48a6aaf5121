"""An import's reading process: the archive parsed and its batches built beside the importer.

Why a process: with the reading (numpy scan, orjson, an `IncomingItem` per
entry) and the building of each batch (checksums, manifest, rows, receipts,
the audit event's JSON) in threads of the importing process, one GIL bounded
a large import on PostgreSQL: per 1,000,000 X tweets about 25 s of reading,
16 s of building and 11 s of writing, one after the other, while the server
had the second core to itself half of the time (issue 12). Here a second
process (`spawn`: nothing of the importer's threads or connection is
inherited) reads the file and builds each batch as if every item in it were
new, and hands over bytes: the rows in COPY's binary format
(`copying.copy_payload`), the manifest and the audit event's JSON. The
importing process writes them as they are (`intake.readystore`). Handing over
the parsed items instead would cost as much as parsing them (pickle), so
none go over.

Ids: the importing process takes each batch's delivery and item ids from
their sequences and sends them (a few runs of consecutive ids) one batch
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
import multiprocessing
import os
import pickle
import signal
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from kanalvakt.connectors.archives import ArchiveEntry

READ_SIZE = 1024 * 1024
AHEAD = 1
"""Batches whose ids are sent before the reading process asks: it reads the next batch
while the importer takes the ids of the one after from the sequences."""


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

    @property
    def count(self) -> int:
        return len(self.external_ids)


@dataclass(frozen=True)
class _Failed:
    text: str


_DONE = "done"


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
    """The importing process's side: start the reading process, feed it ids, take batches."""

    def __init__(self, setup: Setup, reserve: Any) -> None:
        """`reserve(count)` gives a delivery id and `count` item ids (`ahead._reserve`)."""
        self._setup = setup
        self._reserve = reserve
        context = multiprocessing.get_context("spawn")
        self._conn, theirs = context.Pipe()
        self._process = context.Process(
            target=_serve, args=(theirs, setup), name="import-reader", daemon=True
        )
        self._process.start()
        theirs.close()
        for _ in range(AHEAD):
            self._send_ids()

    def _send_ids(self) -> None:
        delivery_id, ids = self._reserve(self._setup.batch_size)
        try:
            self._conn.send((delivery_id, ids_packed(ids)))
        except BrokenPipeError:
            pass  # it has sent its last batch and gone: what follows it is in the pipe

    def batches(self) -> Iterator[Built]:
        """The built batches in file order; the last may be short or carry bad input."""
        while True:
            try:
                message = self._conn.recv()
            except EOFError:
                self._process.join(5)
                raise ReadingFailed(
                    f"läsprocessen avslutades oväntat (slutkod {self._process.exitcode})"
                ) from None
            if message == _DONE:
                return
            if isinstance(message, _Failed):
                raise ReadingFailed(message.text)
            if message.error is None:
                self._send_ids()
            yield message
            if message.error is not None:
                return

    def close(self) -> None:
        """Stop the reading process (it ends by itself when its pipe closes)."""
        try:
            self._conn.send(None)
        except OSError:
            pass
        self._conn.close()
        self._process.join(5)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(5)
        self._process.close()


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
            conn.send(_Failed(traceback.format_exc(limit=8).strip().splitlines()[-1]))
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
    conn.send(_DONE)


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
