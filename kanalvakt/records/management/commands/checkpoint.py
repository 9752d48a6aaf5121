"""`kanalvakt checkpoint`: sign a checkpoint now (the daily job does this at night)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from kanalvakt.records.checkpoints import checkpoint_create


class Command(BaseCommand):
    help = (
        "Signerar en kontrollpunkt: granskningsloggens huvud och en Merkle-rot över handlingarna."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now",
            action="store_true",
            help="Täck handlingar fram till nu (standard: fram till början av i dag).",
        )
        parser.add_argument(
            "--stamps",
            action="store_true",
            help="Signera ingen ny kontrollpunkt; be tidsstämpelservern (KANALVAKT_TSA_URL) "
            "om varje tidsstämpel som ännu saknas.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["stamps"]:
            self._stamps()
            return
        checkpoint = checkpoint_create(until=timezone.now() if options["now"] else None)
        self.stdout.write(
            f"Kontrollpunkt #{checkpoint.number}: händelse #{checkpoint.chain_sequence} "
            f"{checkpoint.chain_hash}, {checkpoint.record_count} poster, "
            f"Merkle-rot {checkpoint.merkle_root}, nyckel {checkpoint.key_id[:16]}"
        )

    def _stamps(self) -> None:
        from kanalvakt.records.models import CheckpointStamp
        from kanalvakt.records.stamps import stamp_attempt

        waiting = CheckpointStamp.objects.exclude(status=CheckpointStamp.Status.STAMPED)
        for stamp_id in waiting.order_by("pk").values_list("pk", flat=True):
            stamp = stamp_attempt(stamp_id)
            result = stamp.gen_time.isoformat() if stamp.gen_time else stamp.last_error
            self.stdout.write(f"Kontrollpunkt #{stamp.checkpoint.number}: {stamp.status} {result}")
