"""What goes into an archival package: plain dataclasses, no Django.

The records app turns its rows into these and hands them to the builders.
`items` and `snapshots` are consumed exactly once, in order, so they may be
generators over a database cursor: nothing holds all items at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

_SHA256 = re.compile(r"[0-9a-f]{64}")
# Package ids become directory names and METS OBJIDs, so they are kept to a
# conservative alphabet (UUIDs, "UUID:…", "KS-2026-123" all fit).
_PACKAGE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,199}")


class PackageError(Exception):
    """The package cannot be built as asked; nothing is left in the output directory."""


@dataclass(frozen=True, slots=True)
class PackageItem:
    """One item received in service (a post, comment, reply or message).

    `raw` is the payload exactly as received: bytes, or a path to a file holding
    them. `raw_sha256` is the digest taken at receipt; the builders recompute it
    while copying and refuse to package a payload that no longer matches.
    """

    id: str
    platform: str
    account: str
    created_at: datetime
    author: str
    text: str
    raw: bytes | Path
    raw_sha256: str
    raw_mime_type: str = "application/json"


@dataclass(frozen=True, slots=True)
class SnapshotFile:
    """One file of an account snapshot (PDF/A, full-page PNG or WARC)."""

    path: Path
    mime_type: str
    account: str
    captured_at: datetime
    sha256: str


@dataclass(frozen=True, slots=True)
class PackageSpec:
    """Everything one package holds.

    `date_from`/`date_to` are the period the package covers (inclusive);
    they are descriptive and are not used to filter `items`.
    """

    organisation_name: str
    organisation_identifier: str
    package_id: str
    label: str
    date_from: date
    date_to: date
    items: Iterable[PackageItem]
    snapshots: Iterable[SnapshotFile] = field(default=())
    checkpoints: bytes = b""
    """The installation's signed checkpoints (JSON), written into the package as they are."""

    def check(self) -> None:
        """Raise PackageError for a spec no package can be built from."""
        if not _PACKAGE_ID.fullmatch(self.package_id):
            raise PackageError(
                f"package id {self.package_id!r} must be 1-200 characters of A-Z a-z 0-9 . _ : -"
                " starting with a letter or digit"
            )
        if not self.organisation_name.strip():
            raise PackageError("the organisation's name is empty")
        if not self.organisation_identifier.strip():
            raise PackageError("the organisation's identifier is empty")
        if self.date_to < self.date_from:
            raise PackageError(
                f"date range ends ({self.date_to}) before it starts ({self.date_from})"
            )


def check_sha256(value: str, what: str) -> str:
    """Return the digest in lower case, or raise PackageError if it is not one."""
    lowered = value.lower()
    if not _SHA256.fullmatch(lowered):
        raise PackageError(f"{what}: {value!r} is not a SHA-256 hex digest")
    return lowered
