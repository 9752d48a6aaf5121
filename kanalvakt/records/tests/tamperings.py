"""The 23 tamperings of issue 11, done the way a database administrator would.

Each one works on a world with received items, an edit, a snapshot and a
signed checkpoint published outside the database, and names what
`verify_audit`/`verify_records` must report. Used by `test_tamper_evidence.py`
and by `bench/robustness/tamper.py`.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from kanalvakt.audit.models import AuditChainHead, AuditEvent
from kanalvakt.audit.services import _event_hash, audit_verify_chain
from kanalvakt.audit.tests.dba import delete_with_dependents, sql, triggers_off
from kanalvakt.inbox.models import Delivery, Item, ItemVersion
from kanalvakt.records.checkpoints import checkpoints_verify, trusted_keys
from kanalvakt.records.models import SnapshotFile
from kanalvakt.records.verify import records_verify

EVENTS = "audit_auditevent"
HEAD = "audit_auditchainhead"


@dataclass
class Scene:
    """What the tamperings work on: ids of records and the published checkpoints."""

    item: int
    other_item: int
    version: int
    delivery: int
    snapshot_file: int
    published: dict[str, Any]


def findings(scene: Scene) -> list[str]:
    """Everything verify_audit (against the scene's published file) and verify_records report."""
    return findings_in(scene.published)


def findings_in(published: dict[str, Any]) -> list[str]:
    """Everything verify_audit (against the published file) and verify_records report."""
    check = checkpoints_verify(published, trusted_keys())
    chain = audit_verify_chain(check.anchors)
    found = list(check.problems)
    if not chain.intact:
        found.append(f"event #{chain.first_broken_sequence}: {chain.reason}")
    found += [str(mismatch) for mismatch in records_verify().mismatches]
    return found


def _last() -> int:
    return int(AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True)[0])


def _rehash_from(sequence: int) -> None:
    """Recompute every hash from `sequence` on and move the head: a consistent forged chain."""
    previous = AuditEvent.objects.get(sequence=sequence - 1).hash if sequence > 1 else "0" * 64
    for event in AuditEvent.objects.filter(sequence__gte=sequence).order_by("sequence"):
        event.previous_hash = previous
        event.hash = _event_hash(event)
        AuditEvent.objects.filter(pk=event.pk).update(previous_hash=previous, hash=event.hash)
        previous = event.hash
    AuditChainHead.objects.filter(id=1).update(sequence=_last(), hash=previous)


def _item_event(item: int) -> int:
    return int(
        AuditEvent.objects.filter(
            event_type="item.received", target_type="inbox.item", target_id=str(item)
        ).values_list("sequence", flat=True)[0]
    )


def edit_event_data(scene: Scene) -> str:
    sequence = _item_event(scene.item)
    with triggers_off(EVENTS):
        AuditEvent.objects.filter(sequence=sequence).update(data={"sha256": "0" * 64})
    return f"event #{sequence}"


def remove_middle_event(scene: Scene) -> str:
    with triggers_off(EVENTS):
        sql("DELETE FROM audit_auditevent WHERE sequence = %s", [3])
    return "event #3"


def truncate_tail(scene: Scene) -> str:
    last = _last()
    with triggers_off(EVENTS):
        sql("DELETE FROM audit_auditevent WHERE sequence = %s", [last])
    return f"event #{last}"


def change_previous_hash(scene: Scene) -> str:
    with triggers_off(EVENTS):
        sql("UPDATE audit_auditevent SET previous_hash = %s WHERE sequence = %s", ["f" * 64, 4])
    return "event #4"


def edit_last_event_and_rehash(scene: Scene) -> str:
    last = _last()
    with triggers_off(EVENTS, HEAD):
        AuditEvent.objects.filter(sequence=last).update(target_label="förfalskad")
        _rehash_from(last)
    return f"event #{last}"


def cut_tail_and_rewind_head(scene: Scene) -> str:
    last = _last()
    with triggers_off(EVENTS, HEAD):
        sql("DELETE FROM audit_auditevent WHERE sequence > %s", [last - 3])
        kept = AuditEvent.objects.get(sequence=last - 3)
        AuditChainHead.objects.filter(id=1).update(sequence=kept.sequence, hash=kept.hash)
    return f"#{last}"


def rehash_after_middle_edit(scene: Scene) -> str:
    sequence = _item_event(scene.item)
    with triggers_off(EVENTS, HEAD):
        AuditEvent.objects.filter(sequence=sequence).update(target_label="förfalskad")
        _rehash_from(sequence)
    return "rewritten"


def _items(**values: Any) -> Callable[[Scene], str]:
    def tamper(scene: Scene) -> str:
        with triggers_off("inbox_item"):
            Item.objects.filter(pk=scene.item).update(**values)
        return f"item {scene.item}:"

    return tamper


def replace_item_raw_and_checksum(scene: Scene) -> str:
    forged = b'{"id": "forged", "message": "something else"}'
    with triggers_off("inbox_item"):
        Item.objects.filter(pk=scene.item).update(
            raw=forged, raw_sha256=hashlib.sha256(forged).hexdigest()
        )
    return f"item {scene.item}:"


def delete_item_row(scene: Scene) -> str:
    delete_with_dependents(Item, [scene.other_item])
    return f"item {scene.other_item}:"


def insert_forged_item(scene: Scene) -> str:
    original = Item.objects.get(pk=scene.item)
    forged: dict[str, Any] = dict(Item.objects.values().get(pk=scene.item))
    del forged["id"]
    forged.update(external_id="forged_1", text="Ett meddelande som aldrig kom")
    Item.objects.bulk_create([Item(**forged)])
    pk = Item.objects.get(account_id=original.account_id, external_id="forged_1").pk
    return f"item {pk}:"


def edit_version_text(scene: Scene) -> str:
    with triggers_off("inbox_itemversion"):
        ItemVersion.objects.filter(pk=scene.version).update(text="en annan ändring")
    return f"item_version {scene.version}:"


def replace_version_raw_and_checksum(scene: Scene) -> str:
    forged = b'{"edited": "forged"}'
    with triggers_off("inbox_itemversion"):
        ItemVersion.objects.filter(pk=scene.version).update(
            raw=forged, raw_sha256=hashlib.sha256(forged).hexdigest()
        )
    return f"item_version {scene.version}:"


def change_delivery_body(scene: Scene) -> str:
    with triggers_off("inbox_delivery"):
        Delivery.objects.filter(pk=scene.delivery).update(body=b'{"entry": []}')
    return f"delivery {scene.delivery}:"


def replace_delivery_body_and_checksum(scene: Scene) -> str:
    forged = b'{"entry": ["forged"]}'
    with triggers_off("inbox_delivery"):
        Delivery.objects.filter(pk=scene.delivery).update(
            body=forged, sha256=hashlib.sha256(forged).hexdigest()
        )
    return "kontrollpunkt #1: handlingarna"


def _snapshot_file() -> SnapshotFile:
    return SnapshotFile.objects.get(kind=SnapshotFile.Kind.PNG)


def replace_snapshot_file_content(scene: Scene) -> str:
    name = _snapshot_file().name
    default_storage.delete(name)
    default_storage.save(name, ContentFile(b"another picture"))
    return f"snapshot_file {scene.snapshot_file}:"


def replace_snapshot_file_with_its_row(scene: Scene) -> str:
    row = _snapshot_file()
    forged = b"another picture"
    default_storage.delete(row.name)
    default_storage.save(row.name, ContentFile(forged))
    with triggers_off("records_snapshotfile"):
        SnapshotFile.objects.filter(pk=row.pk).update(
            sha256=hashlib.sha256(forged).hexdigest(), size=len(forged)
        )
    return f"snapshot_file {scene.snapshot_file}:"


def delete_snapshot_file_with_its_row(scene: Scene) -> str:
    row = _snapshot_file()
    default_storage.delete(row.name)
    delete_with_dependents(SnapshotFile, [row.pk])
    return f"snapshot {row.snapshot_id}: väntat png"


def delete_stored_checkpoint(scene: Scene) -> str:
    with triggers_off("records_checkpoint"):
        sql("DELETE FROM records_checkpoint")
    return "kontrollpunkt #1: saknas i databasen"


TAMPERINGS: dict[str, Callable[[Scene], str]] = {
    # Already detected before issue 11.
    "edit an event's data": edit_event_data,
    "remove an event in the middle": remove_middle_event,
    "truncate the tail": truncate_tail,
    "change an event's link": change_previous_hash,
    "change an item's raw bytes": _items(raw=b'{"id": "x"}'),
    "change an item's checksum": _items(raw_sha256="0" * 64),
    "change a delivery's body": change_delivery_body,
    "replace a snapshot file": replace_snapshot_file_content,
    # Passed verify_audit/verify_records before issue 11.
    "edit the last event and re-hash it": edit_last_event_and_rehash,
    "cut the tail and rewind the head": cut_tail_and_rewind_head,
    "re-hash the chain after a middle edit": rehash_after_middle_edit,
    "edit an item's text": _items(text="Ni gör ett fantastiskt jobb!"),
    "edit an item's author": _items(author_name="Någon Annan"),
    "edit an item's time": _items(created_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)),
    "replace an item's raw bytes and checksum": replace_item_raw_and_checksum,
    "delete an item row": delete_item_row,
    "insert a forged item": insert_forged_item,
    "edit a version's text": edit_version_text,
    "replace a version's raw bytes and checksum": replace_version_raw_and_checksum,
    "replace a delivery's body and checksum": replace_delivery_body_and_checksum,
    "replace a snapshot file and its row": replace_snapshot_file_with_its_row,
    "delete a snapshot file and its row": delete_snapshot_file_with_its_row,
    "delete the stored checkpoint": delete_stored_checkpoint,
}
