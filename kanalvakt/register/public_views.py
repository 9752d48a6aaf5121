"""The public register: the page, its JSON and CSV, and the published checkpoints, without
signing in (REG-9)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_GET

from kanalvakt.lib.csvsafe import csv_writer
from kanalvakt.register.public import public_register
from kanalvakt.register.selectors import (
    get_public_organisation,
)


def _public_language(request: HttpRequest) -> str:
    return request.GET.get("sprak") or request.GET.get("lang") or "sv"


@require_GET
def public_register_page(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_public_organisation(slug)
    register = public_register(organisation=organisation, language=_public_language(request))
    from kanalvakt.records.checkpoints import latest

    context = {"register": register, "public": True, "checkpoint": latest()}
    with translation.override(register.language):
        return render(request, "register/public.html", context)


@require_GET
def public_checkpoints_json(request: HttpRequest, slug: str) -> HttpResponse:
    """Every signed checkpoint of the installation's audit chain (REC-8), for anyone to keep."""
    from kanalvakt.records.checkpoints import published_json

    get_public_organisation(slug)
    response = HttpResponse(published_json(), content_type="application/json; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def public_register_json(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_public_organisation(slug)
    register = public_register(organisation=organisation, language=_public_language(request))
    body = {
        "organisation": register.organisation_name,
        "language": register.language,
        "last_changed": register.last_changed.isoformat() if register.last_changed else None,
        "columns": [{"key": key, "label": label} for key, label in register.columns()],
        "accounts": register.rows,
    }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def public_register_csv(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_public_organisation(slug)
    register = public_register(organisation=organisation, language=_public_language(request))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{organisation.slug}-konton.csv"'
    response.write("\ufeff")  # Excel reads UTF-8 only with a byte-order mark.
    writer = csv_writer(response, delimiter=";")
    columns = register.columns()
    writer.writerow([label for _key, label in columns])
    for row in register.rows:
        writer.writerow([row[key] for key, _label in columns])
    if register.last_changed:
        response["Last-Modified"] = register.last_changed.strftime("%a, %d %b %Y 00:00:00 GMT")
    return response
