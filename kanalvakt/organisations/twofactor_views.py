"""Pages for two-factor sign-in: setting up an authenticator, entering its code, and the
organisation's choice of roles that require it."""

from __future__ import annotations

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from kanalvakt.organisations import twofactor
from kanalvakt.organisations.models import Membership, Role
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
    if twofactor.confirmed_device(user) is not None:
        if not request.user.is_verified():  # type: ignore[attr-defined]
            return redirect("two_factor_verify")
        return render(request, "organisations/two_factor_setup.html", {"enabled": True})
    device = twofactor.pending_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            twofactor.two_factor_enable(actor=user, device=device, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            otp_login(request, device)
            messages.success(request, _("Tvåstegsverifieringen är på."))
            return redirect(_next(request))
    return render(
        request,
        "organisations/two_factor_setup.html",
        {
            "enabled": False,
            "form": form,
            "secret": twofactor.device_secret(device),
            "qr": segno.make(device.config_url, error="m").svg_data_uri(scale=4),
            "required": twofactor.two_factor_required(user),
            "next": _next(request),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    device = twofactor.confirmed_device(request.user)
    if device is None:
        return redirect("two_factor_setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            twofactor.two_factor_sign_in(request, device, form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            return redirect(_next(request))
    return render(
        request,
        "organisations/two_factor_verify.html",
        {"form": form, "next": _next(request)},
        status=400 if form.errors else 200,
    )


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
