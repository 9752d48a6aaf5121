"""Saved inbox filters: a person names the list's current filter and finds it again."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kanalvakt.audit.services import audit_record
from kanalvakt.inbox.events import InboxEvent
from kanalvakt.inbox.models import SavedFilter
from kanalvakt.organisations.models import Organisation, User
from kanalvakt.organisations.permissions import require_member
from kanalvakt.organisations.selectors import get_organisation_for_user
from kanalvakt.web.actions import attempt
from kanalvakt.web.http import AuthenticatedHttpRequest

FILTER_KEYS = ("account", "state", "due", "mine", "q")


def saved_filter_list(*, user: User, organisation: Organisation) -> QuerySet[SavedFilter]:
    return SavedFilter.objects.filter(user=user, organisation=organisation)


def _clean_query(query: str) -> str:
    """Only the list's own filter fields are kept (no page number, nothing else)."""
    pairs = [(key, value) for key, value in parse_qsl(query) if key in FILTER_KEYS and value]
    return urlencode(pairs)


@transaction.atomic
def saved_filter_save(
    *, actor: User, organisation: Organisation, name: str, query: str
) -> SavedFilter:
    require_member(actor, organisation)
    name = name.strip()[:80]
    if not name:
        raise ValidationError(_("Ge filtret ett namn."))
    saved, _created = SavedFilter.objects.update_or_create(
        organisation=organisation,
        user=actor,
        name=name,
        defaults={"query": _clean_query(query)[:1000], "created_at": timezone.now()},
    )
    audit_record(
        actor=actor,
        organisation=organisation,
        event_type=InboxEvent.FILTER_SAVED,
        target=saved,
        data={"name": name, "query": saved.query},
    )
    return saved


@transaction.atomic
def saved_filter_delete(*, actor: User, saved: SavedFilter) -> None:
    if saved.user_id != actor.pk:
        raise ValidationError(_("Det är inte ditt filter."))
    audit_record(
        actor=actor,
        organisation=saved.organisation,
        event_type=InboxEvent.FILTER_DELETED,
        target=saved,
        data={"name": saved.name},
    )
    saved.delete()


@login_required
@require_POST
def saved_filter_views(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Save the current filter under a name, or delete one of one's own."""
    organisation = get_organisation_for_user(request, slug)
    back = reverse("inbox:list", kwargs={"slug": slug})
    delete = request.POST.get("delete", "")
    if delete.isdigit():
        saved = (
            saved_filter_list(user=request.user, organisation=organisation)
            .filter(pk=int(delete))
            .first()
        )
        if saved is not None:
            attempt(
                request,
                lambda: saved_filter_delete(actor=request.user, saved=saved),
                _("Filtret är borttaget."),
            )
        return redirect(back)
    query = request.POST.get("query", "")
    if attempt(
        request,
        lambda: saved_filter_save(
            actor=request.user,
            organisation=organisation,
            name=request.POST.get("name", ""),
            query=query,
        ),
        _("Filtret är sparat."),
    ):
        return redirect(f"{back}?{_clean_query(query)}")
    return redirect(back)
