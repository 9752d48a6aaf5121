"""Records requests (REC-5): request, selection, redaction, disclosure.

A request is received and described; the registrar searches, selects the
items that answer it, reviews them with suggested redactions, adds or
removes redactions, and discloses. Disclosure renders a PDF (WeasyPrint)
and a CSV from text in which each redacted span has been replaced by a
marker — the withheld text is never written to either file — stores both
with their SHA-256 and logs the disclosure.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from kanalvakt.audit.services import audit_record
from kanalvakt.inbox.models import Item
from kanalvakt.lib.csvsafe import csv_writer
from kanalvakt.organisations.models import Organisation, Role, User
from kanalvakt.organisations.permissions import require_role
from kanalvakt.records import redaction
from kanalvakt.records.events import RecordsEvent
from kanalvakt.records.models import (
    Disclosure,
    DisposalLogEntry,
    RecordsRequest,
    Redaction,
    Registration,
)
from kanalvakt.records.storage import store

FIELDS = ("text", "author_name", "author_handle")
DISPOSED = "[gallrat]"


def _may_handle(actor: User, organisation: Organisation) -> None:
    require_role(actor, organisation, Role.REGISTRAR, Role.COMMS_LEAD)


@transaction.atomic
def records_request_create(
    *,
    actor: User,
    organisation: Organisation,
    requester: str,
    description: str,
    requester_contact: str = "",
    received_at: datetime.datetime | None = None,
    query: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> RecordsRequest:
    _may_handle(actor, organisation)
    request = RecordsRequest(
        organisation=organisation,
        requester=requester.strip(),
        requester_contact=requester_contact.strip(),
        description=description.strip(),
        received_at=received_at or timezone.now(),
        query=query.strip(),
        date_from=date_from,
        date_to=date_to,
        created_by=actor,
    )
    request.full_clean()
    request.save()
    audit_record(
        actor=actor,
        organisation=organisation,
        event_type=RecordsEvent.REQUEST_RECEIVED,
        target=request,
        data={"requester": request.requester, "description": request.description[:500]},
    )
    return request


@transaction.atomic
def records_request_select(
    *, actor: User, request: RecordsRequest, items: list[Item], query: str = ""
) -> RecordsRequest:
    """Set the items that answer the request (all from its organisation)."""
    _may_handle(actor, request.organisation)
    if any(item.organisation_id != request.organisation_id for item in items):
        raise PermissionDenied(_("Meddelanden från en annan organisation."))
    if request.status == RecordsRequest.Status.DISCLOSED:
        raise ValidationError(_("Begäran är redan utlämnad."))
    request.items.set(items)
    request.status = RecordsRequest.Status.IN_REVIEW
    request.query = query.strip() or request.query
    request.save(update_fields=["status", "query"])
    audit_record(
        actor=actor,
        organisation=request.organisation,
        event_type=RecordsEvent.REQUEST_ITEMS_SELECTED,
        target=request,
        data={"items": [item.pk for item in items], "query": request.query},
    )
    return request


def _field_value(item: Item, field: str) -> str:
    if field not in FIELDS:
        raise ValidationError(_("Okänt fält."))
    return str(getattr(item, field))


@transaction.atomic
def redaction_add(
    *,
    actor: User,
    request: RecordsRequest,
    item: Item,
    start: int,
    end: int,
    field: str = "text",
    kind: str = "manual",
    ground: str = "",
) -> Redaction:
    """Withhold characters start..end of one field of an item in this request."""
    _may_handle(actor, request.organisation)
    if not request.items.filter(pk=item.pk).exists():
        raise ValidationError(_("Meddelandet hör inte till begäran."))
    value = _field_value(item, field)
    if not 0 <= start < end <= len(value):
        raise ValidationError(_("Markeringen ligger utanför texten."))
    entry = Redaction(
        request=request,
        item=item,
        field=field,
        start=start,
        end=end,
        kind=kind[:30],
        ground=ground[:300],
        created_by=actor,
        created_at=timezone.now(),
    )
    entry.full_clean()
    entry.save()
    audit_record(
        actor=actor,
        organisation=request.organisation,
        event_type=RecordsEvent.REDACTION_ADDED,
        target=entry,
        data={"item": item.pk, "field": field, "start": start, "end": end, "kind": entry.kind},
    )
    return entry


@transaction.atomic
def redaction_add_phrase(
    *, actor: User, request: RecordsRequest, item: Item, phrase: str, ground: str = ""
) -> list[Redaction]:
    """Withhold every occurrence of a phrase (as selected on the review screen)."""
    spans = redaction.find_all(item.text, phrase)
    if not spans:
        raise ValidationError(_("Texten finns inte i meddelandet."))
    return [
        redaction_add(
            actor=actor, request=request, item=item, start=s, end=e, kind="manual", ground=ground
        )
        for s, e in spans
    ]


@transaction.atomic
def redaction_suggestions_accept(*, actor: User, request: RecordsRequest) -> int:
    """Add every suggested redaction not already there. Returns how many were added."""
    added = 0
    for item in request.items.all():
        existing = {
            (r.field, r.start, r.end)
            for r in Redaction.objects.filter(request=request, item=item, active=True)
        }
        for span in redaction.suggest(item):
            if (span.field, span.start, span.end) in existing:
                continue
            redaction_add(
                actor=actor,
                request=request,
                item=item,
                start=span.start,
                end=span.end,
                field=span.field,
                kind=span.kind,
                ground="OSL 21 kap. 7 § / personuppgifter",
            )
            added += 1
    return added


@transaction.atomic
def redaction_remove(*, actor: User, entry: Redaction) -> Redaction:
    _may_handle(actor, entry.request.organisation)
    entry.active = False
    entry.save(update_fields=["active"])
    audit_record(
        actor=actor,
        organisation=entry.request.organisation,
        event_type=RecordsEvent.REDACTION_REMOVED,
        target=entry,
        data={"item": entry.item_id},
    )
    return entry


@dataclass(frozen=True)
class DisclosedItem:
    item_id: int
    created_at: datetime.datetime
    platform: str
    account: str
    kind: str
    record_number: str
    author_name: str
    author_handle: str
    text: str


def redacted_items(request: RecordsRequest) -> list[DisclosedItem]:
    """The request's items as they will be disclosed: redacted spans replaced by a marker."""
    spans: dict[tuple[int, str], list[tuple[int, int]]] = {}
    for entry in Redaction.objects.filter(request=request, active=True):
        spans.setdefault((entry.item_id, entry.field), []).append((entry.start, entry.end))
    items = request.items.select_related("account").order_by("created_at", "pk")
    numbers = dict(
        Registration.objects.filter(item__in=items)
        .exclude(record_number="")
        .values_list("item_id", "record_number")
    )
    disposed = set(
        DisposalLogEntry.objects.filter(item__in=items).values_list("item_id", flat=True)
    )
    result = []
    for item in items:
        values = {
            field: redaction.apply(_field_value(item, field), spans.get((item.pk, field), []))
            for field in FIELDS
        }
        result.append(
            DisclosedItem(
                item_id=item.pk,
                created_at=item.created_at,
                platform=item.get_platform_display(),
                account=str(item.account),
                kind=item.get_kind_display(),
                record_number=numbers.get(item.pk, ""),
                author_name=values["author_name"],
                author_handle=values["author_handle"],
                text=DISPOSED if item.pk in disposed else values["text"],
            )
        )
    return result


def disclosure_csv(rows: list[DisclosedItem]) -> bytes:
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(
        [
            "id",
            "skrivet",
            "plattform",
            "konto",
            "typ",
            "diarienummer",
            "avsändare",
            "användarnamn",
            "text",
        ]
    )
    for row in rows:
        writer.writerow(
            [
                row.item_id,
                row.created_at.isoformat(),
                row.platform,
                row.account,
                row.kind,
                row.record_number,
                row.author_name,
                row.author_handle,
                row.text,
            ]
        )
    return buffer.getvalue().encode("utf-8-sig")


def disclosure_pdf(request: RecordsRequest, rows: list[DisclosedItem]) -> bytes:
    import weasyprint  # type: ignore[import-untyped]

    html = render_to_string(
        "records/disclosure_pdf.html",
        {
            "request": request,
            "rows": rows,
            "organisation": request.organisation,
            "marker": redaction.MARKER,
            "now": timezone.now(),
        },
    )
    pdf: bytes = weasyprint.HTML(string=html).write_pdf()
    return pdf


@transaction.atomic
def records_request_disclose(*, actor: User, request: RecordsRequest) -> Disclosure:
    """Render, store and log the disclosure: PDF and CSV without the redacted text."""
    _may_handle(actor, request.organisation)
    request = RecordsRequest.objects.select_for_update().get(pk=request.pk)
    rows = redacted_items(request)
    if not rows:
        raise ValidationError(_("Välj minst ett meddelande innan utlämnandet."))
    now = timezone.now()
    base = f"records/disclosures/{request.organisation.slug}/{request.pk}-{now:%Y%m%d%H%M%S}"
    pdf_name, pdf_sha = store(f"{base}.pdf", disclosure_pdf(request, rows))
    csv_name, csv_sha = store(f"{base}.csv", disclosure_csv(rows))
    redactions = Redaction.objects.filter(request=request, active=True).count()
    disclosure = Disclosure.objects.create(
        request=request,
        disclosed_by=actor,
        disclosed_at=now,
        item_count=len(rows),
        redaction_count=redactions,
        pdf_name=pdf_name,
        pdf_sha256=pdf_sha,
        csv_name=csv_name,
        csv_sha256=csv_sha,
    )
    request.status = RecordsRequest.Status.DISCLOSED
    request.save(update_fields=["status"])
    audit_record(
        actor=actor,
        organisation=request.organisation,
        event_type=RecordsEvent.DISCLOSED,
        target=disclosure,
        data={
            "request": request.pk,
            "items": [row.item_id for row in rows],
            "redactions": redactions,
            "pdf_sha256": pdf_sha,
            "csv_sha256": csv_sha,
        },
    )
    return disclosure
