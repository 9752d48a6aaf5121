from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from mozilla_django_oidc.views import (  # type: ignore[import-untyped]
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from kanalvakt.organisations.models import Role
from kanalvakt.organisations.permissions import has_role
from kanalvakt.organisations.selectors import get_organisation_for_user
from kanalvakt.sso import services
from kanalvakt.sso.forms import MappingForm
from kanalvakt.sso.models import GroupRoleMapping
from kanalvakt.web.http import AuthenticatedHttpRequest


def _require_sso() -> None:
    if not settings.SSO_ENABLED:
        raise Http404


class SignInView(OIDCAuthenticationRequestView):  # type: ignore[misc]
    """Sends the browser to the identity provider (authorisation code with PKCE)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        _require_sso()
        super().__init__(*args, **kwargs)


class CallbackView(OIDCAuthenticationCallbackView):  # type: ignore[misc]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        _require_sso()
        super().__init__(*args, **kwargs)

    @property
    def failure_url(self) -> str:
        return "/logga-in/?sso=misslyckades"

    def login_failure(self) -> HttpResponse:
        messages.error(
            self.request,
            _("Inloggningen via identitetstjänsten misslyckades. Försök igen eller kontakta IT."),
        )
        response: HttpResponse = super().login_failure()
        return response


@login_required
def mappings(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for_user(request, slug)
    may_edit = has_role(request.user, organisation, Role.COMMS_LEAD)
    form = MappingForm(request.POST or None)
    if request.method == "POST":
        if not may_edit:
            raise Http404
        if form.is_valid():
            try:
                services.mapping_add(
                    actor=request.user,
                    organisation=organisation,
                    group=form.cleaned_data["group"],
                    role=Role(form.cleaned_data["role"]),
                )
            except ValidationError as error:
                form.add_error("group", error)
            else:
                messages.success(request, _("Gruppen är kopplad till rollen."))
                return redirect("sso:mappings", slug=slug)
    return render(
        request,
        "sso/mappings.html",
        {
            "organisation": organisation,
            "mappings": GroupRoleMapping.objects.filter(organisation=organisation),
            "form": form,
            "may_edit": may_edit,
            "sso_enabled": settings.SSO_ENABLED,
            "groups_claim": settings.OIDC_GROUPS_CLAIM,
        },
        status=400 if form.errors else 200,
    )


@login_required
def mapping_remove(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    if request.method != "POST":
        raise Http404
    organisation = get_organisation_for_user(request, slug)
    if not has_role(request.user, organisation, Role.COMMS_LEAD):
        raise Http404
    mapping = get_object_or_404(GroupRoleMapping, organisation=organisation, pk=pk)
    services.mapping_remove(actor=request.user, mapping=mapping)
    messages.success(request, _("Kopplingen är borttagen. Rollen försvinner vid nästa inloggning."))
    return redirect("sso:mappings", slug=slug)
