"""`kanalvakt checkpoint_key PATH`: create the Ed25519 key that signs checkpoints."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kanalvakt.records.signing import key_generate, key_id, public_key_b64


class Command(BaseCommand):
    help = "Skapar signeringsnyckeln för kontrollpunkter (Ed25519, PEM, läsbar bara för ägaren)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if path.exists():
            raise CommandError(f"{path} finns redan; en nyckel skrivs aldrig över.")
        public = key_generate(path).public_key()
        self.stdout.write(f"Nyckel skapad: {path}")
        self.stdout.write(f"Publik nyckel (base64): {public_key_b64(public)}")
        self.stdout.write(f"Nyckel-id: {key_id(public)}")
        self.stdout.write("Sätt KANALVAKT_CHECKPOINT_KEY_FILE till sökvägen.")
