"""`kanalvakt validate_policy PATH…`: check policy pack files, name every error."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kanalvakt.policies.validation import pack_files, validate_pack_file


class Command(BaseCommand):
    help = (
        "Validerar policypaket. Skriver 'fil:rad: fält: fel' för varje fel och avslutar "
        "med felkod, annars OK per fil. En katalog betyder alla paket i den."
    )
    # Checking files needs neither the database nor the project's system checks.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")

    def handle(self, *args: Any, **options: Any) -> None:
        files: list[Path] = []
        for path in options["paths"]:
            files.extend(pack_files(path) if path.is_dir() else [path])
        failed = 0
        for file in files:
            parsed = validate_pack_file(file)
            if parsed.errors:
                failed += 1
                for error in parsed.errors:
                    self.stderr.write(str(error))
            else:
                self.stdout.write(f"{file}: OK")
        if not files:
            raise CommandError("Inga policypaket hittades.")
        if failed:
            raise CommandError(f"{failed} av {len(files)} policypaket är ogiltiga.")
