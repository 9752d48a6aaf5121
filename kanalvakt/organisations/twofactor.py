"""Two-factor sign-in (TOTP and security keys) for local accounts, required for the roles an
organisation chooses.

A person who has confirmed an authenticator app or registered a security key
(kanalvakt/organisations/twofactor_keys.py) is asked for a code or the key after
the password; a person holding a role that one of their
organisations requires two-factor for, and who has no app yet, is sent to set
one up before anything else. Until then every page except sign-in, sign-out,
password reset and the two-factor pages redirects there. Codes are checked by
django-otp, which throttles wrong codes with a growing delay.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterable
from urllib.parse import urlencode

from django.contrib.auth import BACKEND_SESSION_KEY
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from kanalvakt.audit.services import audit_record
from kanalvakt.organisations.models import Membership, Organisation, Role, SecurityKey, User
from kanalvakt.organisations.permissions import require_role

# Signed in through the organisation's identity provider (kanalvakt/sso): its own sign-in,
# with its own multi-factor rules, stands in for Kanalvakt's code.
SSO_BACKEND = "kanalvakt.sso.backend.OrganisationOIDCBackend"

EXEMPT_PREFIXES = (
    "/konto/tvastegsverifiering/",
    "/logga-in/",
    "/logga-ut/",
    "/glomt-losenord/",
    "/aterstall/",
    "/sprak/",
    "/static/",
    "/webhooks/",
    "/api/",
)


def two_factor_required(user: User) -> bool:
    """The person holds a role that one of their organisations requires two-factor for."""
    return any(
        role in (required or [])
        for role, required in Membership.objects.filter(user=user).values_list(
            "role", "organisation__two_factor_roles"
        )
    )


def confirmed_device(user: User) -> TOTPDevice | None:
    device: TOTPDevice | None = (
        TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    )
    return device


def has_second_factor(user: User) -> bool:
    """The person has an authenticator app or a security key to sign in with."""
    return (
        confirmed_device(user) is not None
        or SecurityKey.objects.filter(user=user, confirmed=True).exists()
    )


def pending_device(user: User) -> TOTPDevice:
    """The person's unconfirmed authenticator being set up (made on first visit)."""
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": "Kanalvakt"}
    )
    return device


def device_secret(device: TOTPDevice) -> str:
    """The key as an authenticator app takes it when typed in (base32, in groups of four)."""
    secret = base64.b32encode(bytes(device.bin_key)).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def code_check(device: TOTPDevice, code: str) -> None:
    """Raise ValidationError unless `code` is the device's current code (throttled)."""
    allowed, _details = device.verify_is_allowed()
    if not allowed:
        raise ValidationError(_("För många felaktiga koder. Vänta en stund och försök igen."))
    if not device.verify_token("".join(code.split())):
        raise ValidationError(_("Koden stämmer inte. Försök igen med en ny kod."))


@transaction.atomic
def two_factor_enable(*, actor: User, device: TOTPDevice, code: str) -> TOTPDevice:
    """Confirm the person's authenticator with a code from it."""
    if device.user_id != actor.pk or device.confirmed:
        raise PermissionDenied
    code_check(device, code)
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(
        actor=actor,
        organisation=None,
        event_type="user.two_factor_enabled",
        target=actor,
        data={"device": device.pk},
    )
    return device


@transaction.atomic
def two_factor_reset(*, actor: User | None, user: User) -> int:
    """Remove all of a person's authenticator apps and security keys (the operator, for a
    lost phone or key); returns how many were removed."""
    devices = TOTPDevice.objects.filter(user=user)
    keys = SecurityKey.objects.filter(user=user)
    removed: int = devices.filter(confirmed=True).count()
    removed_keys: int = keys.count()
    devices.delete()
    keys.delete()
    audit_record(
        actor=actor,
        organisation=None,
        event_type="user.two_factor_reset",
        target=user,
        data={"removed": removed, "security_keys": removed_keys},
    )
    return removed + removed_keys


@transaction.atomic
def organisation_two_factor_roles_set(
    *, actor: User, organisation: Organisation, roles: Iterable[str]
) -> Organisation:
    """Choose the roles whose holders must sign in with two-factor (the comms lead)."""
    require_role(actor, organisation, Role.COMMS_LEAD)
    chosen = sorted({str(role) for role in roles})
    unknown = set(chosen) - set(Role.values)
    if unknown:
        raise ValidationError(_("Okänd roll: %(roles)s") % {"roles": ", ".join(sorted(unknown))})
    before = list(organisation.two_factor_roles or [])
    organisation.two_factor_roles = chosen
    organisation.save(update_fields=["two_factor_roles"])
    audit_record(
        actor=actor,
        organisation=organisation,
        event_type="organisation.two_factor_roles_set",
        target=organisation,
        data={"before": before, "after": chosen},
    )
    return organisation


def two_factor_sign_in(request: HttpRequest, device: TOTPDevice, code: str) -> None:
    """Check the code and mark this session as verified with the device."""
    code_check(device, code)
    otp_login(request, device)


class TwoFactorMiddleware:
    """Sends a signed-in person who still owes a code, or an app, to the two-factor page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and request.session.get(BACKEND_SESSION_KEY) != SSO_BACKEND
            and not request.path.startswith(EXEMPT_PREFIXES)
            and not user.is_verified()  # type: ignore[attr-defined]
        ):
            assert isinstance(user, User)
            if has_second_factor(user):
                return _to("two_factor_verify", request)
            if two_factor_required(user):
                return _to("two_factor_setup", request)
        return self.get_response(request)


def _to(name: str, request: HttpRequest) -> HttpResponse:
    return redirect(reverse(name) + "?" + urlencode({"next": request.get_full_path()}))
