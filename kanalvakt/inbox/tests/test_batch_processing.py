"""Processing in batches (issue 12): bulk reads and writes, one audit event per step and batch."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import OrganisationWorld
from kanalvakt.audit.models import AuditEvent
from kanalvakt.audit.services import audit_facts_digest, audit_verify_chain
from kanalvakt.inbox import ingest
from kanalvakt.inbox.models import DeliverySource, InboxEntry, ItemProcessing
from kanalvakt.inbox.processing import items_process
from kanalvakt.inbox.tests.test_ingest import big_delivery
from kanalvakt.moderation.models import Screening
from kanalvakt.policies.tests.helpers import use_pack
from kanalvakt.records.models import Registration
from kanalvakt.register.models import Account

pytestmark = pytest.mark.django_db

STEP_EVENTS = {
    "item.screened": "items",
    "inbox_entry.opened": "entries",
    "record.registration_decided": "registrations",
}


def _stored(world: OrganisationWorld, count: int, suffix: str = "") -> list[int]:
    """`count` new comments stored from one delivery, their processing pending."""
    result = ingest.delivery_accept(
        organisation_id=world.organisation.pk,
        platform="facebook",
        source=DeliverySource.WEBHOOK,
        body=big_delivery(count, suffix=suffix),
    )
    ingest.delivery_ingest(delivery_id=result.delivery.pk)
    pending = ItemProcessing.objects.filter(processed_at__isnull=True).order_by("item_id")
    return list(pending.values_list("item_id", flat=True))


@pytest.fixture
def pending(world: OrganisationWorld, page: Account, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    use_pack(world.organisation, "overkalix")
    monkeypatch.setattr(ingest, "_enqueue_ingest", lambda delivery_id: None)
    monkeypatch.setattr(ingest, "_enqueue_batch", lambda item_ids: None)
    return _stored(world, 30)


def test_a_batch_writes_one_event_per_step_naming_every_item(pending: list[int]) -> None:
    before = AuditEvent.objects.count()
    assert items_process(item_ids=pending) == len(pending)

    assert InboxEntry.objects.filter(item_id__in=pending).count() == len(pending)
    assert Screening.objects.filter(item_id__in=pending).count() == len(pending)
    assert Registration.objects.filter(item_id__in=pending).count() == len(pending)
    events = AuditEvent.objects.filter(sequence__gt=before).order_by("sequence")
    by_type = {event.event_type: event for event in events}
    assert len(events) == len(STEP_EVENTS) == len(by_type)
    entries = dict(InboxEntry.objects.filter(item_id__in=pending).values_list("pk", "item_id"))
    for event_type, key in STEP_EVENTS.items():
        facts = by_type[event_type].data[key]
        assert by_type[event_type].data["count"] == len(pending)
        assert by_type[event_type].data["sha256"] == audit_facts_digest(facts)
        if key == "items":
            assert sorted(int(pk) for pk in facts) == pending
        else:
            assert sorted(int(fact["item"]) for fact in facts.values()) == pending
    opened = by_type["inbox_entry.opened"].data["entries"]
    assert {int(pk): fact["item"] for pk, fact in opened.items()} == entries
    assert {fact["intent"] for fact in opened.values()} == {"question"}
    assert audit_verify_chain().intact
    # Processed once: a second run finds nothing and writes nothing.
    assert items_process(item_ids=pending) == 0
    assert AuditEvent.objects.filter(sequence__gt=before).count() == len(STEP_EVENTS)


def test_statements_do_not_grow_with_the_batch_beyond_the_search_index(
    world: OrganisationWorld, pending: list[int]
) -> None:
    with CaptureQueriesContext(connection) as small:
        items_process(item_ids=pending[:5])
    with CaptureQueriesContext(connection) as large:
        items_process(item_ids=pending[5:])
    # Every read and write is one statement for the batch (COPY or executemany), the
    # search index's rows included: 25 items cost what 5 do.
    assert len(large) <= len(small) + 2, [query["sql"][:80] for query in large.captured_queries]


def test_an_edit_that_arrived_before_processing_decides_the_intent(pending: list[int]) -> None:
    from django.utils import timezone

    from kanalvakt.inbox.models import Item, ItemVersion

    item = Item.objects.get(pk=pending[7])
    ItemVersion.objects.create(
        item=item,
        text="Tack för en fantastisk dag i parken!",
        recorded_at=timezone.now(),
        raw=b"{}",
        raw_sha256="0" * 64,
    )
    items_process(item_ids=pending)

    intents = dict(InboxEntry.objects.filter(item_id__in=pending).values_list("item_id", "intent"))
    assert intents[item.pk] == "praise"
    assert {intents[pk] for pk in pending if pk != item.pk} == {"question"}


def test_a_change_to_a_batch_events_facts_breaks_the_chain(pending: list[int]) -> None:
    from kanalvakt.audit.tests.dba import triggers_off

    items_process(item_ids=pending)
    event = AuditEvent.objects.get(event_type="inbox_entry.opened")
    facts = dict(event.data)
    first = next(iter(facts["entries"]))
    facts["entries"][first]["assigned_to"] = "mallory"
    with triggers_off("audit_auditevent"):
        AuditEvent.objects.filter(pk=event.pk).update(data=facts)
    assert audit_verify_chain().first_broken_sequence == event.sequence


def test_items_read_in_a_batch_have_receipts_that_name_a_later_change(
    pending: list[int],
) -> None:
    from kanalvakt.audit.tests.dba import triggers_off
    from kanalvakt.inbox.models import Item
    from kanalvakt.records.verify import records_verify

    assert records_verify().mismatches == []
    with triggers_off("inbox_item"):
        Item.objects.filter(pk=pending[3]).update(text="Något helt annat.")
    assert [(m.kind, m.pk) for m in records_verify().mismatches] == [("item", pending[3])]
