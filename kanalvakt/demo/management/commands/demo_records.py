"""`kanalvakt demo_records`: registrar's queue, snapshots and a records request for the demo."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from kanalvakt.demo.records import demo_records


class Command(BaseCommand):
    help = "Fyller registratorns kö, tar ögonblicksbilder och lämnar ut en begäran (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        report = demo_records()
        self.stdout.write(
            f"Allmänna handlingar: {report.items} nya meddelanden, "
            f"{report.registered} diarieförda, "
            f"{report.snapshots} ögonblicksbilder, {report.requests} utlämnade begäranden."
        )
        for note in report.notes:
            self.stdout.write(note)
