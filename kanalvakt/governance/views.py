"""Account planning pages: every account's plan and yearly review."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kanalvakt.governance import services
from kanalvakt.governance.forwarding import (
    forwarded_matter_answer,
    forwarded_matters_track,
    forwarding_tracked,
)
from kanalvakt.governance.models import AccountPlan, ForwardedMatter, ReviewOutcome
from kanalvakt.governance.selectors import account_reviews, plan_rows
from kanalvakt.organisations.selectors import get_organisation_for_user
from kanalvakt.register.selectors import get_account_for_user
from kanalvakt.web.actions import attempt
from kanalvakt.web.http import AuthenticatedHttpRequest


@login_required
@require_GET
def plan_list(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for_user(request, slug)
    return render(
        request,
        "governance/list.html",
        {
            "organisation": organisation,
            "rows": plan_rows(organisation=organisation, today=timezone.localdate()),
        },
    )


@login_required
@require_GET
def forwarded_list(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for_user(request, slug)
    forwarded_matters_track()
    matters = ForwardedMatter.objects.filter(organisation=organisation).select_related(
        "registration__item", "case_officer", "answered_by"
    )
    return render(
        request,
        "governance/forwarded.html",
        {
            "organisation": organisation,
            "matters": matters[:200],
            "tracked": forwarding_tracked(organisation),
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def forwarded_answer(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = get_organisation_for_user(request, slug)
    matter = ForwardedMatter.objects.filter(organisation=organisation, pk=pk).first()
    if matter is None:
        raise Http404
    attempt(
        request,
        lambda: forwarded_matter_answer(
            actor=request.user, matter=matter, note=request.POST.get("note", "")
        ),
        _("Ärendet är markerat som besvarat."),
    )
    return redirect("governance:forwarded", slug=slug)


@login_required
@require_GET
def plan_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    account = get_account_for_user(request, slug, pk)
    today = timezone.localdate()
    opening = account.requests.filter(kind="open").order_by("pk").first()
    return render(
        request,
        "governance/detail.html",
        {
            "organisation": account.organisation,
            "account": account,
            "plan": AccountPlan.objects.filter(account=account).first(),
            "opening": opening,
            "reviews": account_reviews(account=account),
            "outcomes": ReviewOutcome.choices,
            "idle_days": services.idle_days(account, today),
            "passive_limit": services.passive_limit(account),
        },
    )


@login_required
@require_POST
def plan_record(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    account = get_account_for_user(request, slug, pk)
    attempt(
        request,
        lambda: services.account_plan_record(
            actor=request.user,
            account=account,
            need=request.POST.get("need", ""),
            goals=request.POST.get("goals", ""),
            audience=request.POST.get("audience", ""),
            resources=request.POST.get("resources", ""),
        ),
        _("Kontoplanen är sparad."),
    )
    return redirect("governance:detail", slug=slug, pk=account.pk)


@login_required
@require_POST
def review_record(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    account = get_account_for_user(request, slug, pk)
    attempt(
        request,
        lambda: services.account_review_record(
            actor=request.user,
            account=account,
            purpose_still_valid=request.POST.get("purpose_still_valid") == "1",
            outcome=request.POST.get("outcome", ""),
            note=request.POST.get("note", ""),
        ),
        _("Översynen är registrerad."),
    )
    return redirect("governance:detail", slug=slug, pk=account.pk)
