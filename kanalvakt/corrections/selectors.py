"""Organisation-scoped reads of corrections; another organisation's answer 404."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from kanalvakt.corrections.models import Correction
from kanalvakt.organisations.models import Organisation
from kanalvakt.organisations.selectors import get_organisation_for_user


def correction_list(*, organisation: Organisation) -> QuerySet[Correction]:
    return Correction.objects.filter(organisation=organisation).select_related(
        "entry__item__account", "closed_by"
    )


def get_correction_for_user(request: HttpRequest, slug: str, pk: int) -> Correction:
    organisation = get_organisation_for_user(request, slug)
    correction = correction_list(organisation=organisation).filter(pk=pk).first()
    if correction is None:
        raise Http404
    return correction
