"""Incident log pages: report, list, follow up (SEC-2)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from kanalvakt.incidents import services
from kanalvakt.incidents.models import IncidentKind, IncidentStatus
from kanalvakt.incidents.selectors import get_incident_for_user, incident_list
from kanalvakt.organisations.models import Organisation
from kanalvakt.organisations.selectors import get_organisation_for_user
from kanalvakt.register.models import Account
from kanalvakt.web.actions import attempt
from kanalvakt.web.http import AuthenticatedHttpRequest


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Typ"), choices=IncidentKind.choices)
    account = forms.ModelChoiceField(
        label=gettext_lazy("Konto"), queryset=Account.objects.none(), required=False
    )
    description = forms.CharField(label=gettext_lazy("Vad har hänt?"), widget=forms.Textarea)
    fake_account_url = forms.URLField(
        label=gettext_lazy("Det falska kontots adress"), required=False
    )

    def __init__(self, *args: object, organisation: Organisation, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["account"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Account.objects.filter(organisation=organisation)


class FollowUpForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        choices=[(s.value, s.label) for s in (IncidentStatus.IN_PROGRESS, IncidentStatus.RESOLVED)],
    )
    note = forms.CharField(label=gettext_lazy("Uppföljning"), widget=forms.Textarea)


@login_required
@require_http_methods(["GET", "POST"])
def incident_list_view(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for_user(request, slug)
    form = ReportForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if attempt(
            request,
            lambda: services.incident_report(
                actor=request.user,
                organisation=organisation,
                kind=data["kind"],
                description=data["description"],
                account=data["account"],
                fake_account_url=data["fake_account_url"] or "",
            ),
            _("Incidenten är rapporterad."),
        ):
            return redirect("incidents:list", slug=organisation.slug)
    roles, rule = services.report_recipients(organisation)
    return render(
        request,
        "incidents/list.html",
        {
            "organisation": organisation,
            "incidents": incident_list(organisation=organisation)[:200],
            "form": form,
            "recipients": roles,
            "rule": rule,
            "report_pages": sorted(services.FAKE_ACCOUNT_REPORT_PAGES.items()),
        },
    )


@login_required
@require_http_methods(["GET"])
def incident_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    incident = get_incident_for_user(request, slug, pk)
    platform = incident.account.platform if incident.account else ""
    return render(
        request,
        "incidents/detail.html",
        {
            "organisation": incident.organisation,
            "incident": incident,
            "updates": incident.updates.select_related("author"),
            "form": FollowUpForm(),
            "report_page": services.FAKE_ACCOUNT_REPORT_PAGES.get(platform, ""),
        },
    )


@login_required
@require_POST
def incident_follow_up_view(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    incident = get_incident_for_user(request, slug, pk)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: services.incident_follow_up(
                actor=request.user,
                incident=incident,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            ),
            _("Uppföljningen är sparad."),
        )
    return redirect("incidents:detail", slug=slug, pk=incident.pk)
