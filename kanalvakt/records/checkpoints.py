"""Checkpoints: the audit chain's head and a Merkle root of the period's records, signed.

Once a day (`records_checkpoint_daily`) a checkpoint covers the records that
arrived since the previous one and the chain's head at that moment. It is
signed with an Ed25519 key kept outside the database and published on every
public register page and in `.json`, and written into archival packages and
half-year snapshots. A copy held anywhere outside the database proves the
database against itself: `kanalvakt verify_audit --checkpoints FILE`.

A checkpoint writes no audit event of its own: it anchors the chain, and an
event about it would always sit beyond the head it vouches for.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from kanalvakt.audit.models import AuditChainHead, AuditEvent
from kanalvakt.audit.services import GENESIS_HASH, Anchor
from kanalvakt.records.merkle import Period, period_root
from kanalvakt.records.models import Checkpoint
from kanalvakt.records.signing import (
    key_id,
    key_path,
    public_key_b64,
    public_key_from_b64,
    signature_valid,
    signing_key,
)
from kanalvakt.records.stamps import (
    stamp_check,
    stamp_open,
    stamp_published,
    stamps_retry,
    trusted_roots,
)

FORMAT = "kanalvakt-checkpoint/1"
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def _iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat()


def canonical(statement: dict[str, Any]) -> str:
    return json.dumps(statement, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def start_of_today() -> datetime.datetime:
    today = timezone.localdate()
    return timezone.make_aware(datetime.datetime.combine(today, datetime.time()))


@transaction.atomic
def checkpoint_create(*, until: datetime.datetime | None = None) -> Checkpoint:
    """Sign the chain head now and the records since the last checkpoint up to `until`.

    `until` defaults to the start of today (local time): the daily job covers
    whole days, and transactions still open at midnight have long committed.
    """
    AuditChainHead.objects.select_for_update().get_or_create(id=1)
    last = Checkpoint.objects.order_by("-number").first()
    start = last.period_end if last else EPOCH
    end = max(until or start_of_today(), start)
    root, count = period_root(Period(start, end))
    sequence, head_hash = AuditEvent.objects.order_by("-sequence").values_list(
        "sequence", "hash"
    ).first() or (0, GENESIS_HASH)
    key = signing_key()
    public = key.public_key()
    public_id = key_id(public)
    now = timezone.now()
    number = (last.number if last else 0) + 1
    statement = {
        "format": FORMAT,
        "installation": settings.SITE_URL,
        "number": number,
        "created_at": _iso(now),
        "period": {"start": _iso(start), "end": _iso(end)},
        "audit_chain": {"sequence": sequence, "hash": head_hash},
        "records": {"count": count, "merkle_root": root},
        "previous": hashlib.sha256(last.statement.encode()).hexdigest() if last else None,
        "key_id": public_id,
    }
    text = canonical(statement)
    signature = key.sign(text.encode())
    checkpoint = Checkpoint.objects.create(
        number=number,
        created_at=now,
        period_start=start,
        period_end=end,
        chain_sequence=sequence,
        chain_hash=head_hash,
        record_count=count,
        merkle_root=root,
        key_id=public_id,
        public_key=public_key_b64(public),
        statement=text,
        signature=base64.b64encode(signature).decode(),
    )
    # Time-stamped in the background when an authority is configured (never blocks this).
    stamp_open(checkpoint)
    return checkpoint


def checkpoint_daily() -> Checkpoint | None:
    """The daily job: one checkpoint up to the start of today, unless there is one already."""
    created = None
    if not Checkpoint.objects.filter(period_end__gte=start_of_today()).exists():
        created = checkpoint_create()
    # Stamps still missing (the authority was down) are asked for again, in the background.
    stamps_retry(skip=created)
    return created


def published(checkpoint: Checkpoint) -> dict[str, Any]:
    """One checkpoint as published: the signed statement text, its signature and key,
    and its RFC 3161 time-stamp when one was asked for."""
    entry: dict[str, Any] = {
        "number": checkpoint.number,
        "statement": checkpoint.statement,
        "signature": checkpoint.signature,
        "public_key": checkpoint.public_key,
        "key_id": checkpoint.key_id,
    }
    stamp = stamp_published(checkpoint)
    if stamp is not None:
        entry["timestamp"] = stamp
    return entry


def published_document(limit: int | None = None) -> dict[str, Any]:
    """Every checkpoint (or the latest `limit`), oldest first, as one JSON document."""
    rows = Checkpoint.objects.select_related("stamp").order_by("-number")
    chosen = list(rows[:limit] if limit else rows)
    return {
        "format": "kanalvakt-checkpoints/1",
        "installation": settings.SITE_URL,
        "verify": "kanalvakt verify_audit --checkpoints FILE",
        "checkpoints": [published(c) for c in reversed(chosen)],
    }


def published_json(limit: int | None = None) -> bytes:
    return json.dumps(published_document(limit), ensure_ascii=False, indent=2).encode()


def latest() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-number").first()


@dataclass(frozen=True)
class CheckpointCheck:
    anchors: list[Anchor]
    problems: list[str]
    checked: int
    notes: list[str] = field(default_factory=list)
    """What holds and is worth saying: each time-stamp's time and authority."""


def own_public_key() -> Ed25519PublicKey | None:
    """The installation's own public key, when its private key file is at hand."""
    try:
        path = key_path()
    except ImproperlyConfigured:
        return None
    if not path.exists():
        return None
    return signing_key().public_key()


def _entries(document: Any) -> list[dict[str, Any]]:
    if isinstance(document, dict):
        document = document.get("checkpoints", [])
    if not isinstance(document, list):
        raise ValueError("not a list of checkpoints")
    return [entry for entry in document if isinstance(entry, dict)]


def checkpoints_verify(
    document: Any,
    trusted: Sequence[Ed25519PublicKey],
    *,
    against_database: bool = True,
    tsa_roots: list[x509.Certificate] | None = None,
) -> CheckpointCheck:
    """Check each published checkpoint's signature, then the records it vouches for.

    Returns the chain positions the valid ones vouch for (for
    `audit_verify_chain`) and every problem found, naming the checkpoint.
    """
    trusted_ids = {key_id(key): key for key in trusted}
    anchors: list[Anchor] = []
    problems: list[str] = []
    notes: list[str] = []
    roots = trusted_roots() if tsa_roots is None else tsa_roots
    stored = (
        {c.number: c for c in Checkpoint.objects.select_related("stamp")}
        if against_database
        else {}
    )
    entries = _entries(document)
    for entry in entries:
        text = str(entry.get("statement", ""))
        try:
            statement = json.loads(text)
            label = f"kontrollpunkt #{int(statement['number'])}"
        except (ValueError, KeyError, TypeError):
            problems.append("en kontrollpunkt går inte att läsa")
            continue
        key = trusted_ids.get(str(statement.get("key_id")))
        if key is None:
            problems.append(f"{label}: signerad med en nyckel som inte är betrodd")
            continue
        if not signature_valid(key, text.encode(), str(entry.get("signature", ""))):
            problems.append(f"{label}: signaturen stämmer inte")
            continue
        chain = statement["audit_chain"]
        anchors.append(Anchor(int(chain["sequence"]), str(chain["hash"]), label))
        problems.extend(_records_problems(label, statement))
        stamp = entry.get("timestamp")
        if isinstance(stamp, dict):
            stamp_problems, stamp_notes = stamp_check(label, text, statement, stamp, roots)
            problems.extend(stamp_problems)
            notes.extend(stamp_notes)
        if against_database:
            row = stored.get(int(statement["number"]))
            if row is None:
                problems.append(f"{label}: saknas i databasen")
            elif row.statement != text:
                problems.append(f"{label}: databasens exemplar skiljer sig från det publicerade")
            elif isinstance(stamp, dict) and stamp.get("token"):
                # Published with a token: the database must hold that very token. A
                # stamp deleted, marked failed or emptied is as much a change as a swap.
                ours = stamp_published(row) or {}
                if ours.get("token") != stamp["token"]:
                    problems.append(
                        f"{label}: databasens tidsstämpel skiljer sig från den publicerade"
                    )
    return CheckpointCheck(anchors, problems, len(entries), notes)


def _records_problems(label: str, statement: dict[str, Any]) -> list[str]:
    period = Period(
        datetime.datetime.fromisoformat(statement["period"]["start"]),
        datetime.datetime.fromisoformat(statement["period"]["end"]),
    )
    root, count = period_root(period)
    signed = statement["records"]
    if root == signed["merkle_root"] and count == signed["count"]:
        return []
    return [
        f"{label}: handlingarna {period.start:%Y-%m-%d %H:%M}–{period.end:%Y-%m-%d %H:%M} "
        f"har ändrats ({count} poster, Merkle-rot {root[:16]}…; signerat: {signed['count']} "
        f"poster, {str(signed['merkle_root'])[:16]}…)"
    ]


def trusted_keys(extra: Iterable[str] = ()) -> list[Ed25519PublicKey]:
    keys = [public_key_from_b64(value) for value in extra]
    own = own_public_key()
    if own is not None:
        keys.append(own)
    return keys
