"""Writes to the account register: accounts, admins, mandates, requests, profile checks."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kanalvakt.audit.models import EventType
from kanalvakt.audit.services import audit_record
from kanalvakt.organisations.models import Organisation, Role, Unit, User
from kanalvakt.organisations.permissions import has_role, require_member, require_role
from kanalvakt.register.attestations import attested_rules
from kanalvakt.register.models import (
    Account,
    AccountAdmin,
    AccountRequest,
    AccountStatus,
    Mandate,
    ProfileCheck,
    RequestKind,
    RequestStatus,
    RequestStep,
)
from kanalvakt.register.selectors import mandate_granting_role
from kanalvakt.register.steps import STEPS, steps_for

ACCOUNT_EDITABLE_FIELDS = (
    "display_name",
    "url",
    "purpose",
    "audience",
    "languages",
    "contact",
    "credentials_location",
    "two_factor_enabled",
    "password_changed_on",
    "login_email_kind",
)


def _require_same_organisation(organisation: Organisation, *objects: Any) -> None:
    for obj in objects:
        if obj is not None and getattr(obj, "organisation_id", organisation.pk) != organisation.pk:
            raise PermissionDenied(_("Objektet tillhör en annan organisation."))


def _require_account_manager(actor: User, account: Account) -> None:
    """The comms lead, and the account's own responsible person, manage an account."""
    if actor.pk == account.responsible_id:
        return
    require_role(actor, account.organisation, Role.COMMS_LEAD)


@transaction.atomic
def account_create(
    *,
    actor: User | None,
    organisation: Organisation,
    unit: Unit,
    platform: str,
    handle: str,
    display_name: str,
    url: str,
    purpose: str,
    audience: str,
    responsible: User,
    contact: str,
    languages: list[str] | None = None,
    substitute: User | None = None,
    status: str = AccountStatus.REQUESTED,
    opened_on: datetime.date | None = None,
) -> Account:
    """Enter an account in the register (REG-1). Accounts already running enter as active."""
    if actor is not None:
        require_role(actor, organisation, Role.COMMS_LEAD)
    return _account_insert(
        actor=actor,
        organisation=organisation,
        unit=unit,
        platform=platform,
        handle=handle,
        display_name=display_name,
        url=url,
        purpose=purpose,
        audience=audience,
        responsible=responsible,
        contact=contact,
        languages=languages,
        substitute=substitute,
        status=status,
        opened_on=opened_on,
    )


def _account_insert(
    *,
    actor: User | None,
    organisation: Organisation,
    unit: Unit,
    platform: str,
    handle: str,
    display_name: str,
    url: str,
    purpose: str,
    audience: str,
    responsible: User,
    contact: str,
    languages: list[str] | None,
    substitute: User | None,
    status: str,
    opened_on: datetime.date | None,
) -> Account:
    _require_same_organisation(organisation, unit)
    for person in (responsible, substitute):
        if person is not None:
            require_member(person, organisation)
    account = Account(
        organisation=organisation,
        unit=unit,
        platform=platform,
        handle=handle,
        display_name=display_name,
        url=url,
        purpose=purpose,
        audience=audience,
        responsible=responsible,
        contact=contact,
        languages=languages or ["sv"],
        substitute=substitute,
        status=status,
        opened_on=opened_on,
    )
    account.full_clean()
    account.save()
    audit_record(
        actor=actor,
        organisation=organisation,
        event_type=EventType.ACCOUNT_CREATED,
        target=account,
        data={"platform": platform, "handle": handle, "status": status},
    )
    return account


@transaction.atomic
def account_update(*, actor: User, account: Account, **changes: Any) -> Account:
    """Change the descriptive and hygiene fields of an account."""
    _require_account_manager(actor, account)
    unknown = set(changes) - set(ACCOUNT_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Fälten kan inte ändras här: {', '.join(sorted(unknown))}")
    old = {field: getattr(account, field) for field in changes}
    for field, value in changes.items():
        setattr(account, field, value)
    account.full_clean()
    account.save(update_fields=[*changes, "updated_at"])
    audit_record(
        actor=actor,
        organisation=account.organisation,
        event_type=EventType.ACCOUNT_UPDATED,
        target=account,
        data={"old": old, "new": changes},
    )
    return account


REGISTER_FIELDS = (
    "display_name",
    "url",
    "purpose",
    "audience",
    "purpose_fi",
    "audience_fi",
    "languages",
    "contact",
)


def may_edit_register(user: User, account: Account) -> bool:
    """The comms lead, the account's responsible person and its admins."""
    if user.pk == account.responsible_id or account.admins.filter(user=user).exists():
        return True
    return has_role(user, account.organisation, Role.COMMS_LEAD)


@transaction.atomic
def account_register_update(*, actor: User, account: Account, **changes: Any) -> Account:
    """Change what the public register says about an account; the register shows the date."""
    if not may_edit_register(actor, account):
        raise PermissionDenied(
            _("Bara kommunikationschefen, kontoansvarig och kontots administratörer ändrar.")
        )
    unknown = set(changes) - set(REGISTER_FIELDS)
    if unknown:
        raise ValueError(f"Fälten kan inte ändras här: {', '.join(sorted(unknown))}")
    changed = {field: value for field, value in changes.items() if getattr(account, field) != value}
    if not changed:
        return account
    old = {field: getattr(account, field) for field in changed}
    for field, value in changed.items():
        setattr(account, field, value)
    account.register_changed_at = timezone.now()
    account.full_clean()
    account.save(update_fields=[*changed, "register_changed_at", "updated_at"])
    audit_record(
        actor=actor,
        organisation=account.organisation,
        event_type=EventType.ACCOUNT_UPDATED,
        target=account,
        data={"old": old, "new": changed, "register": True},
    )
    return account


@transaction.atomic
def account_admin_add(
    *, actor: User, account: Account, user: User, is_web_manager: bool = False
) -> AccountAdmin:
    _require_account_manager(actor, account)
    require_member(user, account.organisation)
    admin, created = AccountAdmin.objects.get_or_create(
        account=account, user=user, defaults={"is_web_manager": is_web_manager}
    )
    if not created and admin.is_web_manager != is_web_manager:
        admin.is_web_manager = is_web_manager
        admin.save(update_fields=["is_web_manager"])
    audit_record(
        actor=actor,
        organisation=account.organisation,
        event_type=EventType.ACCOUNT_ADMIN_ADDED,
        target=account,
        data={"user": user.username, "web_manager": is_web_manager},
    )
    return admin


@transaction.atomic
def account_admin_remove(*, actor: User, admin: AccountAdmin) -> None:
    account = admin.account
    _require_account_manager(actor, account)
    audit_record(
        actor=actor,
        organisation=account.organisation,
        event_type=EventType.ACCOUNT_ADMIN_REMOVED,
        target=account,
        data={"user": admin.user.username},
    )
    admin.delete()


@transaction.atomic
def account_set_substitute(*, actor: User, account: Account, substitute: User | None) -> Account:
    """Name the person who covers the account while its owner is away (REG-4, INB-3)."""
    _require_account_manager(actor, account)
    if substitute is not None:
        require_member(substitute, account.organisation)
        if substitute.pk == account.responsible_id:
            raise ValidationError(_("Ersättaren kan inte vara den kontoansvariga själv."))
    old = str(account.substitute) if account.substitute else None
    account.substitute = substitute
    account.save(update_fields=["substitute", "updated_at"])
    audit_record(
        actor=actor,
        organisation=account.organisation,
        event_type=EventType.ACCOUNT_SUBSTITUTE_SET,
        target=account,
        data={"old": old, "new": str(substitute) if substitute else None},
    )
    return account


@transaction.atomic
def account_record_publication(
    *, actor: User | None, account: Account, published_at: datetime.datetime
) -> Account:
    """Note that the account was updated, which keeps it from being passive (REG-6)."""
    if account.last_published_at is not None and account.last_published_at >= published_at:
        return account
    account.last_published_at = published_at
    account.save(update_fields=["last_published_at", "updated_at"])
    audit_record(
        actor=actor,
        organisation=account.organisation,
        event_type=EventType.ACCOUNT_PUBLISHED,
        target=account,
        data={"published_at": published_at},
    )
    return account


@transaction.atomic
def profile_check_record(
    *, actor: User, account: Account, requirement: str, satisfied: bool, note: str = ""
) -> ProfileCheck:
    """Record whether the account's profile meets one requirement of the pack (REG-7)."""
    _require_account_manager(actor, account)
    pack = account.organisation.policy_version.pack if account.organisation.policy_version else None
    known = {rule.value.get("key") for rule in pack.rule_list("profile")} if pack else set()
    known |= {rule.path for rule in attested_rules(pack)}
    if requirement not in known:
        raise ValidationError(
            _("Policyn har inget profilkrav som heter %(name)s.") % {"name": repr(requirement)}
        )
    check, _created = ProfileCheck.objects.update_or_create(
        account=account,
        requirement=requirement,
        defaults={
            "satisfied": satisfied,
            "note": note,
            "checked_by": actor,
            "checked_at": timezone.now(),
        },
    )
    audit_record(
        actor=actor,
        organisation=account.organisation,
        event_type=EventType.PROFILE_CHECK_RECORDED,
        target=account,
        data={"requirement": requirement, "satisfied": satisfied, "note": note},
    )
    return check


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
    _require_same_organisation(organisation, *accounts)
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


def _create_steps(request: AccountRequest, keys: list[str]) -> None:
    RequestStep.objects.bulk_create(
        RequestStep(request=request, key=key, position=position)
        for position, key in enumerate(keys)
    )


@transaction.atomic
def account_request_open(
    *,
    actor: User,
    organisation: Organisation,
    unit: Unit,
    platform: str,
    handle: str,
    display_name: str,
    url: str,
    need: str,
    goals: str,
    audience: str,
    content: str,
    responsible: User,
    contact: str,
    languages: list[str] | None = None,
) -> AccountRequest:
    """Ask to open an account; the pack's opening steps follow (REG-5)."""
    require_member(actor, organisation)
    for missing, text in (
        (_("Ange behov för det nya kontot."), need),
        (_("Ange mål för det nya kontot."), goals),
        (_("Ange målgrupp för det nya kontot."), audience),
        (_("Ange innehåll för det nya kontot."), content),
    ):
        if not text.strip():
            raise ValidationError(missing)
    account = _account_insert(
        actor=actor,
        organisation=organisation,
        unit=unit,
        platform=platform,
        handle=handle,
        display_name=display_name,
        url=url,
        purpose=goals,
        audience=audience,
        responsible=responsible,
        contact=contact,
        languages=languages,
        substitute=None,
        status=AccountStatus.REQUESTED,
        opened_on=None,
    )
    request = AccountRequest(
        organisation=organisation,
        account=account,
        kind=RequestKind.OPEN,
        need=need,
        goals=goals,
        audience=audience,
        content=content,
        requested_by=actor,
        submitted_at=timezone.now(),
    )
    request.full_clean()
    request.save()
    keys = steps_for(organisation, RequestKind.OPEN)
    _create_steps(request, keys)
    audit_record(
        actor=actor,
        organisation=organisation,
        event_type=EventType.ACCOUNT_REQUEST_SUBMITTED,
        target=request,
        data={"kind": "open", "account": str(account), "steps": keys},
    )
    if "stated_need" in keys:
        request_step_complete(
            actor=actor, step=request.steps.get(key="stated_need"), note=need[:200]
        )
    return request


@transaction.atomic
def account_request_close(*, actor: User, account: Account, reason: str) -> AccountRequest:
    """Ask to close an account; the pack's closing steps follow (REG-5, REG-6)."""
    _require_account_manager(actor, account)
    if account.status != AccountStatus.ACTIVE:
        raise ValidationError(_("Bara ett aktivt konto kan begäras stängt."))
    if not reason.strip():
        raise ValidationError(_("Ange varför kontot ska stängas."))
    request = AccountRequest(
        organisation=account.organisation,
        account=account,
        kind=RequestKind.CLOSE,
        reason=reason,
        requested_by=actor,
        submitted_at=timezone.now(),
    )
    request.full_clean()
    request.save()
    keys = steps_for(account.organisation, RequestKind.CLOSE)
    _create_steps(request, keys)
    account.status = AccountStatus.CLOSING
    account.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        organisation=account.organisation,
        event_type=EventType.ACCOUNT_REQUEST_SUBMITTED,
        target=request,
        data={"kind": "close", "account": str(account), "reason": reason, "steps": keys},
    )
    if not keys:
        _request_finish(actor=actor, request=request)
    return request


def step_allowed(user: User, step: RequestStep) -> bool:
    """Whether the user may carry out this step of a request."""
    definition = STEPS[step.key]
    request = step.request
    if definition.requester_may and user.pk == request.requested_by_id:
        return True
    return has_role(user, request.organisation, *definition.roles)


@transaction.atomic
def request_step_complete(*, actor: User, step: RequestStep, note: str = "") -> RequestStep:
    """Mark one approval or notice as done; the request completes when all are."""
    request = AccountRequest.objects.select_for_update().get(pk=step.request_id)
    if request.status != RequestStatus.PENDING:
        raise ValidationError(_("Begäran är redan avgjord."))
    step = RequestStep.objects.get(pk=step.pk)
    if step.done_at is not None:
        raise ValidationError(_("Steget är redan klart."))
    if not step_allowed(actor, step):
        raise PermissionDenied(_("Du får inte utföra det här steget."))
    definition = STEPS[step.key]
    if definition.note_required and not note.strip():
        raise ValidationError(definition.note_help)
    earlier_open = request.steps.filter(position__lt=step.position, done_at__isnull=True)
    if definition.ordered and earlier_open.exists():
        raise ValidationError(_("Tidigare steg måste vara klara först."))
    step.done_at = timezone.now()
    step.done_by = actor
    step.note = note
    step.save(update_fields=["done_at", "done_by", "note"])
    audit_record(
        actor=actor,
        organisation=request.organisation,
        event_type=EventType.ACCOUNT_REQUEST_STEP_DONE,
        target=request,
        data={"step": step.key, "note": note},
    )
    if not request.steps.filter(done_at__isnull=True).exists():
        _request_finish(actor=actor, request=request)
    return step


def _request_finish(*, actor: User, request: AccountRequest) -> None:
    account = request.account
    today = timezone.localdate()
    request.status = RequestStatus.COMPLETED
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_at"])
    if request.kind == RequestKind.OPEN:
        account.status = AccountStatus.ACTIVE
        account.opened_on = account.opened_on or today
        account.save(update_fields=["status", "opened_on", "updated_at"])
        event = EventType.ACCOUNT_OPENED
    else:
        account.status = AccountStatus.CLOSED
        account.closed_on = today
        account.save(update_fields=["status", "closed_on", "updated_at"])
        event = EventType.ACCOUNT_CLOSED
    audit_record(
        actor=actor,
        organisation=request.organisation,
        event_type=EventType.ACCOUNT_REQUEST_COMPLETED,
        target=request,
        data={"kind": request.kind},
    )
    audit_record(
        actor=actor,
        organisation=request.organisation,
        event_type=event,
        target=account,
        data={"request": request.pk},
    )


@transaction.atomic
def account_request_reject(*, actor: User, request: AccountRequest, reason: str) -> AccountRequest:
    require_role(actor, request.organisation, Role.MANAGER, Role.COMMS_LEAD)
    if request.status != RequestStatus.PENDING:
        raise ValidationError(_("Begäran är redan avgjord."))
    if not reason.strip():
        raise ValidationError(_("Ange skälet till avslaget."))
    request.status = RequestStatus.REJECTED
    request.decided_at = timezone.now()
    request.rejection_reason = reason
    request.save(update_fields=["status", "decided_at", "rejection_reason"])
    account = request.account
    account.status = (
        AccountStatus.REJECTED if request.kind == RequestKind.OPEN else AccountStatus.ACTIVE
    )
    account.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        organisation=request.organisation,
        event_type=EventType.ACCOUNT_REQUEST_REJECTED,
        target=request,
        data={"kind": request.kind, "reason": reason},
    )
    return request
