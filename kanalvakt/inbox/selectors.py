"""Organisation-scoped reads of the inbox. Another organisation's entries answer 404."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Case, Exists, F, IntegerField, OuterRef, QuerySet, Value, When
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone

from kanalvakt.inbox.models import OPEN_STATES, Escalation, InboxEntry, Item
from kanalvakt.organisations.models import Organisation, User
from kanalvakt.organisations.selectors import get_organisation_for_user

DUE_SOON = datetime.timedelta(hours=4)


@dataclass(frozen=True)
class EntryFilters:
    account: int | None = None
    state: str = ""
    due: str = ""
    """"soon" (open, due within DUE_SOON), "overdue" (open, past due) or ""."""
    mine: bool = False
    escalated: bool = False


def entry_list(
    *,
    organisation: Organisation,
    viewer: User,
    filters: EntryFilters | None = None,
    now: datetime.datetime | None = None,
) -> QuerySet[InboxEntry]:
    """Entries of the organisation, what is due first at the top, undated last."""
    filters = filters or EntryFilters()
    now = now or timezone.now()
    entries = InboxEntry.objects.filter(organisation=organisation).select_related(
        "item", "account", "assigned_to"
    )
    if filters.account:
        entries = entries.filter(account_id=filters.account)
    if filters.state == "open":
        entries = entries.filter(state__in=OPEN_STATES)
    elif filters.state:
        entries = entries.filter(state=filters.state)
    if filters.due == "soon":
        entries = entries.filter(state__in=OPEN_STATES, due_at__gt=now, due_at__lte=now + DUE_SOON)
    elif filters.due == "overdue":
        entries = entries.filter(state__in=OPEN_STATES, due_at__lte=now)
    if filters.mine:
        entries = entries.filter(assigned_to=viewer)
    entries = entries.annotate(
        escalated=Exists(Escalation.objects.filter(entry=OuterRef("pk"))),
        closed_last=Case(
            When(state__in=OPEN_STATES, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
    )
    if filters.escalated:
        entries = entries.filter(escalated=True)
    return entries.order_by(
        "closed_last", F("due_at").asc(nulls_last=True), "-item__created_at", "pk"
    )


def get_entry_for_user(request: HttpRequest, slug: str, pk: int) -> InboxEntry:
    organisation = get_organisation_for_user(request, slug)
    return get_object_or_404(
        InboxEntry.objects.filter(organisation=organisation).select_related(
            "item",
            "item__delivery",
            "account",
            "account__responsible",
            "assigned_to",
            "organisation",
            "intent_corrected_by",
        ),
        pk=pk,
    )


@dataclass
class Thread:
    """The items around one item on the same account."""

    root: Item | None = None
    parent: Item | None = None
    siblings: list[Item] = field(default_factory=list)
    replies: list[Item] = field(default_factory=list)

    @property
    def all_others(self) -> list[Item]:
        seen: dict[int, Item] = {}
        for item in [self.root, self.parent, *self.siblings, *self.replies]:
            if item is not None:
                seen[item.pk] = item
        return list(seen.values())


def thread_for(item: Item) -> Thread:
    same_account = Item.objects.filter(account_id=item.account_id).exclude(pk=item.pk)
    thread = Thread()
    if item.parent_external_id:
        thread.parent = same_account.filter(external_id=item.parent_external_id).first()
        thread.siblings = list(
            same_account.filter(parent_external_id=item.parent_external_id).order_by("created_at")[
                :50
            ]
        )
    if item.thread_id and item.thread_id != item.parent_external_id:
        thread.root = same_account.filter(external_id=item.thread_id).first()
    thread.replies = list(
        same_account.filter(parent_external_id=item.external_id).order_by("created_at")[:50]
    )
    return thread
