"""Public records: registration, snapshots, disposal, records requests, packages.

Nothing here is ever hard-deleted (`delete()` refuses). Received items stay in
`inbox`; this app adds what the organisation decided about them.

One module per concern: `registration`, `snapshots`, `disposal`, `requests`
(records requests and disclosure), `packages`, `checkpoints`; `base` holds
`NeverDeleted`. Every model is importable from here.
"""

from kanalvakt.records.models.base import NeverDeleted
from kanalvakt.records.models.checkpoints import Checkpoint, CheckpointStamp
from kanalvakt.records.models.disposal import (
    DeliveryDisposal,
    DeliveryDisposalPermit,
    DisposalLogEntry,
    DisposalPermit,
    DisposalRun,
    LegalHold,
)
from kanalvakt.records.models.packages import ArchivePackage
from kanalvakt.records.models.registration import (
    Decision,
    RecordSeries,
    Registration,
    RegistrationStatus,
)
from kanalvakt.records.models.requests import Disclosure, RecordsRequest, Redaction
from kanalvakt.records.models.snapshots import Snapshot, SnapshotFile, SnapshotReason

__all__ = [
    "ArchivePackage",
    "Checkpoint",
    "CheckpointStamp",
    "Decision",
    "DeliveryDisposal",
    "DeliveryDisposalPermit",
    "Disclosure",
    "DisposalLogEntry",
    "DisposalPermit",
    "DisposalRun",
    "LegalHold",
    "NeverDeleted",
    "RecordSeries",
    "RecordsRequest",
    "Redaction",
    "Registration",
    "RegistrationStatus",
    "Snapshot",
    "SnapshotFile",
    "SnapshotReason",
]
