"""The sweep: warn before the due time passes and escalate after (INB-2)."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kanalvakt.audit.services import audit_record
from kanalvakt.inbox.events import InboxEvent
from kanalvakt.inbox.models import (
    OPEN_STATES,
    InboxEntry,
)
from kanalvakt.inbox.services.common import (
    _entry_path,
    _notify,
)
from kanalvakt.notifications.models import NotificationKind
from kanalvakt.organisations.models import Role
from kanalvakt.organisations.selectors import users_with_role

logger = logging.getLogger(__name__)


def warn_before() -> datetime.timedelta:
    """How long before the due time the assignee is reminded (KANALVAKT_INBOX_WARN_MINUTES)."""
    return datetime.timedelta(minutes=settings.INBOX_WARN_MINUTES)


@dataclass(frozen=True)
class SweepResult:
    warned: int
    escalated: int


def entries_sweep(*, now: datetime.datetime | None = None) -> SweepResult:
    """Warn before the due time passes and escalate after (INB-2).

    Each entry is claimed with a conditional UPDATE, so several workers
    sweeping at once warn and escalate each entry exactly once.
    """
    now = now or timezone.now()
    warned = escalated = 0
    open_entries = InboxEntry.objects.filter(state__in=OPEN_STATES, due_at__isnull=False)
    for entry_id in open_entries.filter(
        warned_at__isnull=True, due_at__gt=now, due_at__lte=now + warn_before()
    ).values_list("pk", flat=True)[:500]:
        with transaction.atomic():
            if not InboxEntry.objects.filter(
                pk=entry_id, state__in=OPEN_STATES, warned_at__isnull=True
            ).update(warned_at=now):
                continue
            entry = InboxEntry.objects.select_related(
                "organisation", "account", "assigned_to", "item"
            ).get(pk=entry_id)
            to = entry.assigned_to or entry.account.responsible
            due = timezone.localtime(entry.due_at) if entry.due_at else now
            audit_record(
                actor=None,
                organisation=entry.organisation,
                event_type=InboxEvent.ENTRY_WARNED,
                target=entry,
                data={"to": to.username, "due_at": entry.due_at},
            )
            words = {"due": f"{due:%Y-%m-%d %H:%M}", "account": entry.account}
            _notify(
                [to],
                NotificationKind.DUE_SOON,
                _("Svara senast %(due)s: %(account)s") % words,
                _("Ett meddelande på %(account)s ska enligt policyn besvaras senast %(due)s.")
                % words
                + f"\n\n{_('Ärendet i Kanalvakt:')} {_entry_path(entry)}\n",
                entry,
            )
            warned += 1
    for entry_id in open_entries.filter(escalated_at__isnull=True, due_at__lte=now).values_list(
        "pk", flat=True
    )[:500]:
        with transaction.atomic():
            if not InboxEntry.objects.filter(
                pk=entry_id, state__in=OPEN_STATES, escalated_at__isnull=True
            ).update(escalated_at=now):
                continue
            entry = InboxEntry.objects.select_related(
                "organisation", "account", "assigned_to", "item"
            ).get(pk=entry_id)
            people = list(users_with_role(organisation=entry.organisation, role=Role.COMMS_LEAD))
            people += [entry.account.responsible]
            if entry.assigned_to is not None:
                people.append(entry.assigned_to)
            addresses = sorted({user.email for user in people if user.email})
            audit_record(
                actor=None,
                organisation=entry.organisation,
                event_type=InboxEvent.ENTRY_OVERDUE,
                target=entry,
                data={"to": addresses, "due_at": entry.due_at},
            )
            words = {
                "due": f"{timezone.localtime(entry.due_at or now):%Y-%m-%d %H:%M}",
                "account": entry.account,
                "rule": entry.deadline_text,
            }
            _notify(
                sorted({user.pk: user for user in people}.values(), key=lambda u: u.username),
                NotificationKind.OVERDUE,
                _("Svarstiden har passerat: %(account)s") % words,
                _("Ett meddelande på %(account)s skulle ha besvarats senast %(due)s (%(rule)s).")
                % words
                + f"\n\n{_('Ärendet i Kanalvakt:')} {_entry_path(entry)}\n",
                entry,
            )
            escalated += 1
    return SweepResult(warned, escalated)
