"""Shared by the stand-in's platform views: request bodies and answers."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.request import RawPostDataException
from django.views.decorators.csrf import csrf_exempt

from kanalvakt.connectors.parsing import html_to_text


def body(request: HttpRequest) -> dict[str, Any]:
    """JSON, form or multipart fields of a request, as one dict of strings/values."""
    content_type = request.content_type or ""
    if content_type == "application/json" and request.body:
        try:
            loaded = json.loads(request.body)
        except ValueError:
            return {}
        return loaded if isinstance(loaded, dict) else {}
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return {key: request.POST.get(key) for key in request.POST}
    return {}


def answer(data: Any, status: int = 200, **headers: str) -> JsonResponse:
    response = JsonResponse(data, status=status, safe=False)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def empty(status: int = 204, **headers: str) -> HttpResponse:
    response = HttpResponse(status=status)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def plain(markup: str) -> str:
    return html_to_text(markup)


def files_summary(request: HttpRequest) -> dict[str, Any]:
    """Names and sizes of uploaded files or a raw body (never the bytes themselves)."""
    if request.FILES:
        uploads = {name: request.FILES.getlist(name) for name in request.FILES}
        return {
            name: [{"name": f.name, "size": f.size} for f in files]
            for name, files in uploads.items()
        }
    try:
        size = len(request.body)
    except RawPostDataException:  # a form without files: there is no raw body any more
        size = 0
    return {"body": {"size": size, "type": request.content_type}}


def token_account(request: HttpRequest) -> str:
    """The account a demo token names (`Bearer standin:<account id>`), for calls that
    do not name it themselves (X, Mastodon, YouTube)."""
    token = request.headers.get("Authorization", "").removeprefix("Bearer ")
    return token.removeprefix("standin:") if token.startswith("standin:") else ""


EXPIRED_TOKEN = "standin:expired"  # noqa: S105 - a demo token, not a secret
"""A demo connection with this token gets each platform's answer for a lapsed token."""
EXPIRED_ANSWERS: dict[str, tuple[int, dict[str, Any]]] = {
    "graph": (
        400,
        {
            "error": {
                "message": "Error validating access token: Session has expired",
                "type": "OAuthException",
                "code": 190,
                "error_subcode": 463,
            }
        },
    ),
    "bluesky": (400, {"error": "ExpiredToken", "message": "Token has expired"}),
    "linkedin": (
        401,
        {
            "serviceErrorCode": 65601,
            "message": "The token used in the request has expired",
            "status": 401,
        },
    ),
}


def platform_api(platform: str) -> Callable[..., Any]:
    """A stand-in API view: no CSRF (it plays a remote API) and the lapsed-token answer."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            token = request.headers.get("Authorization", "").removeprefix("Bearer ")
            if token == EXPIRED_TOKEN:
                status, data = EXPIRED_ANSWERS.get(platform, (401, {"error": "invalid_token"}))
                return answer(data, status=status)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
