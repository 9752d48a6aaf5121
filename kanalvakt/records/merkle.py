"""A Merkle root over the records of a period (RFC 6962 tree hashing).

Leaves are the records received in [start, end): deliveries, items, item
versions, snapshot files and archival packages, in a fixed order. Each leaf
holds what survives disposal (ids, times, the checksum taken at receipt), so a
checkpoint stays provable after lawful disposal; the fields disposal blanks
are covered by the seals in the audit chain instead. Deleting, adding or
changing any record of the period changes the root.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from kanalvakt.inbox.models import Delivery, Item, ItemVersion
from kanalvakt.records.models import ArchivePackage, SnapshotFile

CHUNK = 2000


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def merkle_root(leaves: Iterable[bytes]) -> tuple[str, int]:
    """RFC 6962 Merkle tree hash of the leaves, streamed; returns (hex root, leaf count).

    The stack holds one subtree per set bit of the count so far, so memory
    stays logarithmic in the number of leaves.
    """
    stack: list[tuple[int, bytes]] = []
    count = 0
    for data in leaves:
        count += 1
        size, digest = 1, leaf_hash(data)
        while stack and stack[-1][0] == size:
            left_size, left = stack.pop()
            size, digest = left_size + size, node_hash(left, digest)
        stack.append((size, digest))
    if not stack:
        return hashlib.sha256(b"").hexdigest(), 0
    digest = stack.pop()[1]
    while stack:
        digest = node_hash(stack.pop()[1], digest)
    return digest.hex(), count


def _moment(value: datetime) -> str:
    return value.astimezone(UTC).isoformat()


def _leaf(kind: str, values: dict[str, Any]) -> bytes:
    body = {"kind": kind, **values}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), default=str).encode()


@dataclass(frozen=True)
class Period:
    start: datetime
    end: datetime


def period_leaves(period: Period) -> Iterator[bytes]:
    """The leaves of every record whose time falls in the period, in a fixed order."""
    window = {"gte": period.start, "lt": period.end}
    deliveries = Delivery.objects.filter(
        received_at__gte=window["gte"], received_at__lt=window["lt"]
    ).order_by("pk")
    for pk, at, sha in deliveries.values_list("pk", "received_at", "sha256").iterator(CHUNK):
        yield _leaf("delivery", {"id": pk, "at": _moment(at), "sha256": sha})
    items = Item.objects.filter(
        received_at__gte=window["gte"], received_at__lt=window["lt"]
    ).order_by("pk")
    for pk, account, external, at, sha in items.values_list(
        "pk", "account_id", "external_id", "received_at", "raw_sha256"
    ).iterator(CHUNK):
        yield _leaf(
            "item",
            {
                "id": pk,
                "account": account,
                "external_id": external,
                "at": _moment(at),
                "sha256": sha,
            },
        )
    versions = ItemVersion.objects.filter(
        recorded_at__gte=window["gte"], recorded_at__lt=window["lt"]
    ).order_by("pk")
    for pk, item, at, deleted, sha in versions.values_list(
        "pk", "item_id", "recorded_at", "deleted", "raw_sha256"
    ).iterator(CHUNK):
        yield _leaf(
            "item_version",
            {"id": pk, "item": item, "at": _moment(at), "deleted": deleted, "sha256": sha},
        )
    files = SnapshotFile.objects.filter(
        snapshot__captured_at__gte=window["gte"], snapshot__captured_at__lt=window["lt"]
    ).order_by("pk")
    for pk, snapshot, kind, at, sha in files.values_list(
        "pk", "snapshot_id", "kind", "snapshot__captured_at", "sha256"
    ).iterator(CHUNK):
        yield _leaf(
            "snapshot_file",
            {"id": pk, "snapshot": snapshot, "kind": kind, "at": _moment(at), "sha256": sha},
        )
    packages = ArchivePackage.objects.filter(
        created_at__gte=window["gte"], created_at__lt=window["lt"]
    ).order_by("pk")
    for pk, at, sha in packages.values_list("pk", "created_at", "sha256").iterator(CHUNK):
        yield _leaf("archive_package", {"id": pk, "at": _moment(at), "sha256": sha})


def period_root(period: Period) -> tuple[str, int]:
    return merkle_root(period_leaves(period))
