"""Writes of the moderation queue: screening, cases, decisions, notices, the learned scorer."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
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
    ScoringModel,
    Screening,
    SuggestedAction,
)
from kanalvakt.moderation.screening.categories import CATEGORIES, SELF_HARM
from kanalvakt.moderation.screening.config import ScreeningConfig
from kanalvakt.moderation.screening.learned import Model, bundled, retrain
from kanalvakt.notifications.models import NotificationKind
from kanalvakt.organisations.models import Organisation, Role, User
from kanalvakt.organisations.selectors import users_with_role
from kanalvakt.organisations.services import user_is_absent
from kanalvakt.policies.pack import Pack
from kanalvakt.register.models import Account
from kanalvakt.register.selectors import account_authority

# Sharp criticism can look like these categories. When a pack's
# `moderation.never_auto_hide` names a criticism intent, the machine never hides
# them on its own: a person decides (MOD-5 of issue 4).
CRITICISM_LOOKALIKES = frozenset({"personal_attack", "defamation", "obscenity", "advertising"})
CRITICISM_INTENTS = frozenset({"factual_criticism", "unfair_criticism", "negative_feedback"})

MODERATOR_ROLES = (Role.ACCOUNT_OWNER, Role.SUBSTITUTE, Role.COMMS_LEAD)

# Who hears at once of a possible self-harm comment, and the reply to offer,
# when the pack does not say (issue 8; the packs' `moderation.self_harm`).
DEFAULT_SELF_HARM_ROLES = (Role.COMMS_LEAD, Role.ACCOUNT_OWNER)
DEFAULT_SELF_HARM_REPLY = {
    "sv": "Vi har läst det du skriver och vi bryr oss om hur du mår. Du är inte ensam. "
    "Ring Självmordslinjen på 90101 (dygnet runt) eller 1177. Är det akut, ring 112.",
    "fi": "Luimme viestisi ja välitämme siitä, miten voit. Et ole yksin. Soita MIELI ry:n "
    "kriisipuhelimeen 09 2525 0111. Hätätilanteessa soita 112.",
}


def _pack(organisation: Organisation) -> Pack | None:
    version = organisation.policy_version
    return version.pack if version is not None else None


def active_model() -> Model:
    """The model retrained from decisions, else the bundled one.

    A model stored in an earlier format (before issue 8) cannot be read by
    this scorer; the bundled model stands in until the next retraining.
    """
    stored = ScoringModel.objects.filter(active=True).first()
    if stored is None:
        return bundled()
    try:
        return Model.from_bytes(bytes(stored.data))
    except ValueError:
        return bundled()


def screening_config(organisation: Organisation, *, model: Model | None = None) -> ScreeningConfig:
    pack = _pack(organisation)
    model = model or active_model()
    if pack is None:
        return ScreeningConfig.default(model=model)
    return ScreeningConfig.from_pack(pack, model=model)


def deadline_hours(organisation: Organisation) -> int | None:
    """The pack's `moderation.deadline_hours`; None when the pack sets no deadline."""
    pack = _pack(organisation)
    value = pack.value("moderation.deadline_hours") if pack else None
    return int(value) if value else None


def _deadline_from(
    start: datetime.datetime, hours: int | None
) -> datetime.datetime | None:
    return start + datetime.timedelta(hours=hours) if hours is not None else None


def never_auto_hide(organisation: Organisation) -> frozenset[str]:
    """The intents the pack's `moderation.never_auto_hide` says the machine never hides."""
    pack = _pack(organisation)
    value = pack.value("moderation.never_auto_hide") if pack else None
    return frozenset(str(intent) for intent in value) if isinstance(value, list) else frozenset()


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


def self_harm_support(organisation: Organisation) -> tuple[list[str], dict[str, str]]:
    """Who the pack alerts about a possible self-harm comment, and its supportive reply."""
    pack = _pack(organisation)
    value = pack.value("moderation.self_harm") if pack else None
    if not isinstance(value, dict):
        return list(DEFAULT_SELF_HARM_ROLES), dict(DEFAULT_SELF_HARM_REPLY)
    roles = [str(role) for role in value.get("notify") or DEFAULT_SELF_HARM_ROLES]
    reply = {str(k): str(v) for k, v in (value.get("reply") or DEFAULT_SELF_HARM_REPLY).items()}
    return roles, reply


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
        _notify(
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


def may_moderate(user: User, account: Account) -> bool:
    """Whoever may act for the account (`account_authority`: a mandate where the pack asks)."""
    return bool(account_authority(user=user, account=account))


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
            _notify(
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


def labelled_examples() -> list[tuple[str, str | None]]:
    """Moderators' decisions as labelled data: confirmed categories, or none when kept (MOD-7)."""
    examples: list[tuple[str, str | None]] = []
    decisions = Decision.objects.select_related("case__item").exclude(kind=DecisionKind.UNHIDE)
    for decision in decisions.iterator(chunk_size=500):
        text = decision.case.item.text
        if decision.kind == DecisionKind.KEEP:
            examples.append((text, None))
        else:
            for category in decision.categories or decision.case.categories:
                examples.append((text, str(category)))
    return examples


def scoring_model_retrain(*, minimum_examples: int = 20) -> ScoringModel | None:
    """Retrain from the decisions; store the new model only if it measures better."""
    examples = labelled_examples()
    if len(examples) < minimum_examples:
        return None
    current = active_model()
    candidate = retrain(current, examples)
    with transaction.atomic():
        if candidate is None:
            stored = ScoringModel.objects.filter(active=True).first()
            if stored is not None:
                audit_record(
                    actor=None,
                    organisation=None,
                    event_type=ModerationEvent.MODEL_KEPT,
                    target=stored,
                    data={"examples": len(examples)},
                )
            return None
        ScoringModel.objects.filter(active=True).update(active=False)
        stored = ScoringModel.objects.create(
            version=candidate.version,
            data=candidate.to_bytes(),
            evaluation=candidate.evaluation,
            trained_on=len(examples),
            created_at=timezone.now(),
            active=True,
        )
        audit_record(
            actor=None,
            organisation=None,
            event_type=ModerationEvent.MODEL_TRAINED,
            target=stored,
            data={"version": candidate.version, "examples": len(examples)},
        )
    return stored


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
            _notify(
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
            _notify(
                leads + managers,
                NotificationKind.ESCALATED,
                _("Moderering: tidsgränsen har passerat för %(account)s")
                % {"account": case.account},
                _("Ett flaggat meddelande har inte fått något beslut inom policyns tid."),
                case,
            )
            escalated += 1
    return SweepResult(warned, escalated)


def _notify(
    recipients: Sequence[User], kind: str, subject: str, body: str, case: ModerationCase
) -> None:
    """Tell each person in the app and, by their preference, by e-mail."""
    from kanalvakt.notifications.services import notification_send_many

    notification_send_many(
        recipients=recipients,
        kind=kind,
        title=subject,
        body=body,
        url=reverse("moderation:case", kwargs={"slug": case.organisation.slug, "pk": case.pk}),
        organisation=case.organisation,
    )
