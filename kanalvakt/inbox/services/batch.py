"""The inbox's processing steps on a batch of items (issue 12): bulk reads, bulk writes,
one chained audit event per step and organisation.

`entries_open` opens the entries of many items with one INSERT and one
`inbox_entry.opened` event per organisation, which lists each entry's facts
(what the event per entry used to say) and a hash over them. `entries_escalate`
reads the batch's entries and screenings once and raises escalations (rare)
one by one through `escalation_raise`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from kanalvakt.audit.services import audit_facts_digest, audit_record_batch
from kanalvakt.inbox import bulk
from kanalvakt.inbox.events import InboxEvent
from kanalvakt.inbox.intent import classify
from kanalvakt.inbox.models import EntryState, InboxEntry, Item, PublishedPost
from kanalvakt.inbox.routing import Route, route
from kanalvakt.inbox.services.common import _pack, current_text
from kanalvakt.inbox.services.deadlines import (
    PackReading,
    _due,
    _initial_state,
    item_is_imported,
)
from kanalvakt.organisations.models import Organisation, User
from kanalvakt.organisations.services import user_is_absent
from kanalvakt.policies.crisis import organisation_in_crisis


def by_organisation(items: Iterable[Item]) -> dict[int, list[Item]]:
    groups: dict[int, list[Item]] = {}
    for item in items:
        groups.setdefault(item.organisation_id, []).append(item)
    return groups


def _absent_cache(organisation: Organisation, today: datetime.date) -> Callable[[User], bool]:
    known: dict[int, bool] = {}

    def absent(user: User) -> bool:
        if user.pk not in known:
            known[user.pk] = user_is_absent(user=user, organisation=organisation, on=today)
        return known[user.pk]

    return absent


def _posts(items: Sequence[Item]) -> dict[tuple[int, str], PublishedPost]:
    """The published posts the items answer, in one query."""
    targets = {ext for item in items for ext in (item.parent_external_id, item.thread_id) if ext}
    if not targets:
        return {}
    found = PublishedPost.objects.filter(
        account_id__in={item.account_id for item in items}, external_id__in=targets
    ).select_related("published_by")
    return {(post.account_id, post.external_id): post for post in found}


@transaction.atomic
def entries_open(*, items: Sequence[Item]) -> list[InboxEntry]:
    """Open the inbox entries of a batch of items (intent, due time, who answers); once per
    item. Each item's `entry` is set, for the steps after this one."""
    found = InboxEntry.objects.filter(bulk.AnyOf(F("item_id"), [item.pk for item in items]))
    existing = {entry.item_id: entry for entry in found}
    fresh = [item for item in items if item.pk not in existing]
    created: list[InboxEntry] = []
    for organisation_items in by_organisation(fresh).values():
        created += _open_for_organisation(organisation_items)
    entries = {**existing, **{entry.item_id: entry for entry in created}}
    for item in items:
        item.entry = entries[item.pk]
    return [entries[item.pk] for item in items]


PREPARED_ENTRY = "prepared_entry"
"""The attribute on which `entries_prepare` leaves each item's unsaved entry."""


def entries_prepare(*, items: Sequence[Item]) -> None:
    """Work out each item's entry (intent, due time, who answers) without writing it: the
    processing step before its transaction (`kanalvakt.inbox.processing`)."""
    for organisation_items in by_organisation(items).values():
        for item, entry in zip(organisation_items, _entries_made(organisation_items), strict=True):
            setattr(item, PREPARED_ENTRY, entry)


def _entries_made(items: list[Item]) -> list[InboxEntry]:
    """The unsaved entries of one organisation's items."""
    organisation = items[0].organisation
    pack = _pack(organisation)
    today = timezone.localdate()
    in_crisis = organisation_in_crisis(organisation)
    absent = _absent_cache(organisation, today)
    posts = _posts(items)
    reading = PackReading(pack)
    owners: dict[int, Route] = {}
    now = timezone.now()
    entries = []
    new_entry = bulk.unsaved(InboxEntry)
    for item in items:
        classification = classify(current_text(item))
        intent = str(classification.intent)
        state = _initial_state(item, pack, intent, reading=reading)
        due, path, text = (
            _due(item, pack, intent, in_crisis=in_crisis, reading=reading)
            if state == EntryState.NEW
            else (None, "", "")
        )
        routed = route(item, pack=pack, today=today, absent=absent, posts=posts, owners=owners)
        entries.append(
            new_entry(
                organisation=organisation,
                account=item.account,
                item=item,
                state=state,
                intent=intent,
                intent_words=classification.words,
                due_at=due,
                deadline_rule=path,
                deadline_text=text,
                assigned_to=routed.user,
                routed_because=routed.because[:300],
                created_at=now,
                closed_at=now if state != EntryState.NEW else None,
            )
        )
    return entries


def _open_for_organisation(items: list[Item]) -> list[InboxEntry]:
    organisation = items[0].organisation
    prepared = [getattr(item, PREPARED_ENTRY, None) for item in items]
    entries = [entry for entry in prepared if entry is not None]
    if len(entries) < len(items):
        entries = _entries_made(items)
    bulk.rows_insert_by_item(entries)
    facts = {
        str(entry.pk): {
            "item": entry.item_id,
            "intent": entry.intent,
            "words": entry.intent_words,
            "due_at": entry.due_at,
            "deadline_rule": entry.deadline_rule,
            "assigned_to": entry.assigned_to.username if entry.assigned_to else None,
        }
        for entry in entries
    }
    audit_record_batch(
        actor=None,
        organisation=organisation,
        event_type=InboxEvent.ENTRY_OPENED,
        target_type="inbox.inboxentry",
        target_ids=[entry.pk for entry in entries],
        label=f"{len(entries)} ärenden i inkorgen",
        data={"entries": facts, "sha256": audit_facts_digest(facts)},
    )
    return entries


def entries_escalate(*, items: Sequence[Item]) -> int:
    """Raise the escalations a batch's texts (or screenings) call for; returns how many
    entries were escalated. Imported history and the account's own posts are not."""
    from kanalvakt.inbox.services.escalations import entry_escalate_automatically, matches_for

    escalated = 0
    for item in items:
        if item.by_account or item_is_imported(item):
            continue
        entry = getattr(item, "entry", None)
        if entry is not None and matches_for(item):
            entry.item = item
            escalated += bool(entry_escalate_automatically(entry=entry))
    return escalated
