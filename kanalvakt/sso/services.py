"""Sign-in through the organisation's identity provider and roles from its groups (SEC-3)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kanalvakt.audit.services import audit_record
from kanalvakt.organisations.models import Membership, Organisation, Role, User
from kanalvakt.organisations.permissions import require_role
from kanalvakt.organisations.services import membership_grant
from kanalvakt.sso.events import SsoEvent
from kanalvakt.sso.models import GroupGrantedMembership, GroupRoleMapping, SsoIdentity


@transaction.atomic
def mapping_add(
    *, actor: User, organisation: Organisation, group: str, role: Role
) -> GroupRoleMapping:
    require_role(actor, organisation, Role.COMMS_LEAD)
    group = group.strip()
    if GroupRoleMapping.objects.filter(organisation=organisation, group=group, role=role).exists():
        raise ValidationError(_("Gruppen är redan kopplad till den rollen."))
    mapping = GroupRoleMapping(
        organisation=organisation, group=group, role=role, created_at=timezone.now()
    )
    mapping.full_clean()
    mapping.save()
    audit_record(
        actor=actor,
        organisation=organisation,
        event_type=SsoEvent.MAPPING_ADDED,
        target=mapping,
        data={"group": group, "role": str(role)},
    )
    return mapping


@transaction.atomic
def mapping_remove(*, actor: User, mapping: GroupRoleMapping) -> None:
    """Remove the mapping. People keep the role until their next sign-in."""
    require_role(actor, mapping.organisation, Role.COMMS_LEAD)
    audit_record(
        actor=actor,
        organisation=mapping.organisation,
        event_type=SsoEvent.MAPPING_REMOVED,
        target=mapping,
        data={"group": mapping.group, "role": mapping.role},
    )
    mapping.delete()


def groups_from_claims(claims: Mapping[str, Any], claim: str) -> set[str]:
    """The group names in the claim, whether it is a list or a single string."""
    value = claims.get(claim)
    if isinstance(value, str):
        return {value}
    if isinstance(value, list):
        return {str(group) for group in value if isinstance(group, str | int)}
    return set()


def _username(claims: Mapping[str, Any]) -> str:
    wanted = str(claims.get("preferred_username") or claims.get("email") or claims["sub"])[:140]
    candidate, number = wanted, 1
    while User.objects.filter(username=candidate).exists():
        number += 1
        candidate = f"{wanted}-{number}"
    return candidate


@transaction.atomic
def identity_sign_in(*, issuer: str, claims: Mapping[str, Any], groups: Iterable[str]) -> User:
    """The person the provider vouches for, created at the first sign-in, with roles in line
    with their groups."""
    subject = str(claims.get("sub") or "")
    if not subject:
        raise ValidationError(_("Identitetstjänsten skickade ingen identitet (sub)."))
    now = timezone.now()
    identity = (
        SsoIdentity.objects.select_for_update()
        .select_related("user")
        .filter(issuer=issuer, subject=subject)
        .first()
    )
    if identity is None:
        # Without a password create_user stores an unusable one: the provider signs them in.
        user = User.objects.create_user(username=_username(claims))
        identity = SsoIdentity.objects.create(
            user=user, issuer=issuer, subject=subject, first_seen_at=now, last_seen_at=now
        )
        audit_record(
            actor=None,
            organisation=None,
            event_type=SsoEvent.USER_CREATED,
            target=user,
            data={"issuer": issuer, "username": user.username},
        )
    user = identity.user
    user.first_name = str(claims.get("given_name") or user.first_name)[:150]
    user.last_name = str(claims.get("family_name") or user.last_name)[:150]
    user.email = str(claims.get("email") or user.email)[:254]
    user.save(update_fields=["first_name", "last_name", "email"])
    identity.last_seen_at = now
    identity.save(update_fields=["last_seen_at"])
    roles_sync(user=user, groups=set(groups))
    audit_record(
        actor=user,
        organisation=None,
        event_type=SsoEvent.SIGNED_IN,
        target=user,
        data={"issuer": issuer},
    )
    return user


@transaction.atomic
def roles_sync(*, user: User, groups: set[str]) -> None:
    """Grant the roles the person's groups map to; take back group roles whose group is gone.

    Roles granted by hand are left alone.
    """
    wanted = {
        (mapping.organisation_id, mapping.role): mapping
        for mapping in GroupRoleMapping.objects.filter(group__in=groups).select_related(
            "organisation"
        )
    }
    granted = {
        (grant.membership.organisation_id, grant.membership.role): grant.membership
        for grant in GroupGrantedMembership.objects.filter(membership__user=user).select_related(
            "membership__organisation"
        )
    }
    for key, mapping in wanted.items():
        if key in granted:
            continue
        existed = Membership.objects.filter(
            organisation_id=key[0], user=user, role=mapping.role
        ).exists()
        membership = membership_grant(
            actor=None, organisation=mapping.organisation, user=user, role=Role(mapping.role)
        )
        if not existed:
            GroupGrantedMembership.objects.create(membership=membership)
            audit_record(
                actor=None,
                organisation=mapping.organisation,
                event_type=SsoEvent.ROLE_GRANTED,
                target=membership,
                data={"user": user.username, "role": mapping.role, "group": mapping.group},
            )
    for key, membership in granted.items():
        if key in wanted:
            continue
        audit_record(
            actor=None,
            organisation=membership.organisation,
            event_type=SsoEvent.ROLE_REVOKED,
            target=membership,
            data={"user": user.username, "role": membership.role},
        )
        membership.delete()
