"""Webhook endpoints: `/webhooks/<platform>/<key>/`.

A delivery with a bad or missing signature is refused (403) and nothing is
stored; malformed JSON gets 400 with the reason, and so do JSON nested deeper
than 64 levels and platform ids longer than 200 characters; an oversized body 413. A
valid delivery is stored whole, its items are cut out and stored, and their
processing is queued, all in one transaction, before 200 is answered.
"""

from __future__ import annotations

import json
import logging
import threading

from django.conf import settings
from django.db import transaction
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    JsonResponse,
)
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from kanalvakt.connectors.base import Connector, IncomingItem, PayloadError
from kanalvakt.connectors.limits import check_incoming
from kanalvakt.connectors.registry import connector_for, has_connector
from kanalvakt.inbox.models import DeliverySource, PlatformCredentials
from kanalvakt.inbox.services import delivery_store, item_ingest
from kanalvakt.lib import safejson
from kanalvakt.register.models import Account

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


@csrf_exempt
@require_http_methods(["GET", "POST"])
def webhook(request: HttpRequest, platform: str, key: str) -> HttpResponse:
    credentials = get_object_or_404(
        PlatformCredentials.objects.select_related("organisation"),
        platform=platform,
        webhook_key=key,
    )
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
        safejson.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError, safejson.TooDeep) as error:
        return HttpResponseBadRequest(f"Ogiltig JSON: {error}")
    try:
        incoming = [check_incoming(item) for item in connector.parse_webhook(body)]
    except PayloadError as error:
        return HttpResponseBadRequest(f"Oväntat innehåll: {error}")

    stored = _store(credentials, platform, body, request.content_type or "", headers, incoming)
    return JsonResponse(stored)


def _store(
    credentials: PlatformCredentials,
    platform: str,
    body: bytes,
    content_type: str,
    headers: dict[str, str],
    incoming: list[IncomingItem],
) -> dict[str, int]:
    organisation = credentials.organisation
    accounts = {
        account.external_id: account
        for account in Account.objects.filter(organisation=organisation, platform=platform).exclude(
            external_id=""
        )
    }
    created = unknown = 0
    with transaction.atomic():
        result = delivery_store(
            organisation=organisation,
            platform=platform,
            source=DeliverySource.WEBHOOK,
            body=body,
            content_type=content_type,
            headers=headers,
        )
        if not result.created:
            return {"stored": 0, "repeated": 1}
        for item in incoming:
            account = accounts.get(item.account_external_id)
            if account is None:
                unknown += 1
                logger.warning(
                    "Webhook item %s for unknown %s account %s kept in delivery %s only",
                    item.external_id,
                    platform,
                    item.account_external_id,
                    result.delivery.pk,
                )
                continue
            created += item_ingest(account=account, incoming=item, delivery=result.delivery).created
    return {"stored": created, "unknown_account": unknown, "repeated": 0}
