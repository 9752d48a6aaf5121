"""`kanalvakt verify_audit [--checkpoints FILE]`: the chain, proved against signed checkpoints."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kanalvakt.audit.services import audit_verify_chain


class Command(BaseCommand):
    help = (
        "Verify the hash chain of the audit log and report the first broken link. With "
        "--checkpoints, prove the chain and the records against published, signed checkpoints."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--checkpoints",
            type=Path,
            help="A published checkpoint file (register/<slug>/kontrollpunkter.json, an "
            "archival package's or snapshot's copy). Default: the checkpoints in the database.",
        )
        parser.add_argument(
            "--public-key",
            action="append",
            default=[],
            help="A trusted Ed25519 public key (base64, raw 32 bytes); may be repeated. "
            "Default: the installation's own key.",
        )
        parser.add_argument(
            "--tsa-ca",
            type=Path,
            help="PEM file of the time-stamping authority's certificate or CA to trust for the "
            "checkpoints' RFC 3161 time-stamps. Default: KANALVAKT_TSA_CA_FILE.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # The records app owns checkpoints; the chain is this app's.
        from kanalvakt.records.checkpoints import (
            checkpoints_verify,
            published_document,
            trusted_keys,
        )
        from kanalvakt.records.stamps import trusted_roots

        keys = trusted_keys(options["public_key"])
        source: Path | None = options["checkpoints"]
        if source is not None:
            try:
                document = json.loads(source.read_text(encoding="utf-8"))
            except (OSError, ValueError) as error:
                raise CommandError(f"Cannot read {source}: {error}") from error
        else:
            document = published_document()
        tsa_ca: Path | None = options["tsa_ca"]
        try:
            check = checkpoints_verify(
                document,
                keys,
                against_database=source is not None,
                tsa_roots=trusted_roots(tsa_ca) if tsa_ca is not None else None,
            )
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        for note in check.notes:
            self.stdout.write(note)
        report = audit_verify_chain(check.anchors)
        problems = list(check.problems)
        if not report.intact:
            problems.insert(
                0,
                f"Audit log broken at event #{report.first_broken_sequence}: {report.reason} "
                f"({report.checked} events before it are intact).",
            )
        if problems:
            for problem in problems:
                self.stderr.write(f"AVVIKELSE {problem}")
            raise CommandError(problems[0] if len(problems) == 1 else f"{len(problems)} problems.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Audit log intact: {report.checked} events; "
                f"{len(check.anchors)} of {check.checked} checkpoints proved."
            )
        )
