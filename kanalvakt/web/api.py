"""Authentication for the JSON API: an organisation's API key, or a logged-in member."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from kanalvakt.organisations.models import Organisation
from kanalvakt.organisations.selectors import organisation_list_for_user
from kanalvakt.organisations.services import api_token_organisation

ApiView = Callable[..., HttpResponse]


def api_organisations(request: HttpRequest) -> list[Organisation]:
    """Organisations the caller may read: the key's one, or the member's."""
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        organisation = api_token_organisation(header.removeprefix("Bearer ").strip())
        return [organisation] if organisation is not None else []
    if request.user.is_authenticated:
        return list(organisation_list_for_user(user=request.user))
    return []


def api_view(view: ApiView) -> ApiView:
    """Refuse callers with neither a valid key nor a session (401, JSON)."""

    @csrf_exempt
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        organisations = api_organisations(request)
        if not organisations:
            response = JsonResponse({"error": "Ange en giltig API-nyckel (Bearer)."}, status=401)
            response["WWW-Authenticate"] = "Bearer"
            return response
        request.api_organisations = organisations  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapped
