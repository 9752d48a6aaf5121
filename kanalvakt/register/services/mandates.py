"""Mandates to publish: granted by the role the pack names, anchored where it asks, revoked."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kanalvakt.audit.models import EventType
from kanalvakt.audit.services import audit_record
from kanalvakt.organisations.models import Organisation, Role, User
from kanalvakt.organisations.permissions import require_member, require_role
from kanalvakt.register.models import (
    Account,
    AccountStatus,
    Mandate,
)
from kanalvakt.register.selectors import mandate_granting_role
from kanalvakt.register.services.guards import require_same_organisation


def _mandate_granting_roles(organisation: Organisation) -> tuple[Role, ...]:
    """Who grants mandates (`mandates.granted_by`) and who appoints publishers
    (`mandates.publishers_appointed_by`); `account_authority` decides which counts."""
    pack = organisation.policy_version.pack if organisation.policy_version else None
    role = pack.value("mandates.granted_by", Role.MANAGER) if pack else Role.MANAGER
    appointing = mandate_granting_role(pack)
    return (Role(role),) if appointing in ("", role) else (Role(role), Role(appointing))


def mandate_anchoring_required(organisation: Organisation) -> bool:
    """The pack's `mandates.anchored_with` names someone the mandate is anchored with."""
    pack = organisation.policy_version.pack if organisation.policy_version else None
    return bool(pack and pack.value("mandates.anchored_with"))


@transaction.atomic
def mandate_grant(
    *,
    actor: User,
    organisation: Organisation,
    holder: User,
    accounts: list[Account],
    scope: str,
    anchored_with: str = "",
    anchored_on: datetime.date | None = None,
    valid_from: datetime.date,
    valid_until: datetime.date | None = None,
) -> Mandate:
    """A manager records a mandate to publish on the given accounts (REG-3)."""
    require_role(actor, organisation, *_mandate_granting_roles(organisation))
    require_member(holder, organisation)
    if not accounts:
        raise ValidationError(_("Ett uppdrag måste gälla minst ett konto."))
    require_same_organisation(organisation, *accounts)
    if any(account.status == AccountStatus.CLOSED for account in accounts):
        raise ValidationError(_("Ett stängt konto kan inte ingå i ett uppdrag."))
    if mandate_anchoring_required(organisation) and not (anchored_with.strip() and anchored_on):
        raise ValidationError(
            _("Policyn kräver att uppdraget förankras: ange hos vem och när det förankrades.")
        )
    mandate = Mandate(
        organisation=organisation,
        holder=holder,
        scope=scope,
        granted_by=actor,
        anchored_with=anchored_with,
        anchored_on=anchored_on,
        valid_from=valid_from,
        valid_until=valid_until,
    )
    mandate.full_clean()
    mandate.save()
    mandate.accounts.set(accounts)
    audit_record(
        actor=actor,
        organisation=organisation,
        event_type=EventType.MANDATE_GRANTED,
        target=mandate,
        data={
            "holder": holder.username,
            "accounts": [str(account) for account in accounts],
            "anchored_with": anchored_with,
            "valid_from": valid_from,
            "valid_until": valid_until,
        },
    )
    return mandate


@transaction.atomic
def mandate_revoke(*, actor: User, mandate: Mandate, reason: str) -> Mandate:
    require_role(actor, mandate.organisation, *_mandate_granting_roles(mandate.organisation))
    if mandate.revoked_at is not None:
        raise ValidationError(_("Uppdraget är redan återkallat."))
    if not reason.strip():
        raise ValidationError(_("Ange skälet till att uppdraget återkallas."))
    mandate.revoked_at = timezone.now()
    mandate.revoked_by = actor
    mandate.revoke_reason = reason
    mandate.full_clean()
    mandate.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    audit_record(
        actor=actor,
        organisation=mandate.organisation,
        event_type=EventType.MANDATE_REVOKED,
        target=mandate,
        data={"holder": mandate.holder.username, "reason": reason},
    )
    return mandate
