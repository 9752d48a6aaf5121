"""RFC 3161 time-stamps of checkpoints, asked for in the background.

When `TSA_URL` is set, `checkpoint_create` adds a pending `CheckpointStamp`
and enqueues `checkpoint_stamp`, after its transaction commits. One attempt
posts a TimeStampReq (the SHA-256 of the checkpoint's statement, a fresh
nonce, the certificate asked for) through the outbound guard, connected to
the checked address only, and keeps the token if it verifies. A failed
attempt is retried with back-off (`RETRY_MINUTES`); after the last, the stamp
is `failed` and the daily checkpoint job tries it again. A checkpoint is never
held back or lost because the authority is down: it is signed and published
at once, its stamp shown as pending or failed until it arrives.
"""

from __future__ import annotations

import base64
import datetime
import logging
from pathlib import Path
from typing import Any

from cryptography import x509
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from kanalvakt.lib.netguard import OutboundRefused
from kanalvakt.lib.pinned import FetchFailed, TooLarge, TooSlow, pinned_request
from kanalvakt.records.models import Checkpoint, CheckpointStamp
from kanalvakt.records.tsp import (
    CONTENT_TYPE_QUERY,
    CONTENT_TYPE_REPLY,
    TimestampInvalid,
    load_roots,
    new_nonce,
    request_der,
    token_from_response,
    verify_token,
)

logger = logging.getLogger(__name__)

# Minutes to wait after the 1st, 2nd, … failed attempt; after the last, `failed`.
RETRY_MINUTES = (1, 5, 15, 60, 240)
MAX_RESPONSE_BYTES = 256 * 1024
# A token claiming a time this long before the checkpoint was signed is not believed.
CLOCK_SKEW = datetime.timedelta(minutes=10)


def tsa_url() -> str:
    return str(getattr(settings, "TSA_URL", "") or "")


def trusted_roots(path: str | Path | None = None) -> list[x509.Certificate]:
    """The TSA certificates or their CAs to trust (`TSA_CA_FILE`, PEM); [] when not set."""
    chosen = path if path is not None else str(getattr(settings, "TSA_CA_FILE", "") or "")
    if not chosen:
        return []
    try:
        return load_roots(Path(chosen).read_bytes())
    except (OSError, ValueError) as error:
        raise ImproperlyConfigured(f"KANALVAKT_TSA_CA_FILE {chosen}: {error}") from error


def stamp_open(checkpoint: Checkpoint) -> CheckpointStamp | None:
    """Within `checkpoint_create`'s transaction: a pending stamp, fetched once it commits."""
    url = tsa_url()
    if not url:
        return None
    stamp = CheckpointStamp.objects.create(checkpoint=checkpoint, tsa_url=url)
    transaction.on_commit(lambda: _enqueue(stamp.pk))
    return stamp


def _enqueue(stamp_id: int, *, after: datetime.datetime | None = None) -> None:
    from kanalvakt.records.tasks import checkpoint_stamp

    task = checkpoint_stamp
    if after is not None:
        if not task.get_backend().supports_defer:
            return  # the daily job tries again
        task = task.using(run_after=after)
    try:
        task.enqueue(stamp_id)
    except Exception:  # noqa: BLE001 - the stamp stays pending; the daily job tries again
        logger.exception("Could not enqueue the time-stamp of checkpoint stamp %s", stamp_id)


def stamp_attempt(stamp_id: int) -> CheckpointStamp:
    """Ask the authority once. The HTTP exchange holds no database lock."""
    stamp = CheckpointStamp.objects.select_related("checkpoint").get(pk=stamp_id)
    if stamp.status == CheckpointStamp.Status.STAMPED:
        return stamp
    message = stamp.checkpoint.statement.encode()
    nonce = new_nonce()
    try:
        token, gen_time, tsa_name = _ask(stamp.tsa_url, message, nonce)
        if gen_time < stamp.checkpoint.created_at - CLOCK_SKEW:
            raise TimestampInvalid("tidsstämpelns tid ligger före kontrollpunkten")
    except (OutboundRefused, FetchFailed, TooLarge, TooSlow, TimestampInvalid) as error:
        return _failed(stamp, _describe(error))
    updated = (
        CheckpointStamp.objects.filter(pk=stamp.pk)
        .exclude(status=CheckpointStamp.Status.STAMPED)
        .update(
            status=CheckpointStamp.Status.STAMPED,
            attempts=stamp.attempts + 1,
            last_attempt_at=timezone.now(),
            last_error="",
            nonce=str(nonce),
            token=token,
            gen_time=gen_time,
            tsa_name=tsa_name[:500],
        )
    )
    if not updated:
        logger.info("Checkpoint stamp %s was stamped by another attempt", stamp.pk)
    return CheckpointStamp.objects.get(pk=stamp.pk)


def _describe(error: Exception) -> str:
    if isinstance(error, TooLarge):
        return "svaret från tidsstämpelservern är för stort"
    if isinstance(error, TooSlow):
        return "tidsstämpelservern svarade inte i tid"
    return str(error) or type(error).__name__


def _ask(url: str, message: bytes, nonce: int) -> tuple[bytes, datetime.datetime, str]:
    response = pinned_request(
        "POST",
        url,
        headers={"Content-Type": CONTENT_TYPE_QUERY, "Accept": CONTENT_TYPE_REPLY},
        body=request_der(message, nonce),
        timeout=30.0,
        max_bytes=MAX_RESPONSE_BYTES,
    )
    if response.status != 200:
        raise FetchFailed(f"tidsstämpelservern svarade {response.status} {response.reason}")
    token = token_from_response(response.body)
    stamp = verify_token(token, message, nonce=nonce, roots=trusted_roots())
    return token, stamp.gen_time, stamp.tsa_name


def _failed(stamp: CheckpointStamp, reason: str) -> CheckpointStamp:
    attempts = stamp.attempts + 1
    give_up = attempts >= len(RETRY_MINUTES) + 1
    CheckpointStamp.objects.filter(pk=stamp.pk).exclude(
        status=CheckpointStamp.Status.STAMPED
    ).update(
        status=CheckpointStamp.Status.FAILED if give_up else CheckpointStamp.Status.PENDING,
        attempts=attempts,
        last_attempt_at=timezone.now(),
        last_error=reason[:500],
    )
    logger.warning(
        "Time-stamp of checkpoint #%s failed (attempt %s): %s",
        stamp.checkpoint.number,
        attempts,
        reason,
    )
    if not give_up:
        wait = datetime.timedelta(minutes=RETRY_MINUTES[attempts - 1])
        _enqueue(stamp.pk, after=timezone.now() + wait)
    return CheckpointStamp.objects.get(pk=stamp.pk)


def stamps_retry(*, skip: Checkpoint | None = None) -> int:
    """The daily job: enqueue one more attempt for every stamp not yet stamped.

    `skip` is a checkpoint just signed, whose first attempt is already queued.
    Returns how many were enqueued.
    """
    waiting = CheckpointStamp.objects.exclude(status=CheckpointStamp.Status.STAMPED)
    if skip is not None:
        waiting = waiting.exclude(checkpoint=skip)
    count = 0
    for stamp_id in waiting.order_by("pk").values_list("pk", flat=True):
        _enqueue(stamp_id)
        count += 1
    return count


def stamp_published(checkpoint: Checkpoint) -> dict[str, Any] | None:
    """The stamp as published next to the checkpoint, or None when none was asked for."""
    try:
        stamp = checkpoint.stamp
    except CheckpointStamp.DoesNotExist:
        return None
    if stamp.status != CheckpointStamp.Status.STAMPED:
        return {"status": stamp.status, "tsa": stamp.tsa_url}
    return {
        "status": stamp.status,
        "tsa": stamp.tsa_url,
        "format": "rfc3161",
        "imprint": "sha256(statement)",
        "nonce": stamp.nonce,
        "gen_time": stamp.gen_time.isoformat() if stamp.gen_time else None,
        "token": base64.b64encode(bytes(stamp.token)).decode(),
    }


def stamp_check(
    label: str,
    text: str,
    statement: dict[str, Any],
    published: dict[str, Any],
    roots: list[x509.Certificate],
) -> tuple[list[str], list[str]]:
    """A published checkpoint's time-stamp: (problems, notes), each naming the checkpoint."""
    status = str(published.get("status", ""))
    if status != CheckpointStamp.Status.STAMPED:
        return [], [f"{label}: tidsstämpel {status or 'saknas'} ({published.get('tsa', '')})"]
    try:
        token = base64.b64decode(str(published.get("token", "")), validate=True)
        nonce = int(str(published.get("nonce", "")))
        stamp = verify_token(token, text.encode(), nonce=nonce, roots=roots)
    except (ValueError, TimestampInvalid) as error:
        return [
            f"{label}: {error}"
            if isinstance(error, TimestampInvalid)
            else f"{label}: tidsstämpeln går inte att läsa"
        ], []
    created = datetime.datetime.fromisoformat(str(statement.get("created_at")))
    if stamp.gen_time < created - CLOCK_SKEW:
        return [f"{label}: tidsstämpelns tid ligger före kontrollpunkten"], []
    trust = "" if stamp.trusted else " (certifikatet är inte kontrollerat mot någon betrodd rot)"
    return [], [f"{label}: tidsstämplad {stamp.gen_time.isoformat()} av {stamp.tsa_name}{trust}"]
