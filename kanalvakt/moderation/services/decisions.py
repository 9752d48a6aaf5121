"""A person decides a case, the platform carries it out; the notice check (MOD-4, MOD-5)."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kanalvakt.audit.services import audit_record
from kanalvakt.inbox.models import Item
from kanalvakt.moderation.events import ModerationEvent
from kanalvakt.moderation.models import (
    CaseState,
    Decision,
    DecisionKind,
    ModerationCase,
    NoticeCheck,
    PlatformStatus,
)
from kanalvakt.moderation.services.common import may_moderate, notify
from kanalvakt.notifications.models import NotificationKind
from kanalvakt.organisations.models import User
from kanalvakt.register.models import Account


def case_decide(
    *,
    actor: User,
    case: ModerationCase,
    kind: DecisionKind,
    reason: str,
    categories: Sequence[str] = (),
    notice_text: str = "",
) -> Decision:
    """A person decides; the original is already kept, the platform action follows (MOD-4)."""
    if not may_moderate(actor, case.account):
        raise PermissionDenied(
            _("Bara kontoansvarig, ersättare eller kommunikationschef beslutar.")
        )
    if not reason.strip():
        raise ValidationError(_("Ange skälet till beslutet."))
    if kind == DecisionKind.REMOVE_AND_NOTIFY and not notice_text.strip():
        raise ValidationError(_("Skriv meddelandet till skribenten."))
    with transaction.atomic():
        case = ModerationCase.objects.select_for_update().get(pk=case.pk)
        hidden = case.auto_hidden_at is not None or case.decisions.filter(kind=DecisionKind.HIDE)
        if kind == DecisionKind.UNHIDE and not hidden:
            raise ValidationError(_("Meddelandet är inte dolt."))
        item = case.item
        needs_platform = kind not in (DecisionKind.KEEP, DecisionKind.REPORT)
        decision = Decision(
            case=case,
            kind=kind,
            reason=reason,
            categories=list(categories),
            notice_text=notice_text,
            decided_by=actor,
            decided_at=timezone.now(),
            item_sha256=item.raw_sha256,
            platform_status=PlatformStatus.PENDING if needs_platform else PlatformStatus.NOT_NEEDED,
        )
        decision.full_clean()
        decision.save()
        if case.state == CaseState.OPEN:
            case.state = CaseState.DECIDED
            case.decided_at = decision.decided_at
            case.save(update_fields=["state", "decided_at"])
        audit_record(
            actor=actor,
            organisation=case.organisation,
            event_type=ModerationEvent.CASE_DECIDED,
            target=case,
            data={
                "decision": kind,
                "reason": reason,
                "categories": list(categories),
                "item_sha256": item.raw_sha256,
            },
        )
        if kind in TAKEN_DOWN:
            _close_inbox_entry(actor=actor, item=item, decision=decision)
        elif kind == DecisionKind.UNHIDE:
            _reopen_inbox_entry(actor=actor, item=item, decision=decision)
        if needs_platform:
            transaction.on_commit(lambda: _enqueue_carry_out(decision.pk))
    return decision


TAKEN_DOWN = (DecisionKind.HIDE, DecisionKind.REMOVE, DecisionKind.REMOVE_AND_NOTIFY)


def _close_inbox_entry(*, actor: User, item: Item, decision: Decision) -> None:
    """A hidden or removed comment needs no answer: its inbox entry closes with a link here."""
    from kanalvakt.inbox.entries import entry_close_moderated
    from kanalvakt.inbox.models import InboxEntry

    entry = InboxEntry.objects.filter(item=item).first()
    if entry is not None:
        entry_close_moderated(actor=actor, entry=entry, decision_id=decision.pk)


def _reopen_inbox_entry(*, actor: User, item: Item, decision: Decision) -> None:
    from kanalvakt.inbox.entries import entry_reopen_unhidden
    from kanalvakt.inbox.models import InboxEntry

    entry = InboxEntry.objects.filter(item=item).first()
    if entry is not None:
        entry_reopen_unhidden(actor=actor, entry=entry, decision_id=decision.pk)


def _enqueue_carry_out(decision_id: int) -> None:
    from kanalvakt.moderation.tasks import decision_carry_out

    decision_carry_out.enqueue(decision_id)


def decision_carry_out(*, decision: Decision) -> Decision:
    """Run the platform action of a decision (outside any transaction) and record how it went."""
    from kanalvakt.moderation.platform import carry_out

    if decision.platform_status not in (PlatformStatus.PENDING, PlatformStatus.FAILED):
        return decision
    outcome = carry_out(
        item=decision.case.item, kind=decision.kind, notice_text=decision.notice_text
    )
    with transaction.atomic():
        decision.platform_status = outcome.status
        decision.platform_detail = outcome.detail
        decision.platform_done_at = (
            timezone.now() if outcome.status == PlatformStatus.DONE else None
        )
        decision.save(update_fields=["platform_status", "platform_detail", "platform_done_at"])
        audit_record(
            actor=None,
            organisation=decision.case.organisation,
            event_type=ModerationEvent.PLATFORM_ACTION,
            target=decision.case,
            data={"decision": decision.kind, "status": outcome.status, "detail": outcome.detail},
        )
        if outcome.status == PlatformStatus.FAILED:
            notify(
                [decision.decided_by],
                NotificationKind.PLATFORM_FAILED,
                _("Beslutet kunde inte utföras på plattformen: %(account)s")
                % {"account": decision.case.account},
                _("Öppna ärendet och försök igen, eller gör det direkt på plattformen."),
                decision.case,
            )
    return decision


@transaction.atomic
def notice_check_record(
    *, actor: User, account: Account, published: bool, url: str = ""
) -> NoticeCheck:
    """Record whether the account publishes the moderation notice, and where (MOD-5)."""
    if not may_moderate(actor, account):
        raise PermissionDenied(_("Bara kontoansvarig, ersättare eller kommunikationschef."))
    if published and not url.strip():
        raise ValidationError(_("Ange adressen där notisen är publicerad."))
    check, _created = NoticeCheck.objects.update_or_create(
        account=account,
        defaults={
            "published": published,
            "url": url,
            "checked_by": actor,
            "checked_at": timezone.now(),
        },
    )
    check.full_clean()
    audit_record(
        actor=actor,
        organisation=account.organisation,
        event_type=ModerationEvent.NOTICE_CHECKED,
        target=account,
        data={"published": published, "url": url},
    )
    return check
