"""Records requests (REC-5): receiving one, choosing the items, redacting them and
disclosing them as PDF and CSV."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kanalvakt.inbox.models import Item
from kanalvakt.organisations.permissions import require_role
from kanalvakt.records import disclosure, redaction, selectors
from kanalvakt.records.forms import (
    PhraseRedactionForm,
    RecordsRequestForm,
    SearchForm,
)
from kanalvakt.records.models import (
    RecordsRequest,
    Redaction,
)
from kanalvakt.records.search import CANDIDATES, search_items
from kanalvakt.records.views import RECORDS_ROLES, records_organisation
from kanalvakt.web.actions import attempt
from kanalvakt.web.http import AuthenticatedHttpRequest


@login_required
def requests(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = records_organisation(request, slug)
    form = RecordsRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = disclosure.records_request_create(
            actor=request.user, organisation=organisation, **form.cleaned_data
        )
        messages.success(request, _("Begäran är registrerad."))
        return redirect("records:request", slug=slug, pk=created.pk)
    return render(
        request,
        "records/requests.html",
        {
            "organisation": organisation,
            "form": form,
            "rows": RecordsRequest.objects.filter(organisation=organisation)[:200],
        },
    )


def _segments(text: str, spans: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """The text cut into (piece, redacted) for the review screen."""
    out: list[tuple[str, bool]] = []
    position = 0
    for span in redaction.merge([redaction.Span("t", s, e, "") for s, e in spans]):
        if span.start > position:
            out.append((text[position : span.start], False))
        out.append((text[max(span.start, position) : span.end], True))
        position = max(position, span.end)
    out.append((text[position:], False))
    return [piece for piece in out if piece[0]]


@login_required
def request_review(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    records_request = selectors.get_records_request_for_user(request, slug, pk)
    organisation = records_request.organisation
    require_role(request.user, organisation, *RECORDS_ROLES)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "select":
            ids = [int(v) for v in request.POST.getlist("items") if v.isdigit()]
            items = list(Item.objects.filter(organisation=organisation, pk__in=ids))
            attempt(
                request,
                lambda: disclosure.records_request_select(
                    actor=request.user,
                    request=records_request,
                    items=items,
                    query=request.POST.get("q", ""),
                ),
                _("Urvalet är sparat."),
            )
        elif action == "suggest":
            attempt(
                request,
                lambda: disclosure.redaction_suggestions_accept(
                    actor=request.user, request=records_request
                ),
                _("Föreslagna maskeringar är tillagda."),
            )
        elif action == "unredact":
            entry = get_object_or_404(
                Redaction, pk=request.POST.get("redaction"), request=records_request
            )
            attempt(
                request,
                lambda: disclosure.redaction_remove(actor=request.user, entry=entry),
                _("Maskeringen är borttagen."),
            )
        return redirect("records:request", slug=slug, pk=pk)
    search = SearchForm(request.GET or None, organisation=organisation)
    results: list[Item] = []
    bounded = False
    if search.is_valid() and request.GET:
        found = search_items(
            organisation=organisation, query=search.cleaned_data["q"], filters=search.filters()
        )
        results, bounded = found.items, found.bounded
    redactions = list(Redaction.objects.filter(request=records_request, active=True))
    selected = []
    for item in records_request.items.select_related("account").order_by("created_at"):
        spans = [(r.start, r.end) for r in redactions if r.item_id == item.pk and r.field == "text"]
        fields = {r.field for r in redactions if r.item_id == item.pk}
        selected.append(
            {
                "item": item,
                "segments": _segments(item.text, spans),
                "suggestions": redaction.suggest(item),
                "redactions": [r for r in redactions if r.item_id == item.pk],
                "author_redacted": "author_name" in fields,
                "form": PhraseRedactionForm(initial={"item": item.pk}, prefix=f"i{item.pk}"),
            }
        )
    return render(
        request,
        "records/request.html",
        {
            "organisation": organisation,
            "records_request": records_request,
            "search": search,
            "results": results,
            "bounded": bounded,
            "candidates": CANDIDATES,
            "selected_ids": set(records_request.items.values_list("pk", flat=True)),
            "selected": selected,
            "disclosures": records_request.disclosures.select_related("disclosed_by"),
            "marker": redaction.MARKER,
        },
    )


@login_required
@require_POST
def request_redact(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    records_request = selectors.get_records_request_for_user(request, slug, pk)
    item = get_object_or_404(
        Item, pk=request.POST.get("item"), organisation=records_request.organisation
    )
    form = PhraseRedactionForm(request.POST, prefix=f"i{item.pk}")
    if form.is_valid():
        attempt(
            request,
            lambda: disclosure.redaction_add_phrase(
                actor=request.user,
                request=records_request,
                item=item,
                phrase=form.cleaned_data["phrase"],
                ground=form.cleaned_data["ground"],
            ),
            _("Maskerat."),
        )
    else:
        messages.error(request, _("Ange texten som ska maskeras."))
    return redirect("records:request", slug=slug, pk=pk)


@login_required
@require_POST
def request_disclose(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    records_request = selectors.get_records_request_for_user(request, slug, pk)
    attempt(
        request,
        lambda: disclosure.records_request_disclose(actor=request.user, request=records_request),
        _("Utlämnandet är loggat."),
    )
    return redirect("records:request", slug=slug, pk=pk)


@login_required
@require_GET
def disclosure_file(
    request: AuthenticatedHttpRequest, slug: str, pk: int, disclosure_pk: int, fmt: str
) -> HttpResponseBase:
    entry = selectors.get_disclosure_for_user(request, slug, pk, disclosure_pk)
    require_role(request.user, entry.request.organisation, *RECORDS_ROLES)
    if fmt not in ("pdf", "csv"):
        raise Http404
    name = entry.pdf_name if fmt == "pdf" else entry.csv_name
    return FileResponse(
        default_storage.open(name, "rb"),
        as_attachment=True,
        filename=name.rsplit("/", 1)[-1],
        content_type="application/pdf" if fmt == "pdf" else "text/csv; charset=utf-8",
    )
