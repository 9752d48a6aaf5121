"""Writes to an account's register entry: creation, fields, admins, substitute, profile checks."""

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
    AccountStatus,
    ProfileCheck,
)
from kanalvakt.register.services.guards import require_account_manager, require_same_organisation

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
    return account_insert(
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


def account_insert(
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
    """Validate, save and audit a new account in the caller's transaction: a direct
    creation and an open request that reaches its last step both end here."""
    require_same_organisation(organisation, unit)
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
    require_account_manager(actor, account)
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
    require_account_manager(actor, account)
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
    require_account_manager(actor, account)
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
    require_account_manager(actor, account)
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
    require_account_manager(actor, account)
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
