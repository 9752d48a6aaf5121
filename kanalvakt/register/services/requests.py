"""Requests to open or close an account, carried through the pack's steps."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kanalvakt.audit.models import EventType
from kanalvakt.audit.services import audit_record
from kanalvakt.organisations.models import Organisation, Role, Unit, User
from kanalvakt.organisations.permissions import has_role, require_member, require_role
from kanalvakt.register.models import (
    Account,
    AccountRequest,
    AccountStatus,
    RequestKind,
    RequestStatus,
    RequestStep,
)
from kanalvakt.register.services.accounts import account_insert
from kanalvakt.register.services.guards import require_account_manager
from kanalvakt.register.steps import STEPS, steps_for


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
    account = account_insert(
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
    require_account_manager(actor, account)
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
