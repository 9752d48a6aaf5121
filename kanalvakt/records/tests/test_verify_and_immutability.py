"""REC-1: received items cannot be changed or deleted, and verify_records re-checks them."""

from __future__ import annotations

import hashlib

import pytest
from django.core.management import call_command
from django.db import DatabaseError, transaction
from django.utils import timezone

from kanalvakt.inbox.models import Delivery, Item, ItemVersion, RecordProtectedError
from kanalvakt.records.tests.conftest import Receive


def test_items_cannot_be_changed_or_deleted(receive: Receive) -> None:
    item = receive("Det är fel på vägen.")
    item.text = "ändrad"
    with pytest.raises(RecordProtectedError):
        item.save()
    with pytest.raises(RecordProtectedError):
        item.delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        Item.objects.filter(pk=item.pk).update(text="ändrad i smyg")
    with pytest.raises(DatabaseError), transaction.atomic():
        Item.objects.filter(pk=item.pk).update(raw=b"{}")
    assert Item.objects.get(pk=item.pk).text == "Det är fel på vägen."


def test_versions_cannot_be_changed(receive: Receive) -> None:
    item = receive("Första versionen")
    version = ItemVersion.objects.create(
        item=item,
        text="Andra",
        recorded_at=timezone.now(),
        raw=b"x",
        raw_sha256=hashlib.sha256(b"x").hexdigest(),
    )
    with pytest.raises(DatabaseError), transaction.atomic():
        ItemVersion.objects.filter(pk=version.pk).update(text="tredje")


def test_verify_records_passes_and_then_reports_a_mismatch(
    receive: Receive, capsys: pytest.CaptureFixture[str]
) -> None:
    receive("Det är fel på vägen.")
    call_command("verify_records")
    assert "Alla kontrollsummor stämmer" in capsys.readouterr().out
    item = Item.objects.first()
    assert item is not None
    Delivery.objects.create(
        organisation=item.organisation,
        platform="facebook",
        source="webhook",
        received_at=timezone.now(),
        body=b"what arrived",
        sha256="0" * 64,
    )
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_records")
    assert exit_info.value.code == 1
    assert "AVVIKELSE delivery" in capsys.readouterr().err


def test_backfill_decides_items_received_before_records_was_on(
    receive: Receive, capsys: pytest.CaptureFixture[str]
) -> None:
    from kanalvakt.records.models import Registration

    item = receive("Det är fel på vägen.")
    before = Registration.objects.get(item=item)
    Registration.objects.filter(item=item).delete()  # as if processed before records was on
    call_command("records_backfill")
    assert "1 meddelanden bedömda" in capsys.readouterr().out
    after = Registration.objects.get(item=item)
    assert (after.status, after.rule_path) == (before.status, before.rule_path)
    call_command("records_backfill")
    assert "0 meddelanden bedömda" in capsys.readouterr().out
