from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kanalvakt.organisations.selectors import get_organisation_for_user


@login_required
def organisation_overview(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for_user(request, slug)
    return render(request, "register/organisation.html", {"organisation": organisation})
