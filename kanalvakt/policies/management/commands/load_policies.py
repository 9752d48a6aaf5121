"""`kanalvakt load_policies [DIR]`: load every policy pack in a directory as versions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kanalvakt.policies.services import policy_version_ensure
from kanalvakt.policies.validation import pack_files


class Command(BaseCommand):
    help = (
        "Läser in varje policypaket i katalogen (standard: policies/) som en policyversion. "
        "Samma innehåll läses in en gång; ett ogiltigt eller ändrat paket under samma "
        "version avvisas."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", nargs="?", type=Path, metavar="DIR")

    def handle(self, *args: Any, **options: Any) -> None:
        directory: Path = options["directory"] or Path(settings.POLICY_PACK_DIR)
        files = pack_files(directory)
        if not files:
            raise CommandError(f"Inga policypaket i {directory}.")
        failed = 0
        for file in files:
            try:
                version, created = policy_version_ensure(actor=None, path=file)
            except ValidationError as exc:
                failed += 1
                for message in exc.messages:
                    self.stderr.write(message)
                continue
            state = "inläst" if created else "oförändrad, redan inläst"
            self.stdout.write(f"{file}: {version.pack_id} {version.version} – {state}")
        if failed:
            raise CommandError(f"{failed} av {len(files)} policypaket lästes inte in.")
