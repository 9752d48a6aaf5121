"""Webhook endpoints: `/webhooks/<platform>/<key>/`.

A delivery with a bad or missing signature is refused (403) and nothing is
stored; malformed JSON gets 400 with the reason, and so does JSON nested deeper
than 64 levels; an oversized body 413. A valid delivery's exact bytes are
stored and their reading queued, in one transaction, before 200 is answered
(the body is parsed once, for the JSON check); the worker cuts it into items,
leaves out items with platform ids longer than 200 characters (noting why on
the delivery), and processes them in batches (`kanalvakt.inbox.ingest`).
"""

from __future__ import annotations

import json
import logging
import threading

from django.conf import settings
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    JsonResponse,
)
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from kanalvakt.connectors.base import Connector
from kanalvakt.connectors.registry import connector_for, has_connector
from kanalvakt.inbox.ingest import delivery_accept, retry_when_locked
from kanalvakt.inbox.models import DeliverySource, PlatformCredentials
from kanalvakt.lib import safejson

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


def _credentials(platform: str, key: str) -> PlatformCredentials:
    """The credentials the address names, or 404 (a raw query: this runs on every delivery)."""
    table = PlatformCredentials._meta.db_table
    found = list(
        PlatformCredentials.objects.raw(
            f"SELECT id, organisation_id, app_secret, verify_token FROM {table} "  # noqa: S608
            "WHERE platform = %s AND webhook_key = %s",
            [platform, key],
        )
    )
    if not found:
        raise Http404("Okänd webhookadress.")
    return found[0]


@csrf_exempt
@require_http_methods(["GET", "POST"])
def webhook(request: HttpRequest, platform: str, key: str) -> HttpResponse:
    credentials = _credentials(platform, key)
    if not has_connector(platform):
        return HttpResponse(status=404)
    connector = _receiver(platform)
    if request.method == "GET":
        params = {name: request.GET.get(name, "") for name in request.GET}
        answer = connector.webhook_handshake(
            params, credentials.verify_token or credentials.app_secret
        )
        if answer is None:
            return HttpResponseForbidden("Handskakningen kunde inte verifieras.")
        content_type = "application/json" if answer.startswith("{") else "text/plain"
        return HttpResponse(answer, content_type=content_type)

    if _too_large(request):
        return HttpResponse("Leveransen är för stor.", status=413)
    body = request.body
    if len(body) > settings.WEBHOOK_MAX_BYTES:
        return HttpResponse("Leveransen är för stor.", status=413)
    headers = {name: value for name, value in request.headers.items()}
    if not connector.verify_webhook(headers, body, credentials.app_secret):
        return HttpResponseForbidden("Ogiltig eller saknad signatur.")
    try:
        # The one parse before the 200: is it JSON, nested at most 64 levels? Reading it
        # into items (and refusing over-long platform ids) is the worker's.
        safejson.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError, safejson.TooDeep) as error:
        return HttpResponseBadRequest(f"Ogiltig JSON: {error}")
    except RecursionError:
        return HttpResponseBadRequest("Ogiltig JSON: för djupt nästlad.")
    result = retry_when_locked(
        lambda: delivery_accept(
            organisation_id=credentials.organisation_id,
            platform=platform,
            source=DeliverySource.WEBHOOK,
            body=body,
            content_type=request.content_type or "",
            headers=headers,
        )
    )
    return JsonResponse({"accepted": int(result.created), "repeated": int(not result.created)})
