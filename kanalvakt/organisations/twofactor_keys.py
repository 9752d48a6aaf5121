"""Security keys and passkeys (WebAuthn) as the second step of a local sign-in.

A person registers one or more keys by name on the two-factor page and may sign in
with any of them instead of a code from an authenticator app. Verification is
py_webauthn's: the challenge is kept server-side in the session and used once, the
origin and relying party id come from settings (`WEBAUTHN_RP_ID`, `WEBAUTHN_ORIGINS`,
the host and origin of `SITE_URL` when empty), the signature is checked against the
key's public key, and a sign counter that does not grow is refused (a copied key).
User verification is preferred, not required; attestation is "none".

A key is a django-otp device (`SecurityKey`), so a session verified with it satisfies
the organisation's two-factor rule exactly as an app's code does.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.core import checks
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.authentication.verify_authentication_response import VerifiedAuthentication
from webauthn.helpers import (
    base64url_to_bytes,
    bytes_to_base64url,
    parse_authentication_credential_json,
    parse_registration_credential_json,
)
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AttestationConveyancePreference,
    AuthenticationCredential,
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from kanalvakt.audit.services import audit_record
from kanalvakt.organisations.models import SecurityKey, User

REGISTRATION_CHALLENGE = "kanalvakt_webauthn_registration_challenge"
AUTHENTICATION_CHALLENGE = "kanalvakt_webauthn_authentication_challenge"
# A browser's credential is a few kilobytes; anything much larger is not one.
MAX_CREDENTIAL_LENGTH = 64 * 1024
NAME_MAX_LENGTH = 64
# What a malformed or hostile credential may raise inside py_webauthn's parsers.
_BAD_CREDENTIAL = (WebAuthnException, ValueError, TypeError, KeyError, RecursionError)


def relying_party_id() -> str:
    configured: str = settings.WEBAUTHN_RP_ID
    return configured or urlsplit(settings.SITE_URL).hostname or "localhost"


def expected_origins() -> list[str]:
    configured: list[str] = list(settings.WEBAUTHN_ORIGINS)
    if configured:
        return configured
    site = urlsplit(settings.SITE_URL)
    return [f"{site.scheme}://{site.netloc}"]


def relying_party_check(app_configs: object = None, **kwargs: object) -> list[checks.CheckMessage]:
    """`kanalvakt check`: every origin must lie under the relying party id, over https
    (or on localhost), or no browser will use a key there."""
    rp_id = relying_party_id()
    found: list[checks.CheckMessage] = []
    for origin in expected_origins():
        parts = urlsplit(origin)
        host = parts.hostname or ""
        if parts.scheme not in {"http", "https"} or parts.path not in {"", "/"}:
            found.append(
                checks.Error(
                    f"KANALVAKT_WEBAUTHN_ORIGINS: {origin!r} is not an origin "
                    "(scheme://host[:port]).",
                    id="organisations.E101",
                )
            )
        elif host != rp_id and not host.endswith("." + rp_id):
            found.append(
                checks.Error(
                    f"The WebAuthn relying party id {rp_id!r} is not {host!r} or a parent "
                    "domain of it: browsers will refuse every security key.",
                    hint="Set KANALVAKT_WEBAUTHN_RP_ID and KANALVAKT_WEBAUTHN_ORIGINS.",
                    id="organisations.E102",
                )
            )
        elif parts.scheme == "http" and host != "localhost" and not host.endswith(".localhost"):
            found.append(
                checks.Warning(
                    f"{origin!r} is plain http: browsers offer security keys only over "
                    "https (or on localhost).",
                    id="organisations.W103",
                )
            )
    return found


def security_keys(user: User) -> QuerySet[SecurityKey]:
    keys: QuerySet[SecurityKey] = SecurityKey.objects.filter(user=user, confirmed=True)
    return keys.order_by("created_at", "pk")


def _user_handle(user: User) -> bytes:
    # Stable and not personal: the account's number, never its name or address.
    return int(user.pk).to_bytes(8, "big")


def _descriptor(key: SecurityKey) -> PublicKeyCredentialDescriptor:
    transports = [
        AuthenticatorTransport(value)
        for value in key.transports or []
        if value in AuthenticatorTransport._value2member_map_
    ]
    return PublicKeyCredentialDescriptor(
        id=base64url_to_bytes(key.credential_id), transports=transports or None
    )


def registration_options(session: SessionBase, user: User) -> str:
    """Options for navigator.credentials.create() as JSON; the challenge stays in the session."""
    options = generate_registration_options(
        rp_id=relying_party_id(),
        rp_name=settings.WEBAUTHN_RP_NAME,
        user_name=user.username,
        user_id=_user_handle(user),
        user_display_name=user.get_full_name() or user.username,
        attestation=AttestationConveyancePreference.NONE,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.DISCOURAGED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
        exclude_credentials=[_descriptor(key) for key in security_keys(user)],
    )
    session[REGISTRATION_CHALLENGE] = bytes_to_base64url(options.challenge)
    return options_to_json(options)


def authentication_options(session: SessionBase, user: User) -> str:
    """Options for navigator.credentials.get() limited to the person's own keys."""
    options = generate_authentication_options(
        rp_id=relying_party_id(),
        allow_credentials=[_descriptor(key) for key in security_keys(user)],
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    session[AUTHENTICATION_CHALLENGE] = bytes_to_base64url(options.challenge)
    return options_to_json(options)


def take_challenge(session: SessionBase, name: str) -> bytes:
    """The challenge last issued in this session, removed so it is used only once."""
    value = session.pop(name, None)
    if not isinstance(value, str) or not value:
        raise ValidationError(_("Sidan hann gå ut. Försök igen."))
    return base64url_to_bytes(value)


def _credential(text: str) -> dict[str, Any]:
    if not text or len(text) > MAX_CREDENTIAL_LENGTH:
        raise ValidationError(_("Webbläsaren skickade ingen nyckel. Försök igen."))
    try:
        value = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise ValidationError(_("Webbläsaren skickade ingen nyckel. Försök igen.")) from error
    if not isinstance(value, dict):
        raise ValidationError(_("Webbläsaren skickade ingen nyckel. Försök igen."))
    return value


@transaction.atomic
def security_key_register(
    *, actor: User, name: str, credential: str, challenge: bytes
) -> SecurityKey:
    """Verify a new key's attestation against the session's challenge and keep the key."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError(_("Ge nyckeln ett namn, till exempel ”Gul nyckel”."))
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(_("Namnet får vara högst %(max)d tecken.") % {"max": NAME_MAX_LENGTH})
    data = _credential(credential)
    try:
        parsed = parse_registration_credential_json(data)
        verified = verify_registration_response(
            credential=parsed,
            expected_challenge=challenge,
            expected_rp_id=relying_party_id(),
            expected_origin=expected_origins(),
            require_user_verification=False,
        )
    except _BAD_CREDENTIAL as error:
        raise ValidationError(_("Nyckeln kunde inte registreras. Försök igen.")) from error
    credential_id = bytes_to_base64url(verified.credential_id)
    if SecurityKey.objects.filter(credential_id=credential_id).exists():
        raise ValidationError(_("Den här nyckeln är redan registrerad."))
    key: SecurityKey = SecurityKey.objects.create(
        user=actor,
        name=name,
        confirmed=True,
        credential_id=credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        transports=[str(t.value) for t in parsed.response.transports or []],
    )
    audit_record(
        actor=actor,
        organisation=None,
        event_type="user.security_key_registered",
        target=actor,
        data={"key": key.pk, "name": name, "aaguid": verified.aaguid},
    )
    return key


@transaction.atomic
def security_key_remove(*, actor: User, key: SecurityKey) -> None:
    """Remove one of the person's own keys; not the last way in where their role needs one."""
    from kanalvakt.organisations import twofactor

    if key.user_id != actor.pk:
        raise PermissionDenied
    others = security_keys(actor).exclude(pk=key.pk).exists()
    if (
        not others
        and twofactor.confirmed_device(actor) is None
        and twofactor.two_factor_required(actor)
    ):
        raise ValidationError(
            _(
                "Din roll kräver tvåstegsverifiering. Lägg till en annan nyckel eller en "
                "autentiseringsapp innan du tar bort den sista nyckeln."
            )
        )
    data = {"key": key.pk, "name": key.name}
    key.delete()
    audit_record(
        actor=actor,
        organisation=None,
        event_type="user.security_key_removed",
        target=actor,
        data=data,
    )


def security_key_sign_in(request: HttpRequest, user: User, credential: str) -> SecurityKey:
    """Check an assertion from one of the person's keys and mark the session verified."""
    challenge = take_challenge(request.session, AUTHENTICATION_CHALLENGE)
    data = _credential(credential)
    try:
        parsed = parse_authentication_credential_json(data)
    except _BAD_CREDENTIAL as error:
        raise ValidationError(_("Nyckeln kunde inte läsas. Försök igen.")) from error
    with transaction.atomic():
        key = (
            security_keys(user)
            .select_for_update()
            .filter(credential_id=bytes_to_base64url(parsed.raw_id))
            .first()
        )
        if key is None:
            raise ValidationError(_("Den nyckeln är inte registrerad för ditt konto."))
        try:
            verified = _verify_assertion(parsed, challenge, key, key.sign_count)
        except _BAD_CREDENTIAL as error:
            failure: Exception | None = error
        else:
            failure = None
            key.sign_count = verified.new_sign_count
            key.last_used_at = timezone.now()
            key.save(update_fields=["sign_count", "last_used_at"])
    if failure is not None:
        if "sign count" in str(failure) and _signed_by(parsed, challenge, key):
            _counter_refused(user, key)
            raise ValidationError(
                _(
                    "Nyckelns räknare har inte ökat sedan förra inloggningen: nyckeln kan vara "
                    "kopierad. Använd en annan nyckel eller koden från appen."
                )
            ) from failure
        raise ValidationError(_("Nyckeln kunde inte verifieras. Försök igen.")) from failure
    otp_login(request, key)
    return key


@transaction.atomic
def _counter_refused(user: User, key: SecurityKey) -> None:
    """Keep a trace of a signature that was valid but whose counter went back: the key's
    secret may have been copied, which an administrator should know."""
    audit_record(
        actor=user,
        organisation=None,
        event_type="user.security_key_counter_refused",
        target=user,
        data={"key": key.pk, "name": key.name, "stored_count": key.sign_count},
    )


def _verify_assertion(
    parsed: AuthenticationCredential, challenge: bytes, key: SecurityKey, sign_count: int
) -> VerifiedAuthentication:
    return verify_authentication_response(
        credential=parsed,
        expected_challenge=challenge,
        expected_rp_id=relying_party_id(),
        expected_origin=expected_origins(),
        credential_public_key=bytes(key.public_key),
        credential_current_sign_count=sign_count,
        require_user_verification=False,
    )


def _signed_by(parsed: AuthenticationCredential, challenge: bytes, key: SecurityKey) -> bool:
    """Whether the key really signed an answer refused for its counter (py_webauthn checks
    the counter before the signature): only then may the key have been copied."""
    try:
        _verify_assertion(parsed, challenge, key, 0)
    except _BAD_CREDENTIAL:
        return False
    return True
