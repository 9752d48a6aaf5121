"""Single sign-on with OpenID Connect (Microsoft Entra ID, Google Workspace, Keycloak).

mozilla-django-oidc runs the authorisation-code flow (with PKCE and a nonce)
and checks the ID token's signature against the provider's keys. This module
decides who the person is and what they may do:

- a person is known by the provider's `iss` and `sub` (`ExternalIdentity`),
  never by e-mail address alone; a new person gets a local account without
  a password;
- roles come from the groups claim (`OIDC_GROUPS_CLAIM`): in each
  organisation that maps groups (`GroupRoleMapping`), the person holds exactly
  the roles their groups give, granted and revoked at each sign-in, audited;
- local accounts still sign in with a password (and two-factor where
  required); a single-sign-on session is not asked for Kanalvakt's own
  two-factor code: the identity provider's sign-in stands in its place.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from kanalvakt.audit.models import EventType
from kanalvakt.audit.services import audit_record
from kanalvakt.organisations.models import (
    ExternalIdentity,
    GroupRoleMapping,
    Membership,
    Organisation,
    Role,
    User,
)
from kanalvakt.organisations.permissions import require_role

SESSION_FLAG = "kanalvakt_signed_in_with"


def issuer() -> str:
    """The provider's issuer: OIDC_OP_ISSUER, or the origin of its authorisation endpoint."""
    configured = str(getattr(settings, "OIDC_OP_ISSUER", "") or "")
    if configured:
        return configured
    parts = urlsplit(str(settings.OIDC_OP_AUTHORIZATION_ENDPOINT))
    return f"{parts.scheme}://{parts.netloc}"


def groups_of(claims: dict[str, Any]) -> set[str]:
    value = claims.get(str(getattr(settings, "OIDC_GROUPS_CLAIM", "groups")), [])
    if isinstance(value, str):
        return {value}
    if isinstance(value, list):
        return {str(group) for group in value if isinstance(group, str | int)}
    return set()


@transaction.atomic
def sso_roles_sync(*, user: User, groups: Iterable[str]) -> None:
    """Give `user` exactly the roles their groups map to, in every organisation that maps."""
    mappings = list(GroupRoleMapping.objects.select_related("organisation"))
    organisations = {m.organisation_id: m.organisation for m in mappings}
    held = set(groups)
    wanted = {(m.organisation_id, m.role) for m in mappings if m.group in held}
    existing = Membership.objects.filter(user=user, organisation_id__in=organisations)
    for membership in existing:
        if (membership.organisation_id, membership.role) in wanted:
            wanted.discard((membership.organisation_id, membership.role))
            continue
        audit_record(
            actor=None,
            organisation=membership.organisation,
            event_type=EventType.MEMBERSHIP_REVOKED,
            target=membership,
            data={"user": user.username, "role": membership.role, "by": "single sign-on"},
        )
        membership.delete()
    for organisation_id, role in sorted(wanted):
        membership = Membership.objects.create(
            organisation=organisations[organisation_id], user=user, role=role
        )
        audit_record(
            actor=None,
            organisation=membership.organisation,
            event_type=EventType.MEMBERSHIP_GRANTED,
            target=membership,
            data={"user": user.username, "role": role, "by": "single sign-on"},
        )


@transaction.atomic
def group_role_mapping_set(
    *, actor: User | None, organisation: Organisation, group: str, role: Role
) -> GroupRoleMapping:
    """Members of `group` at the identity provider get `role` (the comms lead; None: operator)."""
    if actor is not None:
        require_role(actor, organisation, Role.COMMS_LEAD)
    mapping, _created = GroupRoleMapping.objects.get_or_create(
        organisation=organisation, group=group.strip(), role=role
    )
    audit_record(
        actor=actor,
        organisation=organisation,
        event_type="organisation.group_role_mapped",
        target=organisation,
        data={"group": mapping.group, "role": str(role)},
    )
    return mapping


def _username(claims: dict[str, Any]) -> str:
    base = str(claims.get("preferred_username") or claims.get("email") or claims["sub"])
    base = re.sub(r"[^\w.@+-]", "", base)[:140] or "sso"
    name, n = base, 1
    while User.objects.filter(username=name).exists():
        n += 1
        name = f"{base}-{n}"
    return name


class KanalvaktOIDCBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    """mozilla-django-oidc's backend, knowing people by issuer and subject."""

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        if not getattr(settings, "OIDC_ENABLED", False) or request is None:
            return None
        user: User | None = super().authenticate(request, **kwargs)
        if user is not None:
            request.session[SESSION_FLAG] = "oidc"
        return user

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        subject = str(claims.get("sub") or "")
        if not subject:
            return User.objects.none()
        return User.objects.filter(
            external_identities__issuer=issuer(), external_identities__subject=subject
        )

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(claims.get("sub"))

    @transaction.atomic
    def create_user(self, claims: dict[str, Any]) -> User:
        user = User.objects.create_user(
            username=_username(claims),
            email=str(claims.get("email") or ""),
            first_name=str(claims.get("given_name") or "")[:150],
            last_name=str(claims.get("family_name") or "")[:150],
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
        ExternalIdentity.objects.create(user=user, issuer=issuer(), subject=str(claims["sub"]))
        audit_record(
            actor=None,
            organisation=None,
            event_type="user.created_by_sso",
            target=user,
            data={"issuer": issuer(), "username": user.username},
        )
        sso_roles_sync(user=user, groups=groups_of(claims))
        return user

    def update_user(self, user: User, claims: dict[str, Any]) -> User:
        user.email = str(claims.get("email") or user.email)
        user.first_name = str(claims.get("given_name") or user.first_name)[:150]
        user.last_name = str(claims.get("family_name") or user.last_name)[:150]
        user.save(update_fields=["email", "first_name", "last_name"])
        sso_roles_sync(user=user, groups=groups_of(claims))
        return user


class LoginView(auth_views.LoginView):
    """The sign-in page, with the single-sign-on button when OIDC is configured."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        context["sso_enabled"] = bool(getattr(settings, "OIDC_ENABLED", False))
        return context


def _enabled() -> None:
    if not getattr(settings, "OIDC_ENABLED", False):
        raise Http404


def sso_start(request: HttpRequest) -> HttpResponse:
    _enabled()
    response: HttpResponse = OIDCAuthenticationRequestView.as_view()(request)
    return response


def sso_callback(request: HttpRequest) -> HttpResponse:
    _enabled()
    response: HttpResponse = OIDCAuthenticationCallbackView.as_view()(request)
    return response
