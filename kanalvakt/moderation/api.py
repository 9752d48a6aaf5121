"""`POST /api/screen/?pack=PACK_ID`: the `kanalvakt screen` contract over HTTP.

The body is JSON Lines `{"id": …, "text": …}`; the answer is JSON Lines in the
same order, one result or error object per input line.
"""

from __future__ import annotations

import json

from django.core.management.base import CommandError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_POST

from kanalvakt.moderation.management.commands.screen import load_pack, screen_line
from kanalvakt.moderation.screening import ScreeningConfig
from kanalvakt.web.api import api_view

MAX_BODY = 5 * 1024 * 1024


@api_view
@require_POST
def screen_api(request: HttpRequest) -> HttpResponse:
    if len(request.body) > MAX_BODY:
        return JsonResponse({"error": "Högst 5 MiB per anrop."}, status=413)
    try:
        config = ScreeningConfig.from_pack(load_pack(request.GET.get("pack", "")))
    except CommandError as error:
        return JsonResponse({"error": str(error)}, status=400)
    try:
        text = request.body.decode("utf-8")
    except UnicodeDecodeError:
        return JsonResponse({"error": "Kroppen måste vara UTF-8."}, status=400)
    lines = [
        json.dumps(screen_line(line, config), ensure_ascii=False)
        for line in text.splitlines()
        if line.strip()
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="application/x-ndjson")
