"""The listening view: sources, mentions, spikes; separate from the inbox (INB-7)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kanalvakt.listening import services
from kanalvakt.listening.models import ListeningAlert, SourceKind
from kanalvakt.listening.selectors import (
    get_mention_for_user,
    get_source_for_user,
    mention_list,
    source_list,
)
from kanalvakt.organisations.selectors import get_organisation_for_user
from kanalvakt.web.actions import attempt
from kanalvakt.web.http import AuthenticatedHttpRequest


@login_required
@require_GET
def listening_page(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for_user(request, slug)
    show = request.GET.get("visa", "")
    mentions = mention_list(organisation=organisation)
    if show == "intagna":
        mentions = mentions.filter(taken_in_at__isnull=False)
    return render(
        request,
        "listening/page.html",
        {
            "organisation": organisation,
            "enabled": services.listening_enabled(organisation),
            "sources": source_list(organisation=organisation),
            "mentions": mentions[:200],
            "alerts": ListeningAlert.objects.filter(organisation=organisation)[:5],
            "kinds": SourceKind.choices,
            "suggested": services.suggested_terms(organisation),
            "show": show,
        },
    )


@login_required
@require_POST
def source_add(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for_user(request, slug)
    attempt(
        request,
        lambda: services.listening_source_add(
            actor=request.user,
            organisation=organisation,
            kind=request.POST.get("kind", ""),
            query=request.POST.get("query", ""),
            instance=request.POST.get("instance", ""),
            terms=request.POST.get("terms", ""),
        ),
        _("Källan bevakas nu."),
    )
    return redirect("listening:page", slug=organisation.slug)


@login_required
@require_POST
def source_disable(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    source = get_source_for_user(request, slug, pk)
    attempt(
        request,
        lambda: services.listening_source_disable(actor=request.user, source=source),
        _("Källan bevakas inte längre."),
    )
    return redirect("listening:page", slug=slug)


@login_required
@require_POST
def mention_take_in(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    mention = get_mention_for_user(request, slug, pk)
    attempt(
        request,
        lambda: services.mention_take_in(
            actor=request.user, mention=mention, note=request.POST.get("note", "")
        ),
        _("Omnämnandet är taget in."),
    )
    return redirect("listening:page", slug=slug)
