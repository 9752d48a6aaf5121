"""`kanalvakt records_backfill`: decide registration for items received before records was on.

Items processed before the records app was installed have no registration
decision and are not in the SQLite search index. This decides each (the same
service as processing step 400) and rebuilds the index. Safe to run again.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from kanalvakt.inbox.models import Item
from kanalvakt.records.registration import item_decide_registration
from kanalvakt.records.search import search_index_rebuild


class Command(BaseCommand):
    help = "Bedömer diarieföring för meddelanden utan bedömning och bygger om sökindexet."

    def handle(self, *args: Any, **options: Any) -> None:
        decided = 0
        items = Item.objects.filter(registration__isnull=True).select_related(
            "organisation__policy_version", "account"
        )
        for item in items.iterator(chunk_size=500):
            item_decide_registration(item=item)
            decided += 1
        indexed = search_index_rebuild()
        self.stdout.write(f"{decided} meddelanden bedömda, {indexed} i sökindexet.")
