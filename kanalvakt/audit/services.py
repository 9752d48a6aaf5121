"""Writing and verifying the audit log."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from kanalvakt.audit.models import AuditChainHead, AuditEvent
from kanalvakt.audit.seals import seal_of
from kanalvakt.organisations.models import Organisation, User

GENESIS_HASH = "0" * 64


def _canonical(
    *,
    sequence: int,
    created_at: datetime,
    organisation_id: int | None,
    actor_id: int | None,
    actor_label: str,
    event_type: str,
    target_type: str,
    target_id: str,
    target_label: str,
    data: dict[str, Any],
    previous_hash: str,
) -> bytes:
    body = {
        "sequence": sequence,
        "created_at": created_at.isoformat(),
        "organisation": organisation_id,
        "actor": actor_id,
        "actor_label": actor_label,
        "event_type": event_type,
        "target_type": target_type,
        "target_id": target_id,
        "target_label": target_label,
        "data": data,
        "previous_hash": previous_hash,
    }
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def _event_hash(event: AuditEvent) -> str:
    return hashlib.sha256(
        _canonical(
            sequence=event.sequence,
            created_at=event.created_at,
            organisation_id=event.organisation_id,
            actor_id=event.actor_id,
            actor_label=event.actor_label,
            event_type=event.event_type,
            target_type=event.target_type,
            target_id=event.target_id,
            target_label=event.target_label,
            data=event.data,
            previous_hash=event.previous_hash,
        )
    ).hexdigest()


def _json_safe(data: dict[str, Any]) -> dict[str, Any]:
    """Round-trip through JSON so the hashed form equals what the database returns."""
    result: dict[str, Any] = json.loads(json.dumps(data, default=str, ensure_ascii=False))
    return result


def audit_record(
    *,
    actor: User | None,
    organisation: Organisation | None,
    event_type: str,
    target: models.Model,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain. Must run inside the transaction of the change."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must be called inside the transaction of the change.")
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
    created_at = timezone.now()
    data = dict(data or {})
    seal = seal_of(target)
    if seal is not None:
        data["seal"] = seal
    # Timestamps are hashed at microsecond precision; keep what the database keeps.
    event = AuditEvent(
        sequence=head.sequence + 1,
        created_at=created_at,
        organisation=organisation,
        actor=actor,
        actor_label=str(actor) if actor is not None else "Kanalvakt",
        event_type=str(event_type),
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_label=str(target)[:300],
        data=_json_safe(data),
        previous_hash=head.hash,
    )
    event.hash = _event_hash(event)
    event.save()
    AuditChainHead.objects.filter(id=1).update(sequence=event.sequence, hash=event.hash)
    return event


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_broken_sequence: int | None
    reason: str

    @property
    def intact(self) -> bool:
        return self.first_broken_sequence is None


@dataclass(frozen=True)
class Anchor:
    """A chain position vouched for from outside the database (a signed checkpoint)."""

    sequence: int
    hash: str
    label: str


def audit_verify_chain(anchors: Sequence[Anchor] = ()) -> ChainReport:
    """Walk the chain from the start and report the first broken link.

    Besides each link, the head row must point at the last event, and every
    anchor must name an event that is still there with the same hash: a
    re-hashed or shortened chain is consistent in itself but not with them.
    """
    by_sequence = {anchor.sequence: anchor for anchor in anchors}
    previous_hash = GENESIS_HASH
    expected_sequence = 1
    checked = 0
    for event in AuditEvent.objects.order_by("sequence").iterator(chunk_size=2000):
        if event.sequence != expected_sequence:
            return ChainReport(checked, expected_sequence, f"event #{expected_sequence} is missing")
        if event.previous_hash != previous_hash:
            return ChainReport(checked, event.sequence, "does not point at the event before it")
        if _event_hash(event) != event.hash:
            return ChainReport(checked, event.sequence, "content does not match its hash")
        anchor = by_sequence.get(event.sequence)
        if anchor is not None and anchor.hash != event.hash:
            return ChainReport(
                checked,
                event.sequence,
                f"differs from {anchor.label}: the chain was rewritten at or before this event",
            )
        previous_hash = event.hash
        expected_sequence += 1
        checked += 1
    beyond = [anchor for anchor in anchors if anchor.sequence > checked]
    if beyond:
        anchor = min(beyond, key=lambda a: a.sequence)
        return ChainReport(
            checked,
            checked + 1,
            f"the chain ends at #{checked} but {anchor.label} vouches for #{anchor.sequence}",
        )
    head = AuditChainHead.objects.filter(id=1).first()
    if head is None and checked:
        return ChainReport(checked, checked + 1, "the head row is missing")
    if head is not None and (head.sequence != checked or head.hash != previous_hash):
        return ChainReport(
            checked, checked + 1, f"the head (#{head.sequence}) does not match the last event"
        )
    return ChainReport(checked, None, "")
