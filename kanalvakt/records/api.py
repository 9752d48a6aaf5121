"""The records API for the records-management system (REC-2).

`GET /api/records/<slug>/registrations/` lists registrations (registered by
default; `?status=pending|registered|exempt|not_required`, `?since=ISO time`,
`?after=<id>` for paging, `?limit=`). Authentication: an organisation API key
(`Authorization: Bearer …`) or a logged-in member's session; another
organisation answers 404. The OpenAPI 3 schema is `openapi.json` beside this
module, served at `/api/records/openapi.json`.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_GET

from kanalvakt.records.exports import registration_row
from kanalvakt.records.models import Registration, RegistrationStatus
from kanalvakt.web.api import api_view

SCHEMA = Path(__file__).resolve().parent / "openapi.json"
MAX_LIMIT = 500


@require_GET
def openapi(request: HttpRequest) -> HttpResponse:
    return JsonResponse(json.loads(SCHEMA.read_text(encoding="utf-8")))


def _bad(message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=400)


@require_GET
@api_view
def registrations(request: HttpRequest, slug: str) -> HttpResponse:
    organisations = [o for o in request.api_organisations if o.slug == slug]  # type: ignore[attr-defined]
    if not organisations:
        raise Http404
    organisation = organisations[0]
    status = request.GET.get("status", RegistrationStatus.REGISTERED)
    if status not in RegistrationStatus.values:
        return _bad("Okänd status.")
    rows = Registration.objects.filter(organisation=organisation, status=status)
    since = request.GET.get("since")
    if since:
        moment = parse_datetime(since)
        if moment is None:
            return _bad("since ska vara en ISO 8601-tid.")
        rows = rows.filter(registered_at__gte=moment)
    after = request.GET.get("after", "0")
    limit = request.GET.get("limit", "100")
    if not after.isdigit() or not limit.isdigit() or not 1 <= int(limit) <= MAX_LIMIT:
        return _bad(f"after ska vara ett id och limit 1–{MAX_LIMIT}.")
    page = list(
        rows.filter(pk__gt=int(after))
        .select_related(
            "item__account",
            "snapshot__account",
            "registered_by",
            "forwarded_to_unit",
            "forwarded_to_user",
        )
        .prefetch_related("snapshot__files")
        .order_by("pk")[: int(limit)]
    )
    return JsonResponse(
        {
            "organisation": organisation.slug,
            "results": [registration_row(r) for r in page],
            "next_after": page[-1].pk if len(page) == int(limit) else None,
        },
        json_dumps_params={"ensure_ascii": False},
    )
