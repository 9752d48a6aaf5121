"""Moderation pages: the queue, a case with its evidence, decisions, notices."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kanalvakt.inbox.models import InboxEntry
from kanalvakt.moderation import services
from kanalvakt.moderation.forms import DecisionForm, NoticeForm
from kanalvakt.moderation.models import (
    CaseState,
    DecisionKind,
    ModerationCase,
    NoticeCheck,
    Screening,
)
from kanalvakt.moderation.notices import moderation_notice, poster_notice
from kanalvakt.moderation.screening.categories import SELF_HARM
from kanalvakt.moderation.selectors import case_list, explained, get_case_for_user, highlighted
from kanalvakt.organisations.selectors import get_organisation_for_user
from kanalvakt.register.selectors import account_list
from kanalvakt.web.actions import attempt
from kanalvakt.web.http import AuthenticatedHttpRequest


@login_required
@require_GET
def queue(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for_user(request, slug)
    decided = request.GET.get("visa") == "avgjorda"
    cases = case_list(
        organisation=organisation, state=CaseState.DECIDED if decided else CaseState.OPEN
    )[:200]
    template = "moderation/_queue_rows.html" if request.htmx else "moderation/queue.html"
    return render(
        request,
        template,
        {
            "organisation": organisation,
            "cases": cases,
            "decided": decided,
            "now": timezone.now(),
            "deadline_hours": services.deadline_hours(organisation),
            "warn_minutes": int(services.WARN_BEFORE.total_seconds() // 60),
        },
    )


@login_required
def case_detail(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    case = get_case_for_user(request, slug, pk)
    screening = getattr(case.item, "screening", None)
    findings = explained(screening.findings if screening else [])
    form = DecisionForm(
        request.POST or None, notice_template=poster_notice(case, writer=request.user)
    )
    if request.method == "POST" and form.is_valid():
        if attempt(
            request,
            lambda: services.case_decide(
                actor=request.user,
                case=case,
                kind=DecisionKind(form.cleaned_data["kind"]),
                reason=form.cleaned_data["reason"],
                categories=form.cleaned_data["categories"],
                notice_text=form.cleaned_data["notice_text"],
            ),
            _("Beslutet är sparat. Originalet finns kvar som allmän handling."),
        ):
            return redirect("moderation:case", slug=slug, pk=pk)
    return render(
        request,
        "moderation/case.html",
        {
            "organisation": case.organisation,
            "case": case,
            "item": case.item,
            "segments": highlighted(case.item.text, findings),
            "support_reply": _support_reply(case, screening, findings),
            "findings": findings,
            "screening": screening,
            "decisions": list(case.decisions.select_related("decided_by")),
            "form": form,
            "may_decide": services.may_moderate(request.user, case.account),
            "assignee": services.case_assignee(case),
            "entry": InboxEntry.objects.filter(item=case.item).first(),
            "now": timezone.now(),
            "warn_minutes": int(services.WARN_BEFORE.total_seconds() // 60),
        },
    )


@login_required
def notices(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for_user(request, slug)
    accounts = account_list(organisation=organisation).filter(status="active")
    if request.method == "POST":
        account = get_object_or_404(accounts, pk=request.POST.get("account"))
        form = NoticeForm(request.POST)
        if form.is_valid():
            attempt(
                request,
                lambda: services.notice_check_record(
                    actor=request.user,
                    account=account,
                    published=form.cleaned_data["published"],
                    url=form.cleaned_data["url"],
                ),
                _("Kontrollen är sparad."),
            )
        return redirect("moderation:notices", slug=slug)
    checks = {c.account_id: c for c in NoticeCheck.objects.filter(account__in=accounts)}
    rows = [{"account": a, "check": checks.get(a.pk)} for a in accounts]
    first = accounts.first()
    return render(
        request,
        "moderation/notices.html",
        {
            "organisation": organisation,
            "rows": rows,
            "notice": moderation_notice(first) if first is not None else {},
        },
    )


@login_required
@require_POST
def case_retry(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    """Try a failed platform action again."""
    case = get_case_for_user(request, slug, pk)
    if not services.may_moderate(request.user, case.account):
        raise PermissionDenied
    decision = case.decisions.filter(platform_status="failed").last()
    if decision is not None:
        services.decision_carry_out(decision=decision)
    return redirect("moderation:case", slug=slug, pk=pk)


def _support_reply(case: ModerationCase, screening: Screening | None, findings: list[Any]) -> str:
    """The pack's supportive reply, in the comment's language, for a possible self-harm."""
    if not any(finding.get("category") == SELF_HARM for finding in findings):
        return ""
    _roles, reply = services.self_harm_support(case.organisation)
    language = screening.language if screening is not None else "sv"
    return reply.get(language) or reply.get("sv") or next(iter(reply.values()), "")
