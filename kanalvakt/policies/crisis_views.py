"""The crisis-mode page: switch on and off, the holding message, the history (REG-11)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kanalvakt.organisations.models import Role
from kanalvakt.organisations.permissions import has_role
from kanalvakt.organisations.selectors import get_organisation_for_user
from kanalvakt.policies.crisis import (
    crisis_end,
    crisis_history,
    crisis_response_time,
    crisis_start,
    current_crisis,
    holding_message_suggestion,
)
from kanalvakt.policies.display import describe_deadline
from kanalvakt.web.actions import attempt
from kanalvakt.web.http import AuthenticatedHttpRequest


@login_required
@require_GET
def crisis_page(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for_user(request, slug)
    deadline = crisis_response_time(organisation)
    return render(
        request,
        "policies/crisis.html",
        {
            "organisation": organisation,
            "current": current_crisis(organisation),
            "history": crisis_history(organisation),
            "deadline": describe_deadline(deadline) if deadline else "",
            "suggestion": holding_message_suggestion(organisation),
            "may_switch": has_role(request.user, organisation, Role.COMMS_LEAD),
        },
    )


@login_required
@require_POST
def crisis_start_view(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for_user(request, slug)
    attempt(
        request,
        lambda: crisis_start(
            actor=request.user,
            organisation=organisation,
            reason=request.POST.get("reason", ""),
            holding_message=request.POST.get("holding_message", ""),
        ),
        _("Krisläget är påslaget."),
    )
    return redirect("policies:crisis", slug=organisation.slug)


@login_required
@require_POST
def crisis_end_view(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for_user(request, slug)
    attempt(
        request,
        lambda: crisis_end(
            actor=request.user, organisation=organisation, note=request.POST.get("note", "")
        ),
        _("Krisläget är avslaget."),
    )
    return redirect("policies:crisis", slug=organisation.slug)
