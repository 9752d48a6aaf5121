"""Writing and verifying the audit log."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from django.db import connection, models, transaction
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


def _event_canonical(event: AuditEvent, data: dict[str, Any]) -> bytes:
    """The event's canonical body with `data` in place of its data."""
    return _canonical(
        sequence=event.sequence,
        created_at=event.created_at,
        organisation_id=event.organisation_id,
        actor_id=event.actor_id,
        actor_label=event.actor_label,
        event_type=event.event_type,
        target_type=event.target_type,
        target_id=event.target_id,
        target_label=event.target_label,
        data=data,
        previous_hash=event.previous_hash,
    )


def _event_hash(event: AuditEvent, data_text: str | None = None) -> str:
    """The event's hash; with `data_text` (its data's canonical JSON, encoded already) the
    data is not encoded again but put in its place in the canonical body."""
    if data_text is not None:
        head, tail = _canonical_around_data(event)
        digest = hashlib.sha256(head)
        digest.update(data_text.encode())
        digest.update(tail)
        return digest.hexdigest()
    return hashlib.sha256(_event_canonical(event, event.data)).hexdigest()


_DATA_MARK = b'"data":{}'


def _canonical_around_data(event: AuditEvent) -> tuple[bytes, bytes]:
    """The canonical body before and after the data's JSON. Outside the key, `"data":` cannot
    occur in it: every quote within a string value is escaped."""
    empty = _event_canonical(event, {})
    head, tail = empty.split(_DATA_MARK, 1)
    return head + b'"data":', tail


@dataclass(frozen=True)
class EncodedData:
    """An event's data and its canonical JSON (as `_canonical` writes it), encoded once:
    for a large batch event, ahead of the transaction (`audit_data_encode`)."""

    data: dict[str, Any]
    text: str


def audit_data_encode(data: dict[str, Any]) -> EncodedData:
    """`data` with its canonical JSON through orjson: the text `json.dumps(sort_keys=True,
    ensure_ascii=False, separators=(",", ":"))` gives, several times faster (a test keeps the
    two equal). Only for JSON's own values: str keys; str, int, bool, None, list, dict; no
    floats (orjson writes some of them differently)."""
    return EncodedData(data, orjson.dumps(data, option=orjson.OPT_SORT_KEYS).decode())


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
    plain: bool = False,
    encoded: EncodedData | None = None,
) -> AuditEvent:
    """Append one event to the chain. Must run inside the transaction of the change.

    Inside `audit_deferred` the event is appended when the block ends (and the
    returned event is not saved yet). `plain=True` promises that `data` holds
    only JSON's own values (str keys; str, int, bool, None, list, dict), which
    spares a large batch event the round trip through JSON. `encoded` (instead of
    `data`) is such data with its JSON encoded already (`audit_data_encode`): the
    event's hash and its row take that text, so the data is not encoded again.
    """

    def event_of(event_data: dict[str, Any]) -> AuditEvent:
        return AuditEvent(
            organisation=organisation,
            actor=actor,
            actor_label=str(actor) if actor is not None else "Kanalvakt",
            event_type=str(event_type),
            target_type=target._meta.label_lower,
            target_id=str(target.pk),
            target_label=str(target)[:300],
            data=event_data,
        )

    seal = seal_of(target)
    if encoded is not None and seal is None:
        return _record(event_of(encoded.data), encoded.text)
    if encoded is not None:  # the seal goes in the data: encode it with the seal
        data, plain = encoded.data, True
    data = dict(data or {})
    if seal is not None:
        data["seal"] = _json_safe(seal) if plain else seal
    return _record(event_of(data if plain else _json_safe(data)))


def audit_record_batch(
    *,
    actor: User | None,
    organisation: Organisation | None,
    event_type: str,
    target_type: str,
    target_ids: Sequence[int],
    label: str,
    data: dict[str, Any],
) -> AuditEvent:
    """One chained event for what a step did to many objects (issue 12): instead of one
    event, and one chain lock, per object. `data` carries the per-object facts, and
    a hash over them where a verifier recomputes it (`kanalvakt.inbox.batches`)."""
    ids = sorted(target_ids)
    return _record(
        AuditEvent(
            organisation=organisation,
            actor=actor,
            actor_label=str(actor) if actor is not None else "Kanalvakt",
            event_type=str(event_type),
            target_type=target_type,
            target_id=f"{ids[0]}..{ids[-1]}" if ids else "",
            target_label=label[:300],
            data=_json_safe({"count": len(ids), **data}),
        )
    )


def audit_facts_digest(facts: dict[str, Any]) -> str:
    """SHA-256 over a batch event's per-object facts, in canonical JSON (sorted keys)."""
    return hashlib.sha256(
        json.dumps(
            _json_safe(facts), sort_keys=True, ensure_ascii=False, separators=(",", ":")
        ).encode()
    ).hexdigest()


_pending = threading.local()


def _record(event: AuditEvent, data_text: str | None = None) -> AuditEvent:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must be called inside the transaction of the change.")
    waiting: list[tuple[AuditEvent, str | None]] | None = getattr(_pending, "events", None)
    if waiting is not None:
        waiting.append((event, data_text))
        return event
    _append([(event, data_text)])
    return event


@contextmanager
def audit_deferred() -> Iterator[None]:
    """Record the block's audit events at its end, taking the chain-head lock only then.

    For batch work (processing a batch of items): the work runs without the
    single chain lock, which is held only for appending the events and the
    commit. Use inside the transaction of the work, around code that does not
    swallow exceptions in savepoints (an event of a rolled-back savepoint
    would still be written). Nested use is the outer block.
    """
    if getattr(_pending, "events", None) is not None:
        yield
        return
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_deferred must be used inside the transaction of the change.")
    _pending.events = []
    try:
        yield
        events: list[tuple[AuditEvent, str | None]] = _pending.events
    finally:
        _pending.events = None
    _append(events)


def _append(events: list[tuple[AuditEvent, str | None]]) -> None:
    """Chain the events after the head (locked FOR UPDATE until commit) and store them.

    Each comes with its data's canonical JSON when that is encoded already (else None)."""
    if not events:
        return
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
    # Timestamps are hashed at microsecond precision; keep what the database keeps.
    created_at = timezone.now()
    sequence, previous_hash = head.sequence, head.hash
    for event, data_text in events:
        sequence += 1
        event.sequence, event.created_at, event.previous_hash = sequence, created_at, previous_hash
        event.hash = previous_hash = _event_hash(event, data_text)
    plain = [event for event, data_text in events if data_text is None]
    if len(plain) == 1:
        plain[0].save()
    elif plain:
        AuditEvent.objects.bulk_create(plain, batch_size=500)
    for event, data_text in events:
        if data_text is not None:
            _insert_encoded(event, data_text)
    AuditChainHead.objects.filter(id=1).update(sequence=sequence, hash=previous_hash)


def _insert_encoded(event: AuditEvent, data_text: str) -> None:
    """INSERT the event with its data as the JSON text given (not encoded again by the field)."""
    fields = [field for field in AuditEvent._meta.concrete_fields if not field.primary_key]
    values = [
        data_text
        if field.attname == "data"
        else field.get_db_prep_save(getattr(event, field.attname), connection)
        for field in fields
    ]
    postgresql = connection.vendor == "postgresql"
    cast = "::jsonb" if postgresql else ""
    marks = ", ".join(f"%s{cast}" if field.attname == "data" else "%s" for field in fields)
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    names = ", ".join(connection.ops.quote_name(str(field.column)) for field in fields)
    sql = f"INSERT INTO {table} ({names}) VALUES ({marks}) RETURNING id"  # noqa: S608 - names from the model
    with connection.cursor() as cursor:
        if postgresql:
            # The data as a bound parameter, not quoted into the statement (Django's
            # cursor binds on the client): hundreds of KB not escaped here, nor scanned
            # as a literal by the server.
            import psycopg

            with connection.wrap_database_errors, psycopg.Cursor(cursor.connection) as bound:
                bound.execute(sql, values)
                row = bound.fetchone()
        else:
            cursor.execute(sql, values)
            row = cursor.fetchone()
    assert row is not None
    event.pk = row[0]
    event._state.adding, event._state.db = False, connection.alias


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
