"""The OpenID Connect authentication backend (mozilla-django-oidc) for Kanalvakt.

The library does the protocol: authorisation code with PKCE, the token
exchange, the ID token's signature against the provider's keys, nonce and
state. This class decides who the person is here: by (issuer, subject), with
roles from the groups claim.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import SuspiciousOperation
from django.db.models import QuerySet
from mozilla_django_oidc.auth import OIDCAuthenticationBackend  # type: ignore[import-untyped]

from kanalvakt.organisations.models import User
from kanalvakt.sso.models import SsoIdentity
from kanalvakt.sso.services import groups_from_claims, identity_sign_in


class OrganisationOIDCBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(claims.get("sub"))

    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[User]:
        subjects = SsoIdentity.objects.filter(
            issuer=settings.OIDC_OP_ISSUER, subject=str(claims.get("sub", ""))
        ).values("user_id")
        return User.objects.filter(pk__in=subjects)

    def get_or_create_user(
        self, access_token: str, id_token: str, payload: dict[str, Any]
    ) -> User | None:
        """As the library does, but the user info must be about the ID token's subject
        (OpenID Connect Core 5.3.2)."""
        user_info = self.get_userinfo(access_token, id_token, payload)
        if str(user_info.get("sub")) != str(payload.get("sub")):
            raise SuspiciousOperation("userinfo sub does not match the ID token")
        user: User | None = super().get_or_create_user(access_token, id_token, payload)
        return user

    def get_userinfo(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        cached = getattr(self, "_user_info", None)
        if cached is None:
            cached = self._user_info = super().get_userinfo(access_token, id_token, payload)
        return cached

    def _sign_in(self, claims: dict[str, Any]) -> User:
        return identity_sign_in(
            issuer=settings.OIDC_OP_ISSUER,
            claims=claims,
            groups=groups_from_claims(claims, settings.OIDC_GROUPS_CLAIM),
        )

    def create_user(self, claims: dict[str, Any]) -> User:
        return self._sign_in(claims)

    def update_user(self, user: AbstractBaseUser, claims: dict[str, Any]) -> User:
        return self._sign_in(claims)
