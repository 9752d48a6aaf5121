"""Forwarding to a case officer, escalations (INB-5, INB-6) and the evidence export."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kanalvakt.audit.services import audit_record
from kanalvakt.inbox.events import InboxEvent
from kanalvakt.inbox.models import (
    OPEN_STATES,
    EntryState,
    Escalation,
    Forward,
    InboxEntry,
    Item,
)
from kanalvakt.inbox.services.common import (
    _claim,
    _entry_path,
    _mail,
    _message_facts,
    _notify,
    _pack,
    _require_handler,
    current_text,
    may_handle,
)
from kanalvakt.inbox.triggers import Trigger, TriggerMatch, detect
from kanalvakt.notifications.models import NotificationKind
from kanalvakt.organisations.models import Membership, Organisation, Role, User
from kanalvakt.organisations.permissions import has_role, require_member
from kanalvakt.organisations.selectors import users_with_role
from kanalvakt.policies.pack import Pack

logger = logging.getLogger(__name__)


# Forwarding to a case officer ------------------------------------------------


def forward_candidates(organisation: Organisation) -> list[User]:
    """Case officers first, then everyone else in the organisation."""
    memberships = Membership.objects.filter(organisation=organisation).select_related("user")
    officers = {m.user for m in memberships if m.role == Role.CASE_OFFICER}
    others = {m.user for m in memberships} - officers
    key = lambda user: (user.last_name, user.first_name, user.username)  # noqa: E731
    return sorted(officers, key=key) + sorted(others, key=key)


@transaction.atomic
def entry_forward(*, actor: User, entry: InboxEntry, to: User, note: str = "") -> Forward:
    """E-mail the item to a case officer and record that it was forwarded."""
    _require_handler(actor, entry)
    require_member(to, entry.organisation)
    if not to.email:
        raise ValidationError(_("%(name)s har ingen e-postadress.") % {"name": to})
    entry = _claim(entry)
    forward = Forward(
        entry=entry, sent_by=actor, to=to, to_email=to.email, note=note, sent_at=timezone.now()
    )
    forward.full_clean()
    forward.save()
    old = entry.state
    if entry.state in OPEN_STATES:
        entry.state = EntryState.FORWARDED
        entry.handled_by = actor
        entry.save(update_fields=["state", "handled_by"])
    audit_record(
        actor=actor,
        organisation=entry.organisation,
        event_type=InboxEvent.FORWARDED,
        target=entry,
        data={"to": to.username, "email": to.email, "old_state": old},
    )
    item = entry.item
    words = {"name": actor, "account": entry.account}
    body = (
        _("%(name)s har skickat vidare ett meddelande från %(account)s till dig.") % words
        + "\n\n"
        + _message_facts(item)
        + f"{_('Adress:')} {item.url or '–'}\n\n"
        + f"{current_text(item)}\n\n"
        + (f"{_('Meddelande från %(name)s:') % words}\n{note}\n\n" if note else "")
        + f"{_('Ärendet i Kanalvakt:')} {_entry_path(entry)}\n"
    )
    _mail([to.email], _("Vidarebefordrat från %(account)s") % words, body)
    _notify(
        [to],
        NotificationKind.FORWARDED,
        _("Vidarebefordrat från %(account)s") % {"account": entry.account},
        body,
        entry,
        email=False,
    )
    return forward


# Escalations ------------------------------------------------------------------

DEFAULT_ESCALATIONS: dict[str, dict[str, Any]] = {
    Trigger.THREAT_TO_STAFF: {"to": ["manager"], "urgency": "immediate", "evidence_export": True},
    Trigger.HARASSMENT_OF_STAFF: {
        "to": ["manager"],
        "urgency": "immediate",
        "evidence_export": True,
    },
    Trigger.BULLYING: {"to": ["manager", "police"], "urgency": "same_day", "evidence_export": True},
    Trigger.CRIME: {"to": ["manager", "police"], "urgency": "same_day", "evidence_export": True},
    Trigger.HARMFUL_CRITICISM: {
        "to": ["comms_lead"],
        "urgency": "same_day",
        "evidence_export": False,
    },
    Trigger.SECURITY_INCIDENT: {
        "to": ["manager", "it"],
        "urgency": "immediate",
        "evidence_export": True,
    },
}
SCREENING_TRIGGERS = {
    "threat": Trigger.THREAT_TO_STAFF,
    "sexual_harassment": Trigger.HARASSMENT_OF_STAFF,
    "incitement": Trigger.CRIME,
    "pornography": Trigger.CRIME,
}


def escalation_rule(pack: Pack | None, trigger: str) -> tuple[dict[str, Any], str]:
    """The pack's escalation for a trigger, else Kanalvakt's default (said so).

    A threat or harassment the pack has no rule for falls under its rule for
    crimes when it has one (olaga hot is a crime).
    """
    rules = {
        str((rule.value or {}).get("trigger")): rule
        for rule in (pack.rule_list("escalations") if pack else [])
    }
    fallback = {Trigger.THREAT_TO_STAFF: Trigger.CRIME, Trigger.HARASSMENT_OF_STAFF: Trigger.CRIME}
    rule = rules.get(trigger) or rules.get(fallback.get(Trigger(trigger), ""))
    if rule is not None:
        where = f" ({rule.source})" if rule.source else ""
        return dict(rule.value or {}), f"{rule.path}{where}"
    return DEFAULT_ESCALATIONS[trigger], "Kanalvaktsstandard: policyn säger inget om detta."


@transaction.atomic
def escalation_raise(
    *,
    actor: User | None,
    entry: InboxEntry,
    trigger: str,
    words: Sequence[str] = (),
    note: str = "",
) -> Escalation:
    """Lift an item to the people the pack names for the trigger, by e-mail at once."""
    if trigger not in Trigger.values:
        raise ValidationError(_("Okänd anledning: %(trigger)s") % {"trigger": trigger})
    if actor is not None:
        require_member(actor, entry.organisation)
    existing = Escalation.objects.filter(entry=entry, trigger=trigger).first()
    if existing is not None:
        return existing
    rule, where = escalation_rule(_pack(entry.organisation), trigger)
    roles = [str(role) for role in rule.get("to", [])]
    if rule.get("one_of"):
        # "närmaste chef eller informationschef": the first listed role that has someone.
        staffed = [
            role
            for role in roles
            if role not in Role.values
            or users_with_role(organisation=entry.organisation, role=role).exists()
        ]
        roles = staffed[:1] or roles[:1]
    people = {
        user
        for role in roles
        if role in Role.values
        for user in users_with_role(organisation=entry.organisation, role=role)
    }
    escalation = Escalation(
        entry=entry,
        trigger=trigger,
        words=list(words),
        recipients=roles,
        urgency=str(rule.get("urgency", "immediate")),
        evidence_export=bool(rule.get("evidence_export")),
        rule=where[:200],
        note=note,
        raised_by=actor,
        raised_at=timezone.now(),
    )
    escalation.full_clean()
    escalation.save()
    audit_record(
        actor=actor,
        organisation=entry.organisation,
        event_type=InboxEvent.ESCALATED,
        target=entry,
        data={
            "trigger": trigger,
            "words": list(words),
            "to": roles,
            "people": sorted(user.username for user in people),
            "rule": where,
        },
    )
    item = entry.item
    label = Trigger(trigger).label
    body = (
        _("Ett meddelande på %(account)s har lyfts till dig: %(reason)s.")
        % {"account": entry.account, "reason": label}
        + "\n"
        + (f"{_('Ord som utlöste:')} {', '.join(words)}\n" if words else "")
        + (f"{_('Anteckning:')} {note}\n" if note else "")
        + "\n"
        + _message_facts(item)
        + f"\n{current_text(item)}\n\n"
        + (
            _("Polisanmälan: exportera bevisen från ärendet i Kanalvakt.") + "\n"
            if "police" in roles
            else ""
        )
        + f"{_('Ärendet i Kanalvakt:')} {_entry_path(entry)}\n"
    )
    subject = (
        _("BRÅDSKANDE:") + " " if escalation.urgency == "immediate" else ""
    ) + f"{label} – {entry.account}"
    ordered = sorted(people, key=lambda user: user.username)
    urgent = escalation.urgency == "immediate"
    _notify(
        ordered, NotificationKind.ESCALATED, subject, body, entry, email=True if urgent else None
    )
    return escalation


def _screening_matches(item: Item) -> list[TriggerMatch]:
    """Threats and harassment the moderation screening found, when it ran before us."""
    try:
        screening = item.screening
    except (ObjectDoesNotExist, AttributeError):
        return []
    matches = []
    for finding in getattr(screening, "findings", None) or []:
        trigger = SCREENING_TRIGGERS.get(str(finding.get("category", "")))
        if trigger is not None:
            evidence = str(finding.get("evidence") or finding.get("span") or "")
            matches.append(TriggerMatch(trigger, [evidence] if evidence else []))
    return matches


@transaction.atomic
def entry_escalate_automatically(*, entry: InboxEntry) -> list[Escalation]:
    """Raise the escalations the item's text (or its screening) calls for."""
    if entry.item.by_account:
        return []
    return [
        escalation_raise(actor=None, entry=entry, trigger=trigger, words=words)
        for trigger, words in matches_for(entry.item).items()
    ]


def matches_for(item: Item) -> dict[str, list[str]]:
    """The triggers the item's text and its screening call for, with the words that did."""
    matches: dict[str, list[str]] = {}
    for match in [*detect(current_text(item)), *_screening_matches(item)]:
        matches.setdefault(match.trigger, [])
        matches[match.trigger] += [w for w in match.words if w not in matches[match.trigger]]
    return matches


@transaction.atomic
def evidence_export(*, actor: User, entry: InboxEntry) -> bytes:
    """The evidence ZIP for the item and its thread; the export is audited."""
    from kanalvakt.inbox.evidence import evidence_zip

    require_member(actor, entry.organisation)
    if not (may_handle(actor, entry) or has_role(actor, entry.organisation, Role.REGISTRAR)):
        raise PermissionDenied(_("Du får inte exportera bevis för det här kontot."))
    content = evidence_zip(entry, exported_by=str(actor))
    audit_record(
        actor=actor,
        organisation=entry.organisation,
        event_type=InboxEvent.EVIDENCE_EXPORTED,
        target=entry,
        data={"sha256": hashlib.sha256(content).hexdigest(), "bytes": len(content)},
    )
    return content
