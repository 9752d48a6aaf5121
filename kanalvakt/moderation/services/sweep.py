"""Deadlines of open cases: warn the assignee before, escalate after (MOD-3)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kanalvakt.audit.services import audit_record
from kanalvakt.moderation.events import ModerationEvent
from kanalvakt.moderation.models import CaseState, ModerationCase
from kanalvakt.moderation.services.common import notify
from kanalvakt.notifications.models import NotificationKind
from kanalvakt.organisations.models import Role, User
from kanalvakt.organisations.selectors import users_with_role
from kanalvakt.organisations.services import user_is_absent

WARN_BEFORE = datetime.timedelta(hours=6)


def case_assignee(case: ModerationCase) -> User:
    """The account owner, or the named substitute while the owner is away."""
    account = case.account
    owner = account.responsible
    away = user_is_absent(user=owner, organisation=account.organisation, on=timezone.localdate())
    if away and account.substitute is not None:
        return account.substitute
    return owner


@dataclass(frozen=True)
class SweepResult:
    warned: int
    escalated: int


def cases_sweep(*, now: datetime.datetime | None = None) -> SweepResult:
    """Warn the assignee before the deadline passes and escalate after (MOD-3).

    Each case is claimed with a conditional UPDATE, so several workers running
    the sweep at once send each warning exactly once.
    """
    now = now or timezone.now()
    warned = escalated = 0
    open_cases = ModerationCase.objects.filter(state=CaseState.OPEN)
    for case in open_cases.filter(warned_at__isnull=True, due_at__lte=now + WARN_BEFORE):
        with transaction.atomic():
            claimed = ModerationCase.objects.filter(
                pk=case.pk, state=CaseState.OPEN, warned_at__isnull=True
            ).update(warned_at=now)
            if not claimed:
                continue
            assignee = case_assignee(case)
            audit_record(
                actor=None,
                organisation=case.organisation,
                event_type=ModerationEvent.CASE_WARNED,
                target=case,
                data={"to": assignee.username, "due_at": case.due_at},
            )
            words = {
                "due": f"{timezone.localtime(case.due_at):%Y-%m-%d %H:%M}",
                "account": case.account,
            }
            notify(
                [assignee],
                NotificationKind.MODERATION,
                _("Moderering: beslut senast %(due)s") % words,
                _(
                    "Ett meddelande på %(account)s väntar på beslut. Policyn kräver beslut "
                    "senast %(due)s."
                )
                % words,
                case,
            )
            warned += 1
    for case in open_cases.filter(escalated_at__isnull=True, due_at__lte=now):
        with transaction.atomic():
            claimed = ModerationCase.objects.filter(
                pk=case.pk, state=CaseState.OPEN, escalated_at__isnull=True
            ).update(escalated_at=now)
            if not claimed:
                continue
            leads = list(users_with_role(organisation=case.organisation, role=Role.COMMS_LEAD))
            managers = list(users_with_role(organisation=case.organisation, role=Role.MANAGER))
            audit_record(
                actor=None,
                organisation=case.organisation,
                event_type=ModerationEvent.CASE_ESCALATED,
                target=case,
                data={"to": [user.username for user in leads + managers]},
            )
            notify(
                leads + managers,
                NotificationKind.ESCALATED,
                _("Moderering: tidsgränsen har passerat för %(account)s")
                % {"account": case.account},
                _("Ett flaggat meddelande har inte fått något beslut inom policyns tid."),
                case,
            )
            escalated += 1
    return SweepResult(warned, escalated)
