"""The import's reading process itself (`python -m kanalvakt.intake.reading_child FD`).

It reads the archive, builds each batch as if all its items were new under the
ids the importer sent, and sends it as a `reading.Built`: the reasons and the
importer's side are in `kanalvakt.intake.reading`. It never opens the database
(Django is set up only for the models that the rows are built from), and it
ignores SIGINT: the importer decides what an interrupt stops, and a closed
socket ends this process.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import signal
import sys
import traceback
from multiprocessing.connection import Connection
from pathlib import Path

from kanalvakt.connectors.archives import ArchiveEntry
from kanalvakt.intake.reading import READ_SIZE, Built, Done, Failed, Setup, ids_unpacked


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
            failed = Failed(traceback.format_exc(limit=8).strip().splitlines()[-1])
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
    conn.send_bytes(pickle.dumps(Done(_peak_rss_kib())))


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
    """The reading process started as `python -m kanalvakt.intake.reading_child FD`: FD is
    its end of the importer's socket pair, on which the Setup comes first."""
    conn = Connection(fd)
    _serve(conn, pickle.loads(conn.recv_bytes()))  # noqa: S301 - from the importer


if __name__ == "__main__":
    main(int(sys.argv[1]))
