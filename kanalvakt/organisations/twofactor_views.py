"""Pages for two-factor sign-in: setting up an authenticator app or a security key, the
second step of signing in, and the organisation's choice of roles that require it."""

from __future__ import annotations

import json

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from kanalvakt.organisations import twofactor, twofactor_keys
from kanalvakt.organisations.models import Membership, Role, SecurityKey
from kanalvakt.organisations.permissions import has_role
from kanalvakt.organisations.selectors import get_organisation_for_user
from kanalvakt.web.actions import attempt
from kanalvakt.web.http import AuthenticatedHttpRequest


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Kod från appen"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=gettext_lazy("Roller som kräver tvåstegsverifiering"),
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


def _next(request: AuthenticatedHttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if twofactor.has_second_factor(user) and not user.is_verified():  # type: ignore[attr-defined]
        return redirect("two_factor_verify")
    form = CodeForm(request.POST or None)
    if twofactor.confirmed_device(user) is None and request.method == "POST" and form.is_valid():
        device = twofactor.pending_device(user)
        try:
            twofactor.two_factor_enable(actor=user, device=device, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            otp_login(request, device)
            messages.success(request, _("Tvåstegsverifieringen är på."))
            return redirect(_next(request))
    return setup_page(request, form=form, status=400 if form.errors else 200)


def setup_page(
    request: AuthenticatedHttpRequest,
    *,
    form: CodeForm | None = None,
    key_error: str = "",
    status: int = 200,
) -> HttpResponse:
    """The two-factor page: the authenticator app and the person's security keys."""
    user = request.user
    context: dict[str, object] = {
        "enabled": twofactor.confirmed_device(user) is not None,
        "required": twofactor.two_factor_required(user),
        "next": _next(request),
        "keys": twofactor_keys.security_keys(user),
        "may_remove_keys": user.is_verified(),  # type: ignore[attr-defined]
        "registration_options": json.loads(
            twofactor_keys.registration_options(request.session, user)
        ),
        "key_error": key_error,
    }
    if not context["enabled"]:
        device = twofactor.pending_device(user)
        context.update(
            form=form or CodeForm(),
            secret=twofactor.device_secret(device),
            qr=segno.make(device.config_url, error="m").svg_data_uri(scale=4),
        )
    return render(request, "organisations/two_factor_setup.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    device = twofactor.confirmed_device(request.user)
    if not twofactor.has_second_factor(request.user):
        return redirect("two_factor_setup")
    form = CodeForm(request.POST or None)
    if device is not None and request.method == "POST" and form.is_valid():
        try:
            twofactor.two_factor_sign_in(request, device, form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            return redirect(_next(request))
    return verify_page(request, form=form, status=400 if form.errors else 200)


def verify_page(
    request: AuthenticatedHttpRequest,
    *,
    form: CodeForm | None = None,
    key_error: str = "",
    status: int = 200,
) -> HttpResponse:
    """The second step of signing in: a key, a code from the app, or either."""
    user = request.user
    has_keys = twofactor_keys.security_keys(user).exists()
    context: dict[str, object] = {
        "form": (form or CodeForm()) if twofactor.confirmed_device(user) is not None else None,
        "next": _next(request),
        "key_error": key_error,
        "authentication_options": json.loads(
            twofactor_keys.authentication_options(request.session, user)
        )
        if has_keys
        else None,
    }
    return render(request, "organisations/two_factor_verify.html", context, status=status)


@login_required
@require_POST
def security_key_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Keep a new security key; the browser's answer arrives in the `credential` field."""
    user = request.user
    verified = user.is_verified()  # type: ignore[attr-defined]
    if twofactor.has_second_factor(user) and not verified:
        # Whoever knows only the password must not add a way in.
        return redirect("two_factor_verify")
    try:
        challenge = twofactor_keys.take_challenge(
            request.session, twofactor_keys.REGISTRATION_CHALLENGE
        )
        key = twofactor_keys.security_key_register(
            actor=user,
            name=request.POST.get("name", ""),
            credential=request.POST.get("credential", ""),
            challenge=challenge,
        )
    except ValidationError as error:
        return setup_page(request, key_error=" ".join(error.messages), status=400)
    messages.success(request, _("Säkerhetsnyckeln ”%(name)s” är tillagd.") % {"name": key.name})
    if verified:
        return redirect("two_factor_setup")
    otp_login(request, key)
    return redirect(_next(request))


@login_required
@require_POST
def security_key_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_verified():  # type: ignore[attr-defined]
        return redirect("two_factor_verify")
    key = get_object_or_404(twofactor_keys.security_keys(request.user), pk=pk)
    name = key.name
    attempt(
        request,
        lambda: twofactor_keys.security_key_remove(actor=request.user, key=key),
        _("Säkerhetsnyckeln ”%(name)s” är borttagen.") % {"name": name},
    )
    return redirect("two_factor_setup")


@login_required
@require_POST
def security_key_verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The second step with a security key instead of the app's code."""
    if not twofactor.has_second_factor(request.user):
        return redirect("two_factor_setup")
    try:
        twofactor_keys.security_key_sign_in(
            request, request.user, request.POST.get("credential", "")
        )
    except ValidationError as error:
        return verify_page(request, key_error=" ".join(error.messages), status=400)
    return redirect(_next(request))


@login_required
@require_http_methods(["GET", "POST"])
def organisation_two_factor(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for_user(request, slug)
    may_change = has_role(request.user, organisation, Role.COMMS_LEAD)
    form = RolesForm(
        request.POST or None, initial={"roles": list(organisation.two_factor_roles or [])}
    )
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied
        if form.is_valid():
            attempt(
                request,
                lambda: twofactor.organisation_two_factor_roles_set(
                    actor=request.user,
                    organisation=organisation,
                    roles=form.cleaned_data["roles"],
                ),
                _("Valet av roller är sparat."),
            )
            return redirect("organisations:two_factor", slug=slug)
    members = (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "role")
    )
    with_device = set(
        TOTPDevice.objects.filter(
            confirmed=True, user__memberships__organisation=organisation
        ).values_list("user_id", flat=True)
    ) | set(
        SecurityKey.objects.filter(
            confirmed=True, user__memberships__organisation=organisation
        ).values_list("user_id", flat=True)
    )
    return render(
        request,
        "organisations/two_factor.html",
        {
            "organisation": organisation,
            "form": form,
            "may_change": may_change,
            "rows": [(m, m.user_id in with_device) for m in members],
        },
    )
