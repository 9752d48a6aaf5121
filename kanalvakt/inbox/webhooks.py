"""Webhook endpoints: `/webhooks/<platform>/<key>/`.

An unknown address gets 404; a delivery with a bad or missing signature is
refused (403) and nothing is stored; an oversized body gets 413. A validly
signed delivery's exact bytes are stored and their reading queued, in one
transaction, before 200 is answered; nothing else happens before the 200
(issue 12.1). The body is not parsed here: the worker reads it
(`kanalvakt.inbox.ingest`), cuts it into items, and marks a delivery it
cannot read (malformed JSON, nesting deeper than 64 levels, an unknown
shape, platform ids over 200 characters) with the reason, keeping its bytes.

`WebhookMiddleware` sends these requests straight to the view, past the rest
of the middleware: sessions, locale, CSRF, authentication, two-factor,
messages, CSP, htmx and django-axes serve people in browsers, not a
platform's signed POST, and together they cost more than storing the
delivery.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseForbidden,
)
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from kanalvakt.connectors.base import Connector
from kanalvakt.connectors.registry import connector_for, has_connector
from kanalvakt.inbox.accept import CredentialsChanged, Guard
from kanalvakt.inbox.ingest import delivery_receive, retry_when_locked
from kanalvakt.inbox.models import DeliverySource, PlatformCredentials

logger = logging.getLogger(__name__)


_RECEIVERS: dict[str, Connector] = {}
_RECEIVERS_LOCK = threading.Lock()


def _receiver(platform: str) -> Connector:
    """One connector per platform for verifying and parsing deliveries.

    Verifying and parsing make no HTTP calls; building a connector builds an
    HTTP client with a TLS context, which costs far more than the whole
    delivery, so it is done once per process, not per request.
    """
    with _RECEIVERS_LOCK:
        if platform not in _RECEIVERS:
            _RECEIVERS[platform] = connector_for(platform)
        return _RECEIVERS[platform]


def _too_large(request: HttpRequest) -> bool:
    limit: int = settings.WEBHOOK_MAX_BYTES
    try:
        declared = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        return True
    return declared > limit


@dataclass(frozen=True)
class Credentials:
    id: int
    organisation_id: int
    app_secret: str
    verify_token: str


_KNOWN: dict[tuple[str, str], Credentials] = {}
"""PostgreSQL: credentials read before, per process, by (platform, key). A delivery verified
with them is written by one statement that also checks they are still stored as read
(`accept.CredentialsChanged` otherwise), so a stale entry never stores anything; it only
costs a fresh read."""
_KNOWN_AT_MOST = 10_000


def _credentials(platform: str, key: str) -> Credentials | None:
    """The credentials the address names, read now, or None."""
    with connection.cursor() as cursor:
        cursor.execute(_CREDENTIALS_SQL, [platform, key])
        row = cursor.fetchone()
    if row is None:
        _KNOWN.pop((platform, key), None)
        return None
    found = Credentials(id=row[0], organisation_id=row[1], app_secret=row[2], verify_token=row[3])
    if connection.vendor == "postgresql":
        if len(_KNOWN) >= _KNOWN_AT_MOST:
            _KNOWN.clear()
        _KNOWN[platform, key] = found
    return found


def _first_query[T](work: Callable[[], T]) -> T:
    """Run the request's first query without Django's health check before it.

    Django checks a kept PostgreSQL connection before a request's first query
    with a `SELECT 1` of its own (CONN_HEALTH_CHECKS): a round trip on every
    delivery. The webhook's queries can simply run again (a read, or an
    INSERT that a repeat leaves alone), so the query goes first, and only when
    it fails on a connection that turns out to be broken is the connection
    closed and the query run once more on a new one.
    """
    wrapper: Any = connection  # the health-check attributes are not in django-stubs
    if not wrapper.health_check_enabled or wrapper.health_check_done:
        return work()
    wrapper.health_check_done = True
    try:
        return work()
    except (OperationalError, InterfaceError):
        if connection.in_atomic_block or connection.is_usable():
            raise
        logger.info("A kept database connection was broken; connecting again")
        connection.close()
    return work()


_CREDENTIALS_SQL = (
    f"SELECT id, organisation_id, app_secret, verify_token "  # noqa: S608
    f"FROM {PlatformCredentials._meta.db_table} WHERE platform = %s AND webhook_key = %s"
)
_ACCEPTED = b'{"accepted": 1, "repeated": 0}'
_REPEATED = b'{"accepted": 0, "repeated": 1}'
TEXT = "text/plain; charset=utf-8"


@csrf_exempt
@require_http_methods(["GET", "POST"])
def webhook(request: HttpRequest, platform: str, key: str) -> HttpResponse:
    known = _KNOWN.get((platform, key)) if request.method == "POST" else None
    credentials = known or _first_query(lambda: _credentials(platform, key))
    if credentials is None or not has_connector(platform):
        return _unknown()
    connector = _receiver(platform)
    if request.method == "GET":
        params = {name: request.GET.get(name, "") for name in request.GET}
        answer = connector.webhook_handshake(
            params, credentials.verify_token or credentials.app_secret
        )
        if answer is None:
            return HttpResponseForbidden("Handskakningen kunde inte verifieras.", content_type=TEXT)
        content_type = "application/json" if answer.startswith("{") else "text/plain"
        return HttpResponse(answer, content_type=content_type)

    if _too_large(request):
        return HttpResponse("Leveransen är för stor.", status=413, content_type=TEXT)
    body = request.body
    if len(body) > settings.WEBHOOK_MAX_BYTES:
        return HttpResponse("Leveransen är för stor.", status=413, content_type=TEXT)
    headers = dict(request.headers.items())
    if known and not connector.verify_webhook(headers, body, known.app_secret):
        known = None  # perhaps a new secret: read the credentials again
        credentials = _first_query(lambda: _credentials(platform, key))
        if credentials is None:
            return _unknown()
    if not connector.verify_webhook(headers, body, credentials.app_secret):
        return HttpResponseForbidden("Ogiltig eller saknad signatur.", content_type=TEXT)

    def store(verified: Credentials, guard: Guard | None) -> int | None:
        return delivery_receive(
            organisation_id=verified.organisation_id,
            platform=platform,
            source=DeliverySource.WEBHOOK,
            body=body,
            content_type=request.content_type or "",
            headers=headers,
            guard=guard,
        )

    try:
        guard = None
        if known:
            guard = (known.id, known.organisation_id, platform, key, known.app_secret)
        verified = credentials
        delivery_id = retry_when_locked(lambda: _first_query(lambda: store(verified, guard)))
    except CredentialsChanged:
        credentials = _credentials(platform, key)
        if credentials is None:
            return _unknown()
        if not connector.verify_webhook(headers, body, credentials.app_secret):
            return HttpResponseForbidden("Ogiltig eller saknad signatur.", content_type=TEXT)
        fresh = credentials
        delivery_id = retry_when_locked(lambda: store(fresh, None))
    return HttpResponse(
        _REPEATED if delivery_id is None else _ACCEPTED, content_type="application/json"
    )


def _unknown() -> HttpResponse:
    """404 as plain text: past the middleware, the site's HTML error page is not served."""
    return HttpResponse("Okänd webhookadress.", status=404, content_type=TEXT)


ROUTE = path("webhooks/<slug:platform>/<str:key>/", webhook, name="webhook")
"""The webhook's address: in the URLconf (for `reverse`) and matched by the middleware."""


class WebhookMiddleware:
    """Sends `/webhooks/…` straight to the webhook view, past the middleware after it.

    Placed right after Django's SecurityMiddleware (which still redirects
    plain http and sets its headers). The response says `no-store` as every
    other page does.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path_info = request.path_info
        if path_info.startswith("/webhooks/"):
            match = ROUTE.resolve(path_info[1:])
            if match is not None:
                response = webhook(request, **match.kwargs)
                response["Cache-Control"] = "no-store"
                return response
        return self.get_response(request)
