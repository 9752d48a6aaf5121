"""Request types for views behind `login_required`."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from kanalvakt.organisations.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """A request whose user is logged in (the view is wrapped in `login_required`)."""

    user: User
    htmx: HtmxDetails
