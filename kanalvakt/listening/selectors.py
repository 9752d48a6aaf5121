"""Organisation-scoped reads for listening; another organisation's rows answer 404."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from kanalvakt.listening.models import ListeningSource, Mention
from kanalvakt.organisations.models import Organisation
from kanalvakt.organisations.selectors import get_organisation_for_user


def mention_list(*, organisation: Organisation) -> QuerySet[Mention]:
    return Mention.objects.filter(organisation=organisation).select_related("source")


def source_list(*, organisation: Organisation) -> QuerySet[ListeningSource]:
    return ListeningSource.objects.filter(organisation=organisation)


def get_mention_for_user(request: HttpRequest, slug: str, pk: int) -> Mention:
    organisation = get_organisation_for_user(request, slug)
    mention = mention_list(organisation=organisation).filter(pk=pk).first()
    if mention is None:
        raise Http404
    return mention


def get_source_for_user(request: HttpRequest, slug: str, pk: int) -> ListeningSource:
    organisation = get_organisation_for_user(request, slug)
    source = source_list(organisation=organisation).filter(pk=pk).first()
    if source is None:
        raise Http404
    return source
