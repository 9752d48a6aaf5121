"""Records pages: the registrar's queue, snapshots, disposal, requests, packages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kanalvakt.inbox.models import Item
from kanalvakt.lib.netguard import OutboundRefused, check_platform_url
from kanalvakt.organisations.models import Organisation, Role
from kanalvakt.organisations.permissions import require_role
from kanalvakt.organisations.selectors import get_organisation_for_user
from kanalvakt.records import archive, disclosure, disposal, redaction, registration, selectors
from kanalvakt.records.events import RecordsEvent
from kanalvakt.records.exports import registrations_csv, registrations_xml
from kanalvakt.records.forms import (
    ExemptForm,
    HoldForm,
    PackageForm,
    PhraseRedactionForm,
    RecordsRequestForm,
    RegisterForm,
    SearchForm,
)
from kanalvakt.records.models import (
    ArchivePackage,
    DisposalRun,
    LegalHold,
    RecordsRequest,
    Redaction,
    RegistrationStatus,
    Snapshot,
    SnapshotFile,
)
from kanalvakt.records.search import CANDIDATES, search_items
from kanalvakt.records.snapshots import before_major_change_allowed, half_yearly_rule
from kanalvakt.register.models import Account
from kanalvakt.web.actions import attempt
from kanalvakt.web.http import AuthenticatedHttpRequest

RECORDS_ROLES = (Role.REGISTRAR, Role.COMMS_LEAD)
SNAPSHOT_ROLES = (Role.REGISTRAR, Role.COMMS_LEAD, Role.ACCOUNT_OWNER, Role.MANAGER)


def _records_organisation(request: AuthenticatedHttpRequest, slug: str) -> Organisation:
    organisation = get_organisation_for_user(request, slug)
    require_role(request.user, organisation, *RECORDS_ROLES)
    return organisation


@login_required
@require_GET
def queue(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = _records_organisation(request, slug)
    pending = selectors.registration_queue(organisation=organisation)[:200]
    return render(
        request,
        "records/queue.html",
        {
            "organisation": organisation,
            "pending": pending,
            "suggested": selectors.registration_suggestions(organisation=organisation)[:100],
            "register_form": RegisterForm(organisation=organisation),
            "exempt_form": ExemptForm(),
        },
    )


@login_required
@require_GET
def registered(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = _records_organisation(request, slug)
    status = request.GET.get("status", RegistrationStatus.REGISTERED)
    if status not in RegistrationStatus.values:
        status = RegistrationStatus.REGISTERED
    rows = selectors.registration_list(organisation=organisation, status=status)[:500]
    return render(
        request,
        "records/registered.html",
        {
            "organisation": organisation,
            "rows": rows,
            "status": status,
            "statuses": RegistrationStatus.choices,
        },
    )


@login_required
@require_POST
def register(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    entry = selectors.get_registration_for_user(request, slug, pk)
    form = RegisterForm(request.POST, organisation=entry.organisation)
    if form.is_valid():
        result: dict[str, str] = {}

        def act() -> None:
            done = registration.registration_register(
                actor=request.user,
                registration=entry,
                unit=form.cleaned_data["unit"],
                case_officer=form.cleaned_data["case_officer"],
            )
            result["number"] = done.record_number

        if attempt(request, act, _("Diariefört.")):
            messages.info(request, _("Diarienummer: %(number)s") % result)
    return redirect("records:queue", slug=slug)


@login_required
@require_POST
def exempt(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    entry = selectors.get_registration_for_user(request, slug, pk)
    form = ExemptForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: registration.registration_exempt(
                actor=request.user, registration=entry, reason=form.cleaned_data["reason"]
            ),
            _("Undantaget från diarieföring."),
        )
    else:
        messages.error(request, _("Ange ett skäl."))
    return redirect("records:queue", slug=slug)


@login_required
@require_POST
def forward(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    entry = selectors.get_registration_for_user(request, slug, pk)
    form = RegisterForm(request.POST, organisation=entry.organisation)
    if form.is_valid():
        attempt(
            request,
            lambda: registration.registration_forward(
                actor=request.user,
                registration=entry,
                unit=form.cleaned_data["unit"],
                case_officer=form.cleaned_data["case_officer"],
            ),
            _("Överlämnat."),
        )
    return redirect("records:registered", slug=slug)


@login_required
@require_GET
def export(request: AuthenticatedHttpRequest, slug: str, fmt: str) -> HttpResponse:
    organisation = _records_organisation(request, slug)
    rows = selectors.registration_list(organisation=organisation).prefetch_related(
        "snapshot__files"
    )
    if fmt == "csv":
        body, content_type = (
            registrations_csv(rows.iterator(chunk_size=500)),
            "text/csv; charset=utf-8",
        )
    elif fmt == "xml":
        body = registrations_xml(rows, organisation=organisation.slug)
        content_type = "application/xml"
    else:
        raise Http404
    _audit_export(request, organisation, fmt)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="diarium-{organisation.slug}.{fmt}"'
    return response


@transaction.atomic
def _audit_export(request: AuthenticatedHttpRequest, organisation: Organisation, fmt: str) -> None:
    from kanalvakt.audit.services import audit_record

    audit_record(
        actor=request.user,
        organisation=organisation,
        event_type=RecordsEvent.EXPORTED,
        target=organisation,
        data={"format": fmt},
    )


@login_required
@require_GET
def snapshots(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for_user(request, slug)
    require_role(request.user, organisation, *SNAPSHOT_ROLES)
    accounts = Account.objects.filter(organisation=organisation).order_by("platform", "handle")
    rows = (
        Snapshot.objects.filter(organisation=organisation)
        .select_related("account")
        .prefetch_related("files")[:200]
    )
    return render(
        request,
        "records/snapshots.html",
        {
            "organisation": organisation,
            "accounts": accounts,
            "snapshots": rows,
            "half_yearly": half_yearly_rule(organisation),
            "before_change_rule": before_major_change_allowed(organisation),
        },
    )


@login_required
@require_POST
def snapshot_request(request: AuthenticatedHttpRequest, slug: str, account_pk: int) -> HttpResponse:
    organisation = get_organisation_for_user(request, slug)
    account = get_object_or_404(Account, pk=account_pk, organisation=organisation)
    require_role(request.user, organisation, *SNAPSHOT_ROLES)
    from kanalvakt.records.tasks import snapshot_before_major_change

    try:
        check_platform_url(account.url, account.platform)
    except OutboundRefused as error:
        messages.error(
            request, _("Ögonblicksbilden kan inte tas: %(reason)s") % {"reason": str(error)}
        )
        return redirect("records:snapshots", slug=slug)
    user_id = request.user.pk
    transaction.on_commit(lambda: snapshot_before_major_change.enqueue(account.pk, user_id))
    messages.success(request, _("Ögonblicksbilden tas inom kort och hamnar i registratorns kö."))
    return redirect("records:snapshots", slug=slug)


@login_required
@require_GET
def snapshot_file(
    request: AuthenticatedHttpRequest, slug: str, pk: int, kind: str
) -> HttpResponseBase:
    snapshot = selectors.get_snapshot_for_user(request, slug, pk)
    require_role(request.user, snapshot.organisation, *SNAPSHOT_ROLES)
    file = get_object_or_404(SnapshotFile, snapshot=snapshot, kind=kind)
    return FileResponse(
        default_storage.open(file.name, "rb"),
        content_type=file.content_type,
        as_attachment=kind == "warc",
        filename=file.name.rsplit("/", 1)[-1],
    )


@login_required
def disposal_page(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = _records_organisation(request, slug)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "hold":
            form = HoldForm(request.POST)
            account = None
            if request.POST.get("account"):
                account = get_object_or_404(
                    Account, pk=request.POST["account"], organisation=organisation
                )
            if form.is_valid():
                attempt(
                    request,
                    lambda: disposal.legal_hold_place(
                        actor=request.user,
                        organisation=organisation,
                        reason=form.cleaned_data["reason"],
                        account=account,
                    ),
                    _("Bevarandespärren gäller nu."),
                )
        elif action == "release":
            hold = get_object_or_404(
                LegalHold, pk=request.POST.get("hold"), organisation=organisation
            )
            attempt(
                request,
                lambda: disposal.legal_hold_release(actor=request.user, hold=hold),
                _("Spärren är hävd."),
            )
        elif action == "run":
            attempt(
                request,
                lambda: disposal.disposal_run(actor=request.user, organisation=organisation),
                _("Gallringen är genomförd och loggad."),
            )
        return redirect("records:disposal", slug=slug)
    decision = disposal.disposal_decision(organisation)
    return render(
        request,
        "records/disposal.html",
        {
            "organisation": organisation,
            "decision": decision,
            "silence": disposal.disposal_silence(organisation),
            "holds": LegalHold.objects.filter(organisation=organisation).select_related(
                "account", "placed_by"
            ),
            "runs": DisposalRun.objects.filter(organisation=organisation).prefetch_related(
                "entries"
            )[:50],
            "accounts": Account.objects.filter(organisation=organisation),
            "hold_form": HoldForm(),
        },
    )


@login_required
def requests(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = _records_organisation(request, slug)
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


@login_required
def packages(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = _records_organisation(request, slug)
    form = PackageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if attempt(
            request,
            lambda: archive.package_export(
                actor=request.user,
                organisation=organisation,
                fmt=data["format"],
                date_from=data["date_from"],
                date_to=data["date_to"],
            ),
            _("Arkivpaketet är klart."),
        ):
            return redirect("records:packages", slug=slug)
    return render(
        request,
        "records/packages.html",
        {
            "organisation": organisation,
            "form": form,
            "rows": ArchivePackage.objects.filter(organisation=organisation)[:100],
        },
    )


@login_required
@require_GET
def package_file(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponseBase:
    package = selectors.get_package_for_user(request, slug, pk)
    require_role(request.user, package.organisation, *RECORDS_ROLES)
    return FileResponse(
        default_storage.open(package.name, "rb"),
        as_attachment=True,
        filename=package.name.rsplit("/", 1)[-1],
        content_type="application/zip",
    )
