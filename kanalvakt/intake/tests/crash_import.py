"""An import process for the SIGKILL test (run as `python -m … PATH ACCOUNT_ID [--resume]`).

Runs `import_archive` (batches of 10) on the database the test prepared (a
file SQLite database in KANALVAKT_VAR_DIR, or PostgreSQL through
DATABASE_URL). With PAUSE_AT_BATCH=<n> it writes PAUSED_FILE inside the n-th
batch's transaction (its items written, not committed) and sleeps, waiting to
be killed. IMPORT_PROCESS_MIN_BYTES sets from which file size the import is read
by a second process (`intake.reading`; PostgreSQL). With PATH `-` it only
reports. Prints what is stored as JSON.
"""

from __future__ import annotations

import json
import os
import sys
import time
from io import StringIO
from pathlib import Path
from typing import Any


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kanalvakt.settings")
    os.environ["TASKS_BACKEND"] = "django.tasks.backends.dummy.DummyBackend"
    import django

    django.setup()
    from django.core.management import call_command

    from kanalvakt.intake import importing

    path, account_id, *extra = sys.argv[1:]
    pause_at = int(os.environ.get("PAUSE_AT_BATCH", "0"))
    if "IMPORT_PROCESS_MIN_BYTES" in os.environ:
        importing.PROCESS_MIN_BYTES = int(os.environ["IMPORT_PROCESS_MIN_BYTES"])
    if pause_at:
        batches = 0

        def pausing(store: Any) -> Any:
            def pausing_store(**kwargs: Any) -> Any:
                nonlocal batches
                stored = store(**kwargs)
                batches += 1
                if batches == pause_at:
                    Path(os.environ["PAUSED_FILE"]).write_text(str(len(stored.created)))
                    time.sleep(60)
                return stored

            return pausing_store

        for name in ("import_batch_store", "built_batch_write"):  # in-process, built by `reading`
            setattr(importing, name, pausing(getattr(importing, name)))
    if path != "-":
        call_command(
            "import_archive",
            path,
            "--account",
            account_id,
            "--format",
            "x",
            "--batch-size",
            "10",
            "--no-progress",
            *extra,
            stdout=StringIO(),
        )
    sys.stdout.write(json.dumps(report()) + "\n")


def report() -> dict[str, Any]:
    from kanalvakt.audit.models import AuditEvent
    from kanalvakt.audit.services import audit_verify_chain
    from kanalvakt.inbox.batches import items_received_verify
    from kanalvakt.inbox.events import InboxEvent
    from kanalvakt.inbox.models import Item, ItemProcessing
    from kanalvakt.intake.models import ImportJob

    events = AuditEvent.objects.filter(event_type=InboxEvent.ITEMS_RECEIVED)
    job = ImportJob.objects.order_by("pk").last()
    return {
        "items": Item.objects.count(),
        "distinct": Item.objects.values("external_id").distinct().count(),
        "processing": ItemProcessing.objects.count(),
        "received_events": events.count(),
        "problems": [p for e in events for p in items_received_verify(e.data)],
        "chain_intact": audit_verify_chain().intact,
        "jobs": ImportJob.objects.count(),
        "job": None
        if job is None
        else {"state": job.state, "position": job.position, "new": job.new_count},
    }


if __name__ == "__main__":
    main()
