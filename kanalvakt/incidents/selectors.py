"""Organisation-scoped reads of incidents; another organisation's answer 404."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from kanalvakt.incidents.models import Incident, IncidentStatus
from kanalvakt.organisations.models import Organisation
from kanalvakt.organisations.selectors import get_organisation_for_user


def incident_list(*, organisation: Organisation, open_only: bool = False) -> QuerySet[Incident]:
    incidents = Incident.objects.filter(organisation=organisation).select_related(
        "account", "reported_by"
    )
    if open_only:
        incidents = incidents.exclude(status=IncidentStatus.RESOLVED)
    return incidents


def get_incident_for_user(request: HttpRequest, slug: str, pk: int) -> Incident:
    organisation = get_organisation_for_user(request, slug)
    incident = incident_list(organisation=organisation).filter(pk=pk).first()
    if incident is None:
        raise Http404
    return incident
