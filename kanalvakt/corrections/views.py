"""Correction pages: the open tasks, one task with its template, source and closing."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kanalvakt.corrections import services
from kanalvakt.corrections.selectors import correction_list, get_correction_for_user
from kanalvakt.organisations.selectors import get_organisation_for_user
from kanalvakt.web.actions import attempt
from kanalvakt.web.http import AuthenticatedHttpRequest


@login_required
@require_GET
def correction_list_view(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for_user(request, slug)
    return render(
        request,
        "corrections/list.html",
        {
            "organisation": organisation,
            "corrections": correction_list(organisation=organisation)[:200],
            "rule": services.corrections_asked(organisation),
            "now": timezone.now(),
        },
    )


@login_required
@require_GET
def correction_detail(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    correction = get_correction_for_user(request, slug, pk)
    user = request.user
    text = (
        correction.template.replace("{organisation}", correction.organisation.name)
        .replace("{name}", user.get_full_name() or user.username)
        .replace("{source_link}", correction.source_url or _("[länk till källan]"))
        .replace("{fix}", _("[det som är rätt]"))
    )
    return render(
        request,
        "corrections/detail.html",
        {
            "organisation": correction.organisation,
            "correction": correction,
            "item": correction.entry.item,
            "text": text,
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def correction_source(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    correction = get_correction_for_user(request, slug, pk)
    attempt(
        request,
        lambda: services.correction_set_source(
            actor=request.user,
            correction=correction,
            source_url=request.POST.get("source_url", ""),
        ),
        _("Källan är sparad."),
    )
    return redirect("corrections:detail", slug=slug, pk=correction.pk)


@login_required
@require_POST
def correction_close(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    correction = get_correction_for_user(request, slug, pk)
    attempt(
        request,
        lambda: services.correction_close(
            actor=request.user,
            correction=correction,
            correction_url=request.POST.get("correction_url", ""),
        ),
        _("Rättelsen är gjord."),
    )
    return redirect("corrections:detail", slug=slug, pk=correction.pk)
