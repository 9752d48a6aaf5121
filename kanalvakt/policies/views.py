"""The policy in force, its versions, and acknowledging it (REG-8, REG-9)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kanalvakt.organisations.models import User
from kanalvakt.organisations.selectors import get_organisation_for_user
from kanalvakt.policies.display import pack_sections
from kanalvakt.policies.selectors import acknowledgement_rows, policy_version_list
from kanalvakt.policies.services import policy_acknowledge


@login_required
@require_GET
def policy_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for_user(request, slug)
    version = organisation.policy_version
    context: dict[str, object] = {"organisation": organisation, "version": version}
    if version is not None:
        rows = acknowledgement_rows(organisation=organisation, policy_version=version)
        pack = version.pack
        context |= {
            "pack": pack.document,
            "sections": pack_sections(pack),
            "unsupported": pack.document.get("unsupported", []),
            "acknowledged": [row for row in rows if row.acknowledged_at is not None],
            "not_acknowledged": [row for row in rows if row.acknowledged_at is None],
            "my_acknowledgement": next(
                (row for row in rows if row.user.pk == request.user.pk), None
            ),
        }
    return render(request, "policies/policy_detail.html", context)


@login_required
@require_POST
def policy_acknowledge_view(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for_user(request, slug)
    version = organisation.policy_version
    if version is None:
        messages.error(request, _("Ingen policy är vald för organisationen."))
        return redirect("policies:detail", slug=organisation.slug)
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    try:
        policy_acknowledge(actor=user, organisation=organisation, policy_version=version)
    except (ValidationError, PermissionDenied) as error:
        text = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        messages.error(request, text)
    else:
        messages.success(request, _("Tack! Du har bekräftat att du läst policyn."))
    return redirect("policies:detail", slug=organisation.slug)


@login_required
@require_GET
def policy_versions(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for_user(request, slug)
    return render(
        request,
        "policies/policy_versions.html",
        {
            "organisation": organisation,
            "versions": policy_version_list(organisation=organisation),
        },
    )
