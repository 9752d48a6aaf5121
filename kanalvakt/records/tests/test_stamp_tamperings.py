"""Forgeries of a checkpoint's stored RFC 3161 time-stamp, done as a database administrator would.

The companions of `tamperings.py` (issue 11, finding 4) for the time-stamps:
two checkpoints are signed and stamped by a real authority on loopback and
published; then the stored stamp is changed with the trigger off. Each
forgery counts as named when `verify_records` or `verify_audit` (against the
published file) reports it. `bench/robustness/tamper.py` counts these too.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from kanalvakt.audit.tests.dba import triggers_off
from kanalvakt.records.checkpoints import checkpoint_create, published_json
from kanalvakt.records.models import Checkpoint, CheckpointStamp
from kanalvakt.records.tests.conftest import Receive
from kanalvakt.records.tests.tamperings import findings_in
from kanalvakt.records.tests.tsa import LocalTSA

STAMPS = "records_checkpointstamp"


pytestmark = pytest.mark.usefixtures("checkpoint_key")


@pytest.fixture
def published(
    tsa: LocalTSA, receive: Receive, django_capture_on_commit_callbacks: Callable[..., Any]
) -> dict[str, Any]:
    """Two checkpoints, each stamped, and the document published outside the database."""
    for text in ("Varför är det inte plogat på Storgatan?", "Tack för informationen!"):
        receive(text)
        with django_capture_on_commit_callbacks(execute=True):
            checkpoint_create(until=timezone.now())
    stamps = CheckpointStamp.objects.all()
    assert [stamp.status for stamp in stamps] == [CheckpointStamp.Status.STAMPED] * 2
    document: dict[str, Any] = json.loads(published_json())
    return document


def _stamp(number: int) -> CheckpointStamp:
    return CheckpointStamp.objects.get(checkpoint=Checkpoint.objects.get(number=number))


def _tamper_gen_time(token: bytes) -> bytes:
    """Change one digit of the genTime inside the signed TSTInfo."""
    position = token.index(b"\x18\x0f") + 2  # GeneralizedTime, 15 bytes: YYYYMMDDHHMMSSZ
    digits = bytearray(token)
    digits[position + 3] = ord("0") + (digits[position + 3] - ord("0") + 1) % 10
    return bytes(digits)


def tamper_gen_time() -> str:
    stamp = _stamp(1)
    with triggers_off(STAMPS):
        CheckpointStamp.objects.filter(pk=stamp.pk).update(
            token=_tamper_gen_time(bytes(stamp.token))
        )
    return "kontrollpunkt #1: tidsstämpelns innehåll har ändrats"


def swap_token() -> str:
    first, second = _stamp(1), _stamp(2)
    with triggers_off(STAMPS):
        CheckpointStamp.objects.filter(pk=second.pk).update(
            token=bytes(first.token), nonce=first.nonce, gen_time=first.gen_time
        )
    return "kontrollpunkt #2: tidsstämpeln gäller andra uppgifter"


def wrong_nonce() -> str:
    stamp = _stamp(1)
    with triggers_off(STAMPS):
        CheckpointStamp.objects.filter(pk=stamp.pk).update(nonce=str(int(stamp.nonce) + 1))
    return "kontrollpunkt #1: tidsstämpelns nonce"


def delete_stamp() -> str:
    with triggers_off(STAMPS):
        CheckpointStamp.objects.filter(pk=_stamp(1).pk).delete()
    return "kontrollpunkt #1: databasens tidsstämpel skiljer sig från den publicerade"


def mark_stamp_failed() -> str:
    with triggers_off(STAMPS):
        CheckpointStamp.objects.filter(pk=_stamp(2).pk).update(
            status=CheckpointStamp.Status.FAILED, token=b""
        )
    return "kontrollpunkt #2: databasens tidsstämpel skiljer sig från den publicerade"


STAMP_TAMPERINGS: dict[str, Callable[[], str]] = {
    "tamper the stored stamp's genTime": tamper_gen_time,
    "swap in another checkpoint's stamp": swap_token,
    "change the stored stamp's nonce": wrong_nonce,
    "delete the stored stamp": delete_stamp,
    "mark the stored stamp failed and empty its token": mark_stamp_failed,
}


def test_untouched_stamps_are_proved(published: dict[str, Any]) -> None:
    assert findings_in(published) == []


@pytest.mark.parametrize("name", list(STAMP_TAMPERINGS))
def test_each_stamp_forgery_is_named(
    published: dict[str, Any], name: str, record_property: Callable[[str, object], None]
) -> None:
    expected = STAMP_TAMPERINGS[name]()
    found = findings_in(published)
    named = [line for line in found if expected in line]
    assert named, (name, expected, found)
    record_property("named", named[0])
