"""Re-checking every checksum taken at receipt or at storage (REC-1).

Rows are read in chunks with only the columns needed; stored files are read
in 1 MiB blocks. Disposed items are checked against their tombstone instead:
their content must be empty and the tombstone must keep the checksum.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

from kanalvakt.inbox.models import Delivery, Item, ItemVersion
from kanalvakt.records.checkpoints import checkpoints_verify, published, trusted_keys
from kanalvakt.records.crosscheck import crosscheck_findings
from kanalvakt.records.models import (
    ArchivePackage,
    Checkpoint,
    DeliveryDisposal,
    Disclosure,
    DisposalLogEntry,
    SnapshotFile,
)
from kanalvakt.records.storage import stored_sha256

CHUNK = 500


@dataclass(frozen=True)
class Mismatch:
    kind: str
    pk: int
    expected: str
    found: str

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}: väntat {self.expected}, fann {self.found}"


@dataclass
class VerifyReport:
    checked: dict[str, int]
    mismatches: list[Mismatch]

    @property
    def ok(self) -> bool:
        return not self.mismatches


def _sha(data: bytes | memoryview) -> str:
    return hashlib.sha256(bytes(data)).hexdigest()


def _rows(report: VerifyReport) -> Iterator[Mismatch]:
    blanked = set(DeliveryDisposal.objects.values_list("delivery_id", flat=True))
    deliveries = Delivery.objects.values_list("pk", "pk", "body", "sha256")
    yield from _compare(report, "delivery", deliveries.iterator(chunk_size=CHUNK), blanked)
    disposed = set(DisposalLogEntry.objects.values_list("item_id", flat=True))
    items = Item.objects.values_list("pk", "pk", "raw", "raw_sha256")
    yield from _compare(report, "item", items.iterator(chunk_size=CHUNK), disposed)
    versions = ItemVersion.objects.values_list("pk", "item_id", "raw", "raw_sha256")
    yield from _compare(report, "item_version", versions.iterator(chunk_size=CHUNK), disposed)


def _compare(
    report: VerifyReport,
    kind: str,
    rows: Iterator[tuple[int, int, bytes | memoryview, str]],
    disposed: set[int],
) -> Iterator[Mismatch]:
    """Rows of (pk, the id a disposal is logged under, content, checksum taken): content
    that a disposal emptied is passed over; any other must still match its checksum."""
    for pk, owner, content, expected in rows:
        report.checked[kind] = report.checked.get(kind, 0) + 1
        if owner in disposed and not bytes(content):
            continue
        found = _sha(content)
        if found != expected:
            yield Mismatch(kind, pk, expected, found)


def _files(report: VerifyReport) -> Iterator[Mismatch]:
    named: list[tuple[str, int, str, str]] = []
    named += [
        ("snapshot_file", pk, n, s)
        for pk, n, s in SnapshotFile.objects.values_list("pk", "name", "sha256")
    ]
    for pk, pdf, pdf_sha, csv_name, csv_sha in Disclosure.objects.values_list(
        "pk", "pdf_name", "pdf_sha256", "csv_name", "csv_sha256"
    ):
        named += [("disclosure_pdf", pk, pdf, pdf_sha), ("disclosure_csv", pk, csv_name, csv_sha)]
    named += [
        ("archive_package", pk, n, s)
        for pk, n, s in ArchivePackage.objects.values_list("pk", "name", "sha256")
    ]
    for kind, pk, name, expected in named:
        report.checked[kind] = report.checked.get(kind, 0) + 1
        try:
            found = stored_sha256(name)
        except FileNotFoundError:
            found = "saknas"
        except OSError as error:
            found = f"oläsbar ({error})"
        if found != expected:
            yield Mismatch(kind, pk, expected, found)


def _against_the_chain(report: VerifyReport) -> Iterator[Mismatch]:
    """Each record against the checksums and seals the audit chain took at receipt."""
    for finding in crosscheck_findings():
        yield Mismatch(finding.kind, finding.pk, finding.expected, finding.found)


def _stored_checkpoints(report: VerifyReport) -> Iterator[Mismatch]:
    """The checkpoints kept in the database: signed by our key, and their records unchanged."""
    rows = list(Checkpoint.objects.order_by("number"))
    if not rows:
        return
    report.checked["checkpoint"] = len(rows)
    document = {"checkpoints": [published(row) for row in rows]}
    check = checkpoints_verify(document, trusted_keys(), against_database=False)
    for problem in check.problems:
        yield Mismatch("checkpoint", 0, "signerad och oförändrad", problem)


def records_verify() -> VerifyReport:
    report = VerifyReport(checked={}, mismatches=[])
    report.mismatches.extend(_rows(report))
    report.mismatches.extend(_files(report))
    report.mismatches.extend(_against_the_chain(report))
    report.mismatches.extend(_stored_checkpoints(report))
    return report
