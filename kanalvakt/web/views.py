from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from kanalvakt.organisations.selectors import organisation_list_for_user
from kanalvakt.web.http import AuthenticatedHttpRequest


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Send a member of one organisation straight to it; otherwise let them choose."""
    organisations = list(organisation_list_for_user(user=request.user))
    if len(organisations) == 1:
        return redirect("reports:dashboard", slug=organisations[0].slug)
    return render(request, "web/home.html", {"organisations": organisations})
