"""Organisation-scoped reads for records. Another organisation's rows answer 404."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from kanalvakt.organisations.models import Organisation
from kanalvakt.organisations.selectors import get_organisation_for_user
from kanalvakt.records.models import (
    ArchivePackage,
    Disclosure,
    RecordsRequest,
    Registration,
    RegistrationStatus,
    Snapshot,
)


def registration_queue(*, organisation: Organisation) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(organisation=organisation, status=RegistrationStatus.PENDING)
        .select_related("item__account", "snapshot__account")
        .order_by("created_at", "pk")
    )


def registration_suggestions(*, organisation: Organisation) -> QuerySet[Registration]:
    """Items a pack rule suggests registering (`suggest: true`); the registrar judges them."""
    return (
        Registration.objects.filter(
            organisation=organisation,
            status=RegistrationStatus.NOT_REQUIRED,
            rule_path__startswith="registration.register",
        )
        .select_related("item__account")
        .order_by("-created_at", "-pk")
    )


def registration_list(
    *, organisation: Organisation, status: str | None = RegistrationStatus.REGISTERED
) -> QuerySet[Registration]:
    registrations = Registration.objects.filter(organisation=organisation)
    if status:
        registrations = registrations.filter(status=status)
    return registrations.select_related(
        "item__account",
        "snapshot__account",
        "registered_by",
        "forwarded_to_unit",
        "forwarded_to_user",
    ).order_by("-registered_at", "-pk")


def get_registration_for_user(request: HttpRequest, slug: str, pk: int) -> Registration:
    organisation = get_organisation_for_user(request, slug)
    return get_object_or_404(
        Registration.objects.select_related("organisation"), pk=pk, organisation=organisation
    )


def get_snapshot_for_user(request: HttpRequest, slug: str, pk: int) -> Snapshot:
    organisation = get_organisation_for_user(request, slug)
    return get_object_or_404(Snapshot, pk=pk, organisation=organisation)


def get_records_request_for_user(request: HttpRequest, slug: str, pk: int) -> RecordsRequest:
    organisation = get_organisation_for_user(request, slug)
    return get_object_or_404(
        RecordsRequest.objects.select_related("organisation"), pk=pk, organisation=organisation
    )


def get_disclosure_for_user(
    request: HttpRequest, slug: str, pk: int, disclosure_pk: int
) -> Disclosure:
    records_request = get_records_request_for_user(request, slug, pk)
    return get_object_or_404(Disclosure, pk=disclosure_pk, request=records_request)


def get_package_for_user(request: HttpRequest, slug: str, pk: int) -> ArchivePackage:
    organisation = get_organisation_for_user(request, slug)
    package = ArchivePackage.objects.filter(pk=pk, organisation=organisation).first()
    if package is None:
        raise Http404
    return package
