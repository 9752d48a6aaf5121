"""`kanalvakt policy_coverage [--check]`: write (or check) docs/policy-coverage.md."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kanalvakt.policies.coverage_doc import render

DOC = Path(settings.BASE_DIR).parent / "docs" / "policy-coverage.md"


class Command(BaseCommand):
    help = "Skriver docs/policy-coverage.md från policypaketen (med --check: kontrollerar den)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        text = render(Path(settings.POLICY_PACK_DIR))
        if options["check"]:
            if not DOC.is_file() or DOC.read_text(encoding="utf-8") != text:
                raise CommandError(f"{DOC} är inaktuell; kör kanalvakt policy_coverage.")
            self.stdout.write(f"{DOC}: OK")
            return
        DOC.write_text(text, encoding="utf-8")
        self.stdout.write(f"{DOC}: skriven")
