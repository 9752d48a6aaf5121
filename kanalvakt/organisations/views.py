"""People, roles, absences and API keys of an organisation."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kanalvakt.organisations import services
from kanalvakt.organisations.forms import AbsenceForm, ApiTokenForm, MembershipForm
from kanalvakt.organisations.models import Absence, ApiToken, Membership, Role
from kanalvakt.organisations.selectors import get_organisation_for_user, member_list
from kanalvakt.web.actions import attempt
from kanalvakt.web.http import AuthenticatedHttpRequest


@login_required
def people(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Who holds which role; the comms lead appoints publishers and other roles here."""
    organisation = get_organisation_for_user(request, slug)
    form = MembershipForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        attempt(
            request,
            lambda: services.membership_grant(
                actor=request.user,
                organisation=organisation,
                user=form.cleaned_data["user"],
                role=Role(form.cleaned_data["role"]),
            ),
            _("Rollen är tilldelad."),
        )
        return redirect("organisations:people", slug=slug)
    return render(
        request,
        "organisations/people.html",
        {
            "organisation": organisation,
            "members": member_list(organisation=organisation),
            "form": form,
        },
    )


@login_required
@require_POST
def membership_revoke(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = get_organisation_for_user(request, slug)
    membership = get_object_or_404(Membership, organisation=organisation, pk=pk)
    attempt(
        request,
        lambda: services.membership_revoke(actor=request.user, membership=membership),
        _("Rollen är återkallad."),
    )
    return redirect("organisations:people", slug=slug)


@login_required
def absences(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Record who is away; their accounts go to the substitute meanwhile."""
    organisation = get_organisation_for_user(request, slug)
    form = AbsenceForm(
        request.POST or None, organisation=organisation, initial={"user": request.user}
    )
    if request.method == "POST" and form.is_valid():
        if attempt(
            request,
            lambda: services.absence_record(
                actor=request.user, organisation=organisation, **form.cleaned_data
            ),
            _("Frånvaron är registrerad."),
        ):
            return redirect("organisations:absences", slug=slug)
    current = (
        Absence.objects.filter(organisation=organisation, ends_on__gte=timezone.localdate())
        .select_related("user")
        .order_by("starts_on")
    )
    return render(
        request,
        "organisations/absences.html",
        {"organisation": organisation, "absences": current, "form": form},
    )


@login_required
def api_tokens(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for_user(request, slug)
    form = ApiTokenForm(request.POST or None)
    new_key = ""
    if request.method == "POST" and form.is_valid():
        created: list[str] = []
        attempt(
            request,
            lambda: created.append(
                services.api_token_create(
                    actor=request.user, organisation=organisation, name=form.cleaned_data["name"]
                )[1]
            ),
            _("Nyckeln är skapad. Kopiera den nu – den visas inte igen."),
        )
        new_key = created[0] if created else ""
    tokens = ApiToken.objects.filter(organisation=organisation).select_related("created_by")
    return render(
        request,
        "organisations/api_tokens.html",
        {"organisation": organisation, "tokens": tokens, "form": form, "new_key": new_key},
    )


@login_required
@require_POST
def api_token_revoke(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = get_organisation_for_user(request, slug)
    token = get_object_or_404(ApiToken, organisation=organisation, pk=pk, revoked_at__isnull=True)
    attempt(
        request,
        lambda: services.api_token_revoke(actor=request.user, token=token),
        _("Nyckeln är återkallad."),
    )
    return redirect("organisations:api_tokens", slug=slug)
