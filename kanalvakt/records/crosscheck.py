"""Records against what the audit chain wrote down when they arrived (REC-7).

A checksum column proves nothing by itself: whoever can change the raw bytes
can change their checksum too. The audit events written at receipt hold the
raw payload's SHA-256 and a seal over every displayed field, and the chain
(anchored by signed checkpoints) holds those. This module compares each item,
version and snapshot file with them, and names every record that is missing,
changed, or present without the event that should have recorded it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from kanalvakt.audit.models import AuditEvent
from kanalvakt.inbox.events import InboxEvent
from kanalvakt.inbox.models import Item, ItemVersion
from kanalvakt.records.events import RecordsEvent
from kanalvakt.records.models import DisposalLogEntry, Snapshot, SnapshotFile
from kanalvakt.records.seals import (
    DISPOSED_BLANK,
    ITEM_FIELDS,
    VERSION_FIELDS,
    item_fields_digest,
    version_fields_digest,
)

CHUNK = 1000
ITEM_EVENTS = (
    InboxEvent.ITEM_RECEIVED,
    InboxEvent.ITEM_EDITED,
    InboxEvent.ITEM_DELETED_ON_PLATFORM,
)


@dataclass(frozen=True)
class Finding:
    kind: str
    pk: int
    expected: str
    found: str


@dataclass
class Receipts:
    """What the chain says: per item and version, the event, checksum and seal."""

    items: dict[int, tuple[int, str, str | None]] = field(default_factory=dict)
    versions: dict[int, tuple[int, str]] = field(default_factory=dict)
    version_seals: dict[int, str] = field(default_factory=dict)


def _receipts() -> Receipts:
    receipts = Receipts()
    events = (
        AuditEvent.objects.filter(target_type="inbox.item", event_type__in=ITEM_EVENTS)
        .order_by("sequence")
        .values_list("sequence", "event_type", "target_id", "data")
    )
    for sequence, event_type, target_id, data in events.iterator(chunk_size=CHUNK):
        data = data if isinstance(data, dict) else {}
        seal: dict[str, Any] = data.get("seal") or {}
        if event_type == InboxEvent.ITEM_RECEIVED:
            receipts.items.setdefault(
                int(target_id), (sequence, str(data.get("sha256", "")), seal.get("fields"))
            )
        elif data.get("version") is not None:
            receipts.versions[int(data["version"])] = (sequence, str(data.get("sha256", "")))
        for version_id, digest in (seal.get("versions") or {}).items():
            receipts.version_seals[int(version_id)] = str(digest)
    _batch_receipts(receipts)
    return receipts


def _batch_receipts(receipts: Receipts) -> None:
    """Receipts written many at a time (`kanalvakt.records.seals.receipts_for`)."""
    batches = AuditEvent.objects.filter(data__has_key="receipts").order_by("sequence")
    for sequence, data in batches.values_list("sequence", "data").iterator(chunk_size=100):
        for item_id, receipt in (data.get("receipts") or {}).items():
            seal = receipt.get("seal") or {}
            receipts.items.setdefault(
                int(item_id), (sequence, str(receipt.get("sha256", "")), seal.get("fields"))
            )
            for version_id, digest in (seal.get("versions") or {}).items():
                receipts.version_seals[int(version_id)] = str(digest)


def _item_findings(receipts: Receipts, disposed: set[int]) -> Iterator[Finding]:
    rows = Item.objects.order_by("pk").values("pk", *ITEM_FIELDS)
    for row in rows.iterator(chunk_size=CHUNK):
        pk = row["pk"]
        receipt = receipts.items.pop(pk, None)
        if receipt is None:
            yield Finding("item", pk, "ett mottagande i granskningsloggen", "inget")
            continue
        sequence, sha256, seal = receipt
        if row["raw_sha256"] != sha256:
            yield Finding("item", pk, f"SHA-256 {sha256} (händelse #{sequence})", row["raw_sha256"])
        if pk in disposed:
            filled = [name for name in DISPOSED_BLANK if row[name]]
            if filled:
                yield Finding("item", pk, "gallrat innehåll", "innehåll i " + ", ".join(filled))
            continue
        if seal is not None and item_fields_digest(row) != seal:
            yield Finding(
                "item", pk, f"fälten som de togs emot (händelse #{sequence})", "ändrade fält"
            )
    for pk, (sequence, _sha, _seal) in sorted(receipts.items.items()):
        yield Finding("item", pk, f"meddelandet mottaget i händelse #{sequence}", "saknas")


def _version_findings(receipts: Receipts, disposed: set[int]) -> Iterator[Finding]:
    rows = ItemVersion.objects.order_by("pk").values("pk", *VERSION_FIELDS)
    for row in rows.iterator(chunk_size=CHUNK):
        pk = row["pk"]
        receipt = receipts.versions.pop(pk, None)
        if receipt is not None and row["raw_sha256"] != receipt[1]:
            yield Finding(
                "item_version",
                pk,
                f"SHA-256 {receipt[1]} (händelse #{receipt[0]})",
                row["raw_sha256"],
            )
        seal = receipts.version_seals.get(pk)
        if (
            seal is not None
            and row["item_id"] not in disposed
            and version_fields_digest(row) != seal
        ):
            yield Finding("item_version", pk, "fälten som de registrerades", "ändrade fält")
    for pk, (sequence, _sha) in sorted(receipts.versions.items()):
        yield Finding("item_version", pk, f"versionen registrerad i händelse #{sequence}", "saknas")


def _snapshot_findings() -> Iterator[Finding]:
    events = AuditEvent.objects.filter(
        event_type=RecordsEvent.SNAPSHOT_CAPTURED, target_type="records.snapshot"
    ).values_list("sequence", "target_id", "data")
    existing = set(Snapshot.objects.values_list("pk", flat=True))
    for sequence, target_id, data in events.iterator(chunk_size=CHUNK):
        snapshot_id = int(target_id)
        if snapshot_id not in existing:
            yield Finding("snapshot", snapshot_id, f"tagen i händelse #{sequence}", "saknas")
            continue
        recorded = (data or {}).get("sha256") or {}
        stored = {
            kind: (pk, sha)
            for pk, kind, sha in SnapshotFile.objects.filter(snapshot_id=snapshot_id).values_list(
                "pk", "kind", "sha256"
            )
        }
        for kind, digest in sorted(recorded.items()):
            if kind not in stored:
                yield Finding(
                    "snapshot", snapshot_id, f"{kind} {digest} (händelse #{sequence})", "saknas"
                )
                continue
            pk, sha = stored[kind]
            if sha != digest:
                yield Finding("snapshot_file", pk, f"{kind} {digest} (händelse #{sequence})", sha)


def crosscheck_findings() -> Iterator[Finding]:
    disposed = set(DisposalLogEntry.objects.values_list("item_id", flat=True))
    receipts = _receipts()
    yield from _item_findings(receipts, disposed)
    yield from _version_findings(receipts, disposed)
    yield from _snapshot_findings()
