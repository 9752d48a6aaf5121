"""The inbox as a work tool: reopening, closing after moderation, spam, bulk actions.

Each write is a service with an audit event in the same transaction. Bulk
actions run the single-entry service per entry, so the rules (who may handle
what) and the audit trail are the same as one at a time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kanalvakt.audit.services import audit_record
from kanalvakt.inbox.events import InboxEvent
from kanalvakt.inbox.models import OPEN_STATES, ClosedReason, EntryState, InboxEntry
from kanalvakt.inbox.services import entry_assign, entry_close
from kanalvakt.inbox.services.common import _claim, _require_handler
from kanalvakt.organisations.models import User


@transaction.atomic
def entry_reopen(*, actor: User, entry: InboxEntry) -> InboxEntry:
    """Open a closed entry again: it goes back to whoever it was assigned to."""
    _require_handler(actor, entry)
    entry = _claim(entry)
    if entry.state in OPEN_STATES:
        raise ValidationError(_("Ärendet är redan öppet."))
    old = {"state": entry.state, "closed_reason": entry.closed_reason}
    entry.state = EntryState.ASSIGNED if entry.assigned_to_id else EntryState.NEW
    entry.closed_at = None
    entry.closed_reason = ""
    entry.handled_by = None
    entry.save(update_fields=["state", "closed_at", "closed_reason", "handled_by"])
    audit_record(
        actor=actor,
        organisation=entry.organisation,
        event_type=InboxEvent.ENTRY_REOPENED,
        target=entry,
        data={"old": old, "new": entry.state},
    )
    return entry


@transaction.atomic
def entry_close_moderated(*, actor: User, entry: InboxEntry, decision_id: int) -> InboxEntry:
    """A moderator hid or removed the item: the entry needs no answer any more.

    Called from the moderation decision in the same transaction; the moderator
    need not be allowed to answer on the account to close it this way.
    """
    entry = _claim(entry)
    if entry.state not in OPEN_STATES:
        return entry
    old = entry.state
    entry.state = EntryState.NO_ANSWER_NEEDED
    entry.closed_at = timezone.now()
    entry.closed_reason = ClosedReason.MODERATED
    entry.handled_by = actor
    entry.save(update_fields=["state", "closed_at", "closed_reason", "handled_by"])
    audit_record(
        actor=actor,
        organisation=entry.organisation,
        event_type=InboxEvent.ENTRY_CLOSED,
        target=entry,
        data={"old": old, "new": entry.state, "reason": "moderated", "decision": decision_id},
    )
    return entry


@transaction.atomic
def entry_reopen_unhidden(*, actor: User, entry: InboxEntry, decision_id: int) -> InboxEntry:
    """A hidden comment shown again may need an answer again: reopen what moderation closed."""
    entry = _claim(entry)
    if entry.closed_reason != ClosedReason.MODERATED:
        return entry
    entry.state = EntryState.ASSIGNED if entry.assigned_to_id else EntryState.NEW
    entry.closed_at = None
    entry.closed_reason = ""
    entry.handled_by = None
    entry.save(update_fields=["state", "closed_at", "closed_reason", "handled_by"])
    audit_record(
        actor=actor,
        organisation=entry.organisation,
        event_type=InboxEvent.ENTRY_REOPENED,
        target=entry,
        data={"new": entry.state, "reason": "unhidden", "decision": decision_id},
    )
    return entry


@transaction.atomic
def entry_mark_spam(*, actor: User, entry: InboxEntry) -> InboxEntry:
    """Spam needs no answer; the item stays as received (it is a record)."""
    entry = entry_close(actor=actor, entry=entry, no_answer_needed=True)
    entry.closed_reason = ClosedReason.SPAM
    entry.save(update_fields=["closed_reason"])
    return entry


class BulkAction:
    ASSIGN = "assign"
    CLOSE = "close"
    MODERATE = "moderate"
    SPAM = "spam"
    ALL = (ASSIGN, CLOSE, MODERATE, SPAM)


@dataclass
class BulkResult:
    done: int = 0
    refused: list[str] = field(default_factory=list)


def entries_bulk(
    *,
    actor: User,
    entries: Sequence[InboxEntry],
    action: str,
    to: User | None = None,
) -> BulkResult:
    """Run one action on several entries; an entry the actor may not handle is reported."""
    from kanalvakt.moderation.services import case_open_by_hand

    if action not in BulkAction.ALL:
        raise ValidationError(_("Okänd åtgärd."))
    if action == BulkAction.ASSIGN and to is None:
        raise ValidationError(_("Välj vem ärendena ska tilldelas."))
    result = BulkResult()
    for entry in entries:
        try:
            if action == BulkAction.ASSIGN:
                assert to is not None
                entry_assign(actor=actor, entry=entry, to=to)
            elif action == BulkAction.CLOSE:
                entry_close(actor=actor, entry=entry, no_answer_needed=True)
            elif action == BulkAction.SPAM:
                entry_mark_spam(actor=actor, entry=entry)
            else:
                case_open_by_hand(actor=actor, item=entry.item)
        except (PermissionDenied, ValidationError) as error:
            reason = "; ".join(getattr(error, "messages", [str(error)]))
            result.refused.append(f"{entry.item.author_name or entry.pk}: {reason}")
            continue
        result.done += 1
    return result
