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

from kanalvakt.lib.netguard import OutboundRefused, check_platform_url
from kanalvakt.organisations.models import Organisation, Role
from kanalvakt.organisations.permissions import require_role
from kanalvakt.organisations.selectors import get_organisation_for_user
from kanalvakt.records import archive, disposal, registration, selectors
from kanalvakt.records.events import RecordsEvent
from kanalvakt.records.exports import registrations_csv, registrations_xml
from kanalvakt.records.forms import (
    ExemptForm,
    HoldForm,
    PackageForm,
    RegisterForm,
)
from kanalvakt.records.models import (
    ArchivePackage,
    DisposalRun,
    LegalHold,
    RegistrationStatus,
    Snapshot,
    SnapshotFile,
)
from kanalvakt.records.snapshots import before_major_change_allowed, half_yearly_rule
from kanalvakt.register.models import Account
from kanalvakt.web.actions import attempt
from kanalvakt.web.http import AuthenticatedHttpRequest

RECORDS_ROLES = (Role.REGISTRAR, Role.COMMS_LEAD)
SNAPSHOT_ROLES = (Role.REGISTRAR, Role.COMMS_LEAD, Role.ACCOUNT_OWNER, Role.MANAGER)


def records_organisation(request: AuthenticatedHttpRequest, slug: str) -> Organisation:
    """The organisation of the URL, for its registrar or comms lead (404/403 otherwise)."""
    organisation = get_organisation_for_user(request, slug)
    require_role(request.user, organisation, *RECORDS_ROLES)
    return organisation


@login_required
@require_GET
def queue(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = records_organisation(request, slug)
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
    organisation = records_organisation(request, slug)
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
    organisation = records_organisation(request, slug)
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
    organisation = records_organisation(request, slug)
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
def packages(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = records_organisation(request, slug)
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
