"""What an item's seal covers: every field the inbox, records and exports show.

The seal is written into each audit event about the item (at receipt, and at
every edit or deletion seen on the platform), so `verify_records` can tell
when text, author, timestamps or links no longer match what arrived.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from kanalvakt.audit.seals import fields_digest, register_batch_sealer, register_sealer
from kanalvakt.inbox.batches import ITEM_COLUMNS

ITEM_FIELDS = tuple(name for name in ITEM_COLUMNS if name != "raw")
"""Every column an item is written with but the raw bytes, which `raw_sha256` stands for."""
VERSION_FIELDS = (
    "item_id",
    "delivery_id",
    "text",
    "edited_at",
    "deleted",
    "recorded_at",
    "raw_sha256",
)
# Blanked by disposal (REC-4); a disposed item must hold nothing in them.
DISPOSED_BLANK = ("text", "author_name", "author_handle", "author_external_id", "url")


def item_fields_digest(values: dict[str, Any]) -> str:
    return fields_digest({name: values[name] for name in ITEM_FIELDS})


def version_fields_digest(values: dict[str, Any]) -> str:
    return fields_digest({name: values[name] for name in VERSION_FIELDS})


def item_seal(target: models.Model) -> dict[str, Any]:
    """The item's fields and its versions' fields as the database now holds them."""
    from kanalvakt.inbox.models import Item, ItemVersion

    row = Item.objects.filter(pk=target.pk).values(*ITEM_FIELDS).get()
    versions = ItemVersion.objects.filter(item_id=target.pk).values("pk", *VERSION_FIELDS)
    return {
        "fields": item_fields_digest(row),
        "versions": {str(v["pk"]): version_fields_digest(v) for v in versions},
    }


def register() -> None:
    register_sealer("inbox.item", item_seal)
    register_batch_sealer("inbox.item", receipts_for)


def receipts_for(item_ids: list[int]) -> dict[str, dict[str, Any]]:
    """Receipts for many items at once, for one batch audit event: `data={"receipts": ...}`.

    A batch ingest that writes one chained event per batch (instead of one per
    item) puts this in it; `verify_records` reads it exactly like the
    per-item `item.received` events.
    """
    from kanalvakt.inbox.models import Item, ItemVersion

    seals: dict[str, dict[str, Any]] = {}
    for row in Item.objects.filter(pk__in=item_ids).values("pk", *ITEM_FIELDS):
        seals[str(row["pk"])] = {
            "sha256": row["raw_sha256"],
            "seal": {"fields": item_fields_digest(row), "versions": {}},
        }
    for version in ItemVersion.objects.filter(item_id__in=item_ids).values("pk", *VERSION_FIELDS):
        versions = seals[str(version["item_id"])]["seal"]["versions"]
        versions[str(version["pk"])] = version_fields_digest(version)
    return seals
