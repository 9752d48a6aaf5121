"""Seals: a digest of a record's fields written into the audit event about it.

An app registers a sealer for a model (`"inbox.item"`); every audit event
whose target is such a row then carries `data["seal"]`, computed from the row
as the database returns it. The chain covers the seal, so a field changed
later no longer matches the seal written when the record arrived.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from django.db import models

Sealer = Callable[[models.Model], dict[str, Any]]

_SEALERS: dict[str, Sealer] = {}


def register_sealer(label: str, sealer: Sealer) -> None:
    _SEALERS[label] = sealer


BatchSealer = Callable[[list[int]], dict[str, dict[str, Any]]]
"""Receipts for many rows at once, by id: what one batch audit event carries instead
of one sealed event per row (`data["receipts"]`)."""

_BATCH_SEALERS: dict[str, BatchSealer] = {}


def register_batch_sealer(label: str, sealer: BatchSealer) -> None:
    _BATCH_SEALERS[label] = sealer


def receipts_of(label: str, ids: list[int]) -> dict[str, dict[str, Any]] | None:
    """The registered receipts for rows of `label` (None when no app registered any)."""
    sealer = _BATCH_SEALERS.get(label)
    return sealer(ids) if sealer is not None else None


def seal_of(target: models.Model) -> dict[str, Any] | None:
    sealer = _SEALERS.get(target._meta.label_lower)
    return sealer(target) if sealer is not None else None


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, bytes | memoryview):
        return hashlib.sha256(bytes(value)).hexdigest()
    return value


def fields_digest(values: Mapping[str, Any]) -> str:
    """SHA-256 of the fields in canonical JSON (sorted keys, UTC timestamps)."""
    body = {key: _plain(value) for key, value in values.items()}
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()
