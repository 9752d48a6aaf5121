"""Crisis mode (REG-11): the comms lead switches it on and off; the rest of the product asks.

`organisation_in_crisis(organisation)` is the question other apps ask (the
publishing app pauses scheduled posts while it is true; the inbox gives new
items the pack's `crisis.response_time`). Starting and ending are services
with an audit event in the same transaction.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kanalvakt.audit.services import audit_record
from kanalvakt.organisations.models import Organisation, Role, User
from kanalvakt.organisations.permissions import require_role
from kanalvakt.policies.events import PolicyEvent
from kanalvakt.policies.models import CrisisPeriod
from kanalvakt.policies.pack import Pack

DEFAULT_HOLDING_MESSAGE = (
    "Vi känner till situationen och arbetar med den. Vi återkommer med mer information "
    "så snart vi kan, här och på {organisation}s webbplats."
)


def current_crisis(organisation: Organisation) -> CrisisPeriod | None:
    return CrisisPeriod.objects.filter(organisation=organisation, ended_at__isnull=True).first()


def organisation_in_crisis(organisation: Organisation) -> bool:
    """True while the organisation is in crisis mode: scheduled posts must wait."""
    return CrisisPeriod.objects.filter(organisation=organisation, ended_at__isnull=True).exists()


def _pack(organisation: Organisation) -> Pack | None:
    version = organisation.policy_version
    return version.pack if version is not None else None


def crisis_response_time(organisation: Organisation) -> dict[str, Any] | None:
    """The pack's `crisis.response_time` deadline, or None when the pack has none."""
    pack = _pack(organisation)
    value = pack.value("crisis.response_time") if pack else None
    return value if isinstance(value, dict) and value.get("kind") else None


def holding_message_suggestion(organisation: Organisation, language: str = "sv") -> str:
    """The pack's `crisis.holding_message` in the language, else Kanalvakt's own text."""
    pack = _pack(organisation)
    texts = pack.value("crisis.holding_message") if pack else None
    text = texts.get(language) or texts.get("sv") if isinstance(texts, dict) else None
    return str(text or DEFAULT_HOLDING_MESSAGE).replace("{organisation}", organisation.name)


@transaction.atomic
def crisis_start(
    *, actor: User, organisation: Organisation, reason: str, holding_message: str = ""
) -> CrisisPeriod:
    """Switch the organisation into crisis mode. Only the comms lead may."""
    require_role(actor, organisation, Role.COMMS_LEAD)
    if not reason.strip():
        raise ValidationError(_("Ange anledningen till krisläget."))
    if organisation_in_crisis(organisation):
        raise ValidationError(_("Organisationen är redan i krisläge."))
    period = CrisisPeriod(
        organisation=organisation,
        reason=reason.strip(),
        holding_message=holding_message.strip() or holding_message_suggestion(organisation),
        started_at=timezone.now(),
        started_by=actor,
    )
    period.full_clean()
    try:
        with transaction.atomic():
            period.save()
    except IntegrityError as error:
        raise ValidationError(_("Organisationen är redan i krisläge.")) from error
    audit_record(
        actor=actor,
        organisation=organisation,
        event_type=PolicyEvent.CRISIS_STARTED,
        target=period,
        data={"reason": period.reason, "response_time": crisis_response_time(organisation)},
    )
    return period


@transaction.atomic
def crisis_end(*, actor: User, organisation: Organisation, note: str = "") -> CrisisPeriod:
    """Switch crisis mode off; scheduled posts may go out again."""
    require_role(actor, organisation, Role.COMMS_LEAD)
    period = (
        CrisisPeriod.objects.select_for_update()
        .filter(organisation=organisation, ended_at__isnull=True)
        .first()
    )
    if period is None:
        raise ValidationError(_("Organisationen är inte i krisläge."))
    period.ended_at = timezone.now()
    period.ended_by = actor
    period.end_note = note.strip()
    period.full_clean()
    period.save(update_fields=["ended_at", "ended_by", "end_note"])
    audit_record(
        actor=actor,
        organisation=organisation,
        event_type=PolicyEvent.CRISIS_ENDED,
        target=period,
        data={"started_at": period.started_at, "note": period.end_note},
    )
    return period


def crisis_history(organisation: Organisation) -> list[CrisisPeriod]:
    return list(
        CrisisPeriod.objects.filter(organisation=organisation).select_related(
            "started_by", "ended_by"
        )[:50]
    )
