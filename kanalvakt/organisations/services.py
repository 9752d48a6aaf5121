"""Writes to organisations, units, memberships and absences."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from kanalvakt.audit.models import EventType
from kanalvakt.audit.services import audit_record
from kanalvakt.organisations.models import (
    Absence,
    ApiToken,
    Membership,
    Organisation,
    Role,
    Unit,
    User,
)
from kanalvakt.organisations.permissions import require_role
from kanalvakt.policies.models import PolicyVersion


@transaction.atomic
def organisation_create(
    *,
    actor: User | None,
    name: str,
    slug: str,
    kind: str,
    country: str,
    website: str = "",
    switchboard: str = "",
    name_fi: str = "",
    public_languages: list[str] | None = None,
    organisation_number: str = "",
) -> Organisation:
    organisation = Organisation(
        name=name,
        slug=slug,
        kind=kind,
        country=country,
        website=website,
        switchboard=switchboard,
        name_fi=name_fi,
        public_languages=public_languages or (["sv", "fi"] if country == "FI" else ["sv"]),
        organisation_number=organisation_number,
    )
    organisation.full_clean()
    organisation.save()
    audit_record(
        actor=actor,
        organisation=organisation,
        event_type=EventType.ORGANISATION_CREATED,
        target=organisation,
        data={"name": name, "slug": slug, "country": country},
    )
    return organisation


@transaction.atomic
def organisation_select_policy(
    *, actor: User | None, organisation: Organisation, policy_version: PolicyVersion
) -> Organisation:
    """Put a policy version in force for the organisation."""
    if actor is not None:
        require_role(actor, organisation, Role.COMMS_LEAD)
    previous = organisation.policy_version
    organisation.policy_version = policy_version
    organisation.save(update_fields=["policy_version"])
    audit_record(
        actor=actor,
        organisation=organisation,
        event_type=EventType.ORGANISATION_POLICY_SELECTED,
        target=organisation,
        data={
            "old": str(previous) if previous else None,
            "new": str(policy_version),
            "pack": policy_version.pack_id,
            "version": policy_version.version,
        },
    )
    return organisation


@transaction.atomic
def unit_create(
    *,
    actor: User | None,
    organisation: Organisation,
    name: str,
    kind: str,
    name_fi: str = "",
    parent: Unit | None = None,
) -> Unit:
    if actor is not None:
        require_role(actor, organisation, Role.COMMS_LEAD)
    unit = Unit(organisation=organisation, name=name, kind=kind, name_fi=name_fi, parent=parent)
    unit.full_clean()
    unit.save()
    audit_record(
        actor=actor,
        organisation=organisation,
        event_type=EventType.UNIT_CREATED,
        target=unit,
        data={"name": name, "kind": kind},
    )
    return unit


@transaction.atomic
def person_create(
    *,
    actor: User | None,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    password: str | None = None,
    password_hash: str | None = None,
) -> User:
    """Create a login for a member of staff. Without a password they cannot log in yet.

    `password_hash` takes an already hashed password (from `make_password`), so
    seeding many people with one password hashes it once.
    """
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    if password_hash:
        user.password = password_hash
    elif password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    return user


@transaction.atomic
def membership_grant(
    *,
    actor: User | None,
    organisation: Organisation,
    user: User,
    role: Role,
    unit: Unit | None = None,
    title: str = "",
) -> Membership:
    if actor is not None:
        require_role(actor, organisation, Role.COMMS_LEAD)
    membership, created = Membership.objects.get_or_create(
        organisation=organisation, user=user, role=role, defaults={"unit": unit, "title": title}
    )
    if created:
        audit_record(
            actor=actor,
            organisation=organisation,
            event_type=EventType.MEMBERSHIP_GRANTED,
            target=membership,
            data={"user": user.username, "role": str(role)},
        )
    return membership


@transaction.atomic
def membership_revoke(*, actor: User, membership: Membership) -> None:
    require_role(actor, membership.organisation, Role.COMMS_LEAD)
    audit_record(
        actor=actor,
        organisation=membership.organisation,
        event_type=EventType.MEMBERSHIP_REVOKED,
        target=membership,
        data={"user": membership.user.username, "role": membership.role},
    )
    membership.delete()


@transaction.atomic
def absence_record(
    *,
    actor: User,
    organisation: Organisation,
    user: User,
    starts_on: datetime.date,
    ends_on: datetime.date,
    note: str = "",
) -> Absence:
    """Record that someone is away; their accounts go to the substitute meanwhile."""
    if actor != user:
        require_role(actor, organisation, Role.MANAGER, Role.COMMS_LEAD)
    absence = Absence(
        organisation=organisation, user=user, starts_on=starts_on, ends_on=ends_on, note=note
    )
    absence.full_clean()
    absence.save()
    audit_record(
        actor=actor,
        organisation=organisation,
        event_type=EventType.ABSENCE_RECORDED,
        target=absence,
        data={"user": user.username, "from": starts_on, "to": ends_on},
    )
    return absence


def user_is_absent(*, user: User, organisation: Organisation, on: datetime.date) -> bool:
    return Absence.objects.filter(
        organisation=organisation, user=user, starts_on__lte=on, ends_on__gte=on
    ).exists()


@transaction.atomic
def api_token_create(*, actor: User, organisation: Organisation, name: str) -> tuple[ApiToken, str]:
    """Create an API key; the returned plaintext key is shown once and never stored."""
    require_role(actor, organisation, Role.COMMS_LEAD, Role.REGISTRAR)
    key = "kv_" + secrets.token_urlsafe(32)
    token = ApiToken(
        organisation=organisation,
        name=name,
        key_sha256=hashlib.sha256(key.encode()).hexdigest(),
        created_by=actor,
        created_at=timezone.now(),
    )
    token.full_clean()
    token.save()
    audit_record(
        actor=actor,
        organisation=organisation,
        event_type=EventType.API_TOKEN_CREATED,
        target=token,
        data={"name": name},
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    require_role(actor, token.organisation, Role.COMMS_LEAD, Role.REGISTRAR)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        organisation=token.organisation,
        event_type=EventType.API_TOKEN_REVOKED,
        target=token,
        data={"name": token.name},
    )
    return token


def api_token_organisation(key: str) -> Organisation | None:
    """The organisation an API key belongs to, if the key is valid and not revoked."""
    digest = hashlib.sha256(key.encode()).hexdigest()
    token = (
        ApiToken.objects.filter(key_sha256=digest, revoked_at__isnull=True)
        .select_related("organisation")
        .first()
    )
    return token.organisation if token is not None else None
