"""The policy review page: owner, review date, decisions, acknowledgement reminders."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kanalvakt.organisations.models import Role, User
from kanalvakt.organisations.permissions import has_role
from kanalvakt.organisations.selectors import get_organisation_for_user
from kanalvakt.policies.lifecycle import (
    acknowledgement_remind,
    acknowledgement_required,
    policy_review_decide,
    policy_stewardship_set,
)
from kanalvakt.policies.models import PolicyReview, PolicyStewardship, ReviewDecision
from kanalvakt.policies.selectors import acknowledgement_rows
from kanalvakt.web.actions import attempt
from kanalvakt.web.http import AuthenticatedHttpRequest


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        from django.core.exceptions import ValidationError

        raise ValidationError(_("Ange ett datum som ÅÅÅÅ-MM-DD.")) from error


@login_required
@require_GET
def review_page(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for_user(request, slug)
    stewardship = PolicyStewardship.objects.filter(organisation=organisation).first()
    version = organisation.policy_version
    rows = (
        acknowledgement_rows(organisation=organisation, policy_version=version) if version else []
    )
    return render(
        request,
        "policies/review.html",
        {
            "organisation": organisation,
            "version": version,
            "stewardship": stewardship,
            "reviews": PolicyReview.objects.filter(organisation=organisation).select_related(
                "decided_by", "policy_version"
            )[:50],
            "decisions": ReviewDecision.choices,
            "members": User.objects.filter(memberships__organisation=organisation)
            .distinct()
            .order_by("last_name", "first_name"),
            "is_lead": has_role(request.user, organisation, Role.COMMS_LEAD),
            "ack_required": acknowledgement_required(organisation),
            "not_acknowledged": [row for row in rows if row.acknowledged_at is None],
            "due_soon": stewardship is not None
            and stewardship.review_on - datetime.timedelta(days=stewardship.remind_days_before)
            <= timezone.localdate(),
        },
    )


@login_required
@require_POST
def stewardship_set(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for_user(request, slug)
    owner = User.objects.filter(
        pk=request.POST.get("owner") or 0, memberships__organisation=organisation
    ).first()

    def act() -> None:
        if owner is None:
            raise PermissionDenied(_("Välj en ägare i organisationen."))
        policy_stewardship_set(
            actor=request.user,
            organisation=organisation,
            owner=owner,
            review_on=_date(request.POST.get("review_on", "")),
        )

    attempt(request, act, _("Ägare och granskningsdatum är sparade."))
    return redirect("policies:review", slug=organisation.slug)


@login_required
@require_POST
def review_decide(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for_user(request, slug)
    attempt(
        request,
        lambda: policy_review_decide(
            actor=request.user,
            organisation=organisation,
            decision=request.POST.get("decision", ""),
            next_review_on=_date(request.POST.get("next_review_on", "")),
            note=request.POST.get("note", ""),
        ),
        _("Granskningen är registrerad."),
    )
    return redirect("policies:review", slug=organisation.slug)


@login_required
@require_POST
def acknowledgement_remind_view(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for_user(request, slug)
    result: dict[str, int] = {}

    def act() -> None:
        result["sent"] = acknowledgement_remind(actor=request.user, organisation=organisation)

    attempt(request, act, _("Påminnelserna är skickade."))
    return redirect("policies:review", slug=organisation.slug)
