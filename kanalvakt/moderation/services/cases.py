"""Opening cases: from screening or by hand, self-harm escalation, hiding before a decision."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kanalvakt.audit.services import audit_record
from kanalvakt.inbox.models import Item
from kanalvakt.moderation.events import ModerationEvent
from kanalvakt.moderation.models import (
    CaseState,
    DecisionKind,
    ModerationCase,
    PlatformStatus,
    Screening,
    SuggestedAction,
)
from kanalvakt.moderation.screening.categories import CATEGORIES, SELF_HARM
from kanalvakt.moderation.screening.config import ScreeningConfig
from kanalvakt.moderation.services.common import may_moderate, notify
from kanalvakt.moderation.services.rules import (
    CRITICISM_INTENTS,
    CRITICISM_LOOKALIKES,
    deadline_hours,
    never_auto_hide,
    self_harm_support,
)
from kanalvakt.notifications.models import NotificationKind
from kanalvakt.organisations.models import User
from kanalvakt.organisations.selectors import users_with_role


def item_screen(item: Item, *, config: ScreeningConfig | None = None) -> Screening:
    """Screen an item's text and open a case when anything is found (MOD-1, MOD-2)."""
    from kanalvakt.moderation.batch import items_screen

    (screening,) = items_screen(items=[item], config=config)
    return screening


def _categories(screening: Screening) -> set[str]:
    return {str(finding["category"]) for finding in screening.findings}


def case_open(*, item: Item, screening: Screening, config: ScreeningConfig) -> ModerationCase:
    opened_at = timezone.now()
    hours = deadline_hours(item.organisation)
    case = ModerationCase.objects.create(
        organisation=item.organisation,
        account=item.account,
        item=item,
        suggested_action=screening.action,
        categories=sorted(_categories(screening)),
        opened_at=opened_at,
        due_at=max(item.received_at + datetime.timedelta(hours=hours), opened_at)
        if hours is not None
        else None,
    )
    audit_record(
        actor=None,
        organisation=item.organisation,
        event_type=ModerationEvent.CASE_OPENED,
        target=case,
        data={"due_at": case.due_at, "suggested": case.suggested_action},
    )
    if may_auto_hide(screening=screening, config=config, protected=_protected(item)):
        transaction.on_commit(lambda: _enqueue_auto_hide(case.pk))
    if SELF_HARM in case.categories:
        case_escalate_self_harm(case=case)
    return case


def case_escalate_self_harm(*, case: ModerationCase) -> None:
    """A comment that may be about self-harm goes to a person at once (issue 8).

    It is never removed for that; the case is due now and escalated, and the
    people the pack names are told, with the pack's supportive reply to use.
    """
    now = timezone.now()
    with transaction.atomic():
        ModerationCase.objects.filter(pk=case.pk).update(escalated_at=now, due_at=now)
        case.escalated_at = case.due_at = now
        roles, reply = self_harm_support(case.organisation)
        people: dict[int, User] = {}
        for role in roles:
            for user in users_with_role(organisation=case.organisation, role=role):
                people.setdefault(user.pk, user)
        audit_record(
            actor=None,
            organisation=case.organisation,
            event_type=ModerationEvent.SELF_HARM_ESCALATED,
            target=case,
            data={"to": [user.username for user in people.values()]},
        )
        notify(
            list(people.values()),
            NotificationKind.ESCALATED,
            _("Moderering: en kommentar på %(account)s kan handla om självskada")
            % {"account": case.account},
            _(
                "En kommentar kan handla om självskada. Svara personen så snart som möjligt med "
                "stöd; kommentaren ska inte tas bort för det. Förslag på svar:"
            )
            + "\n\n"
            + "\n\n".join(reply.values()),
            case,
        )


def _protected(item: Item) -> frozenset[str]:
    """Categories the machine must not hide for this item under the pack's never_auto_hide."""
    intents = never_auto_hide(item.organisation)
    if not intents:
        return frozenset()
    entry = getattr(item, "entry", None)
    intent = str(getattr(entry, "intent", "") or "")
    if intent and intent in intents:
        return frozenset(CATEGORIES)
    return CRITICISM_LOOKALIKES if intents & CRITICISM_INTENTS else frozenset()


def may_auto_hide(
    *,
    screening: Screening,
    config: ScreeningConfig,
    protected: frozenset[str] = CRITICISM_LOOKALIKES,
) -> bool:
    """The machine hides on its own only what the pack marks for it, never what it protects."""
    removable = [f for f in screening.findings if f.get("action") == SuggestedAction.REMOVE]
    if not removable:
        return False
    for finding in removable:
        category = str(finding["category"])
        rule = config.rule(category)
        if category in protected or rule is None or not rule.auto_hide:
            return False
    return True


def _enqueue_auto_hide(case_id: int) -> None:
    from kanalvakt.moderation.tasks import case_auto_hide

    case_auto_hide.enqueue(case_id)


def case_auto_hide(*, case: ModerationCase) -> None:
    """Hide a flagged item on the platform before a person decides (the pack allows it)."""
    from kanalvakt.moderation.platform import carry_out

    if case.auto_hidden_at is not None or case.state != CaseState.OPEN:
        return
    outcome = carry_out(item=case.item, kind=DecisionKind.HIDE)
    with transaction.atomic():
        if outcome.status == PlatformStatus.DONE:
            case.auto_hidden_at = timezone.now()
            case.save(update_fields=["auto_hidden_at"])
        audit_record(
            actor=None,
            organisation=case.organisation,
            event_type=ModerationEvent.CASE_AUTO_HIDDEN,
            target=case,
            data={"status": outcome.status, "detail": outcome.detail},
        )


def _deadline_from(start: datetime.datetime, hours: int | None) -> datetime.datetime | None:
    return start + datetime.timedelta(hours=hours) if hours is not None else None


@transaction.atomic
def case_open_by_hand(*, actor: User, item: Item) -> ModerationCase:
    """A person sends an item to the moderation queue (from the inbox)."""
    if not may_moderate(actor, item.account):
        raise PermissionDenied(
            _("Bara kontoansvarig, ersättare eller kommunikationschef skickar till moderering.")
        )
    existing = ModerationCase.objects.filter(item=item).first()
    if existing is not None:
        return existing
    opened_at = timezone.now()
    case = ModerationCase.objects.create(
        organisation=item.organisation,
        account=item.account,
        item=item,
        suggested_action=SuggestedAction.REVIEW,
        categories=[],
        opened_at=opened_at,
        due_at=_deadline_from(opened_at, deadline_hours(item.organisation)),
    )
    audit_record(
        actor=actor,
        organisation=item.organisation,
        event_type=ModerationEvent.CASE_OPENED,
        target=case,
        data={"due_at": case.due_at, "suggested": case.suggested_action, "by_hand": True},
    )
    return case
