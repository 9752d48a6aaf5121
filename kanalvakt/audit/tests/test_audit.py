from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from conftest import OrganisationWorld
from kanalvakt.audit.models import AuditEvent, EventType
from kanalvakt.audit.services import audit_record, audit_verify_chain
from kanalvakt.audit.tests.dba import triggers_off

pytestmark = pytest.mark.django_db


def _record(world: OrganisationWorld) -> None:
    """Record an event of the world's organisation (its unit created)."""
    audit_record(
        actor=None,
        organisation=world.organisation,
        event_type=EventType.UNIT_CREATED,
        target=world.unit,
    )


def test_events_are_chained(world: OrganisationWorld) -> None:
    events = list(AuditEvent.objects.order_by("sequence"))
    assert [e.sequence for e in events] == list(range(1, len(events) + 1))
    for before, after in zip(events, events[1:], strict=False):
        assert after.previous_hash == before.hash
    assert audit_verify_chain().intact


def test_changed_event_is_reported_with_its_number(world: OrganisationWorld) -> None:
    with triggers_off("audit_auditevent"):
        AuditEvent.objects.filter(sequence=3).update(data={"role": "comms_lead", "user": "mallory"})
    report = audit_verify_chain()
    assert report.first_broken_sequence == 3
    with pytest.raises(CommandError, match="#3"):
        call_command("verify_audit")


def test_removed_event_is_reported(world: OrganisationWorld) -> None:
    with triggers_off("audit_auditevent"):
        AuditEvent.objects.filter(sequence=2)._raw_delete(using="default")
    assert audit_verify_chain().first_broken_sequence == 2


def test_truncated_tail_is_reported(world: OrganisationWorld) -> None:
    last = AuditEvent.objects.order_by("-sequence").first()
    assert last is not None
    with triggers_off("audit_auditevent"):
        AuditEvent.objects.filter(pk=last.pk)._raw_delete(using="default")
    assert not audit_verify_chain().intact


def test_events_cannot_be_changed_or_deleted_through_the_model(world: OrganisationWorld) -> None:
    event = AuditEvent.objects.first()
    assert event is not None
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()


@pytest.mark.django_db(transaction=True)
def test_recording_outside_a_transaction_is_refused(world: OrganisationWorld) -> None:
    with pytest.raises(RuntimeError, match="transaction"):
        _record(world)


def test_event_rolls_back_with_the_change(world: OrganisationWorld) -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        _record(world)
        raise ZeroDivisionError
    assert AuditEvent.objects.count() == before
    assert audit_verify_chain().intact


def test_verify_audit_command_reports_intact(world: OrganisationWorld, capsys: object) -> None:
    call_command("verify_audit")
    assert "intact" in capsys.readouterr().out  # type: ignore[attr-defined]


def test_deferred_events_join_the_chain_at_the_end_of_the_block(world: OrganisationWorld) -> None:
    from kanalvakt.audit.models import AuditChainHead
    from kanalvakt.audit.services import audit_deferred

    head = AuditChainHead.objects.get()
    with transaction.atomic(), audit_deferred():
        for _ in range(3):
            _record(world)
        # Nothing is appended, and the head is not touched, until the block ends.
        assert AuditChainHead.objects.get().sequence == head.sequence
    events = list(AuditEvent.objects.filter(sequence__gt=head.sequence).order_by("sequence"))
    assert [event.sequence for event in events] == [head.sequence + n for n in (1, 2, 3)]
    assert events[0].previous_hash == head.hash
    assert audit_verify_chain().intact


def test_deferred_events_of_a_failed_block_are_dropped(world: OrganisationWorld) -> None:
    from kanalvakt.audit.services import audit_deferred

    before = AuditEvent.objects.count()
    with pytest.raises(ZeroDivisionError), transaction.atomic(), audit_deferred():
        _record(world)
        raise ZeroDivisionError
    assert AuditEvent.objects.count() == before
    with transaction.atomic():
        _record(world)
    assert AuditEvent.objects.count() == before + 1
    assert audit_verify_chain().intact
