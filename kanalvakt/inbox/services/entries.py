"""The inbox entry of an item: opening it, correcting its intent, assigning and closing."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kanalvakt.audit.services import audit_record
from kanalvakt.inbox.events import InboxEvent
from kanalvakt.inbox.intent import Intent
from kanalvakt.inbox.models import (
    OPEN_STATES,
    EntryState,
    InboxEntry,
    Item,
)
from kanalvakt.inbox.services.common import (
    _claim,
    _notify,
    _pack,
    _require_handler,
    current_text,
)
from kanalvakt.inbox.services.deadlines import (
    _due,
    _initial_state,
)
from kanalvakt.notifications.models import NotificationKind
from kanalvakt.organisations.models import User
from kanalvakt.organisations.permissions import require_member

logger = logging.getLogger(__name__)


def entry_open(*, item: Item) -> InboxEntry:
    """Create the item's inbox entry: intent, due time, who answers. Once per item."""
    from kanalvakt.inbox.services.batch import entries_open

    (entry,) = entries_open(items=[item])
    return entry


@transaction.atomic
def entry_set_intent(*, actor: User, entry: InboxEntry, intent: str) -> InboxEntry:
    """A person corrects the intent; the due time and state follow the new intent."""
    _require_handler(actor, entry)
    if intent not in Intent.values:
        raise ValidationError(_("Okänd avsikt: %(intent)s") % {"intent": intent})
    entry = _claim(entry)
    old = {"intent": entry.intent, "state": entry.state, "due_at": entry.due_at}
    pack = _pack(entry.organisation)
    entry.intent = intent
    entry.intent_corrected_by = actor
    fields = ["intent", "intent_corrected_by"]
    if entry.state in (*OPEN_STATES, EntryState.NO_ANSWER_NEEDED):
        state = _initial_state(entry.item, pack, intent)
        if state == EntryState.NO_ANSWER_NEEDED:
            entry.state, entry.closed_at, entry.due_at = state, timezone.now(), None
        else:
            if entry.state == EntryState.NO_ANSWER_NEEDED:
                entry.state, entry.closed_at = EntryState.NEW, None
            entry.due_at, entry.deadline_rule, entry.deadline_text = _due(entry.item, pack, intent)
        fields += ["state", "closed_at", "due_at", "deadline_rule", "deadline_text"]
    entry.full_clean()
    entry.save(update_fields=fields)
    audit_record(
        actor=actor,
        organisation=entry.organisation,
        event_type=InboxEvent.ENTRY_INTENT_CORRECTED,
        target=entry,
        data={"old": old, "new": {"intent": intent, "state": entry.state, "due_at": entry.due_at}},
    )
    return entry


@transaction.atomic
def entry_assign(*, actor: User, entry: InboxEntry, to: User) -> InboxEntry:
    _require_handler(actor, entry)
    require_member(to, entry.organisation)
    entry = _claim(entry)
    old = entry.assigned_to.username if entry.assigned_to else None
    entry.assigned_to = to
    entry.routed_because = f"Tilldelat av {actor}."
    fields = ["assigned_to", "routed_because"]
    if entry.state == EntryState.NEW:
        entry.state = EntryState.ASSIGNED
        fields.append("state")
    entry.save(update_fields=fields)
    audit_record(
        actor=actor,
        organisation=entry.organisation,
        event_type=InboxEvent.ENTRY_ASSIGNED,
        target=entry,
        data={"old": old, "new": to.username},
    )
    if to.pk != actor.pk:
        words = {"name": actor, "account": entry.account}
        _notify(
            [to],
            NotificationKind.ASSIGNED,
            _("%(name)s har tilldelat dig ett meddelande på %(account)s") % words,
            current_text(entry.item)[:500],
            entry,
        )
    return entry


@transaction.atomic
def entry_close(*, actor: User, entry: InboxEntry, no_answer_needed: bool = False) -> InboxEntry:
    """Close an entry handled elsewhere, or mark that it needs no answer."""
    _require_handler(actor, entry)
    entry = _claim(entry)
    old = entry.state
    entry.state = EntryState.NO_ANSWER_NEEDED if no_answer_needed else EntryState.CLOSED
    entry.closed_at = timezone.now()
    entry.handled_by = actor
    entry.save(update_fields=["state", "closed_at", "handled_by"])
    audit_record(
        actor=actor,
        organisation=entry.organisation,
        event_type=InboxEvent.ENTRY_CLOSED,
        target=entry,
        data={"old": old, "new": entry.state},
    )
    return entry
