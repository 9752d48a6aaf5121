"""`kanalvakt verify_records`: re-check every SHA-256 taken at receipt or storage."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand

from kanalvakt.records.verify import records_verify


class Command(BaseCommand):
    help = "Kontrollerar SHA-256 för leveranser, meddelanden, versioner och lagrade filer."

    def handle(self, *args: Any, **options: Any) -> None:
        report = records_verify()
        for kind, count in sorted(report.checked.items()):
            self.stdout.write(f"{kind}: {count} kontrollerade")
        if report.ok:
            self.stdout.write(self.style.SUCCESS("Alla kontrollsummor stämmer."))
            return
        for mismatch in report.mismatches:
            self.stderr.write(f"AVVIKELSE {mismatch}")
        self.stderr.write(self.style.ERROR(f"{len(report.mismatches)} avvikelser."))
        sys.exit(1)
