"""Issue 10: the inbox as a work tool, and inbox and moderation as one flow."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import translation

from conftest import OrganisationWorld
from kanalvakt.audit.models import AuditEvent
from kanalvakt.inbox.entries import BulkAction, entries_bulk, entry_reopen
from kanalvakt.inbox.models import ClosedReason, EntryState, InboxEntry, SavedFilter
from kanalvakt.inbox.services import entry_assign, entry_close
from kanalvakt.inbox.tests.conftest import Receive
from kanalvakt.moderation.models import DecisionKind, ModerationCase
from kanalvakt.moderation.services import case_decide
from kanalvakt.notifications.models import Notification, NotificationKind
from kanalvakt.register.models import Account

pytestmark = pytest.mark.django_db

THREAT = "Jag vet var du bor och jag ska döda dig, din jävla idiot"


def _entry(receive: Receive, account: Account, text: str) -> InboxEntry:
    return InboxEntry.objects.get(item=receive(account, text))


def test_removing_a_comment_closes_its_entry_with_a_link_to_the_decision(
    overkalix: Account, receive: Receive, world: OrganisationWorld, client: Client
) -> None:
    entry = _entry(receive, overkalix, THREAT)
    case = ModerationCase.objects.get(item=entry.item)
    client.force_login(world.account_owner)
    url = reverse("inbox:entry", kwargs={"slug": "overkalix", "pk": entry.pk})
    before = client.get(url).content.decode()
    assert "väntar på ett modereringsbeslut" in before
    assert reverse("moderation:case", kwargs={"slug": "overkalix", "pk": case.pk}) in before

    case_decide(actor=world.account_owner, case=case, kind=DecisionKind.REMOVE, reason="Olaga hot")

    entry.refresh_from_db()
    assert entry.state == EntryState.NO_ANSWER_NEEDED
    assert entry.closed_reason == ClosedReason.MODERATED
    assert entry.handled_by == world.account_owner
    assert entry.closed_at is not None
    after = client.get(url).content.decode()
    assert "Borttagen – inget svar behövs." in after
    assert "Se modereringsbeslutet" in after
    assert "Svar senast" not in after  # the clock stopped
    assert "Öppna igen" in after


def test_keeping_a_comment_leaves_its_entry_open(
    overkalix: Account, receive: Receive, world: OrganisationWorld
) -> None:
    entry = _entry(receive, overkalix, THREAT)
    case = ModerationCase.objects.get(item=entry.item)
    case_decide(actor=world.account_owner, case=case, kind=DecisionKind.KEEP, reason="Ironi")
    entry.refresh_from_db()
    assert entry.is_open


def test_decided_cases_show_decision_who_and_when_and_no_clock(
    overkalix: Account, receive: Receive, world: OrganisationWorld, client: Client
) -> None:
    entry = _entry(receive, overkalix, THREAT)
    case = ModerationCase.objects.get(item=entry.item)
    case_decide(actor=world.account_owner, case=case, kind=DecisionKind.HIDE, reason="Hot")
    client.force_login(world.comms_lead)
    listing = client.get(
        reverse("moderation:queue", kwargs={"slug": "overkalix"}), {"visa": "avgjorda"}
    ).content.decode()
    assert "Beslutat av" in listing
    assert "dölj" in listing
    assert str(world.account_owner) in listing
    assert "time-left" not in listing
    detail = client.get(
        reverse("moderation:case", kwargs={"slug": "overkalix", "pk": case.pk})
    ).content.decode()
    assert "time-left" not in detail
    assert f"dölj, av {world.account_owner}" in detail


def test_a_closed_entry_can_be_reopened_and_it_is_audited(
    overkalix: Account, receive: Receive, world: OrganisationWorld
) -> None:
    entry = _entry(receive, overkalix, "När öppnar simhallen?")
    entry_close(actor=world.account_owner, entry=entry, no_answer_needed=True)
    entry.refresh_from_db()
    assert entry.handled_by == world.account_owner
    entry_reopen(actor=world.account_owner, entry=entry)
    entry.refresh_from_db()
    assert entry.is_open
    assert entry.closed_at is None and entry.handled_by is None
    assert AuditEvent.objects.filter(
        event_type="inbox_entry.reopened", target_id=str(entry.pk)
    ).exists()
    with pytest.raises(PermissionDenied):
        entry_reopen(actor=world.registrar, entry=entry)


def test_bulk_actions_close_assign_moderate_and_mark_spam(
    overkalix: Account, receive: Receive, world: OrganisationWorld
) -> None:
    entries = [_entry(receive, overkalix, f"Fråga nummer {n}?") for n in range(4)]
    result = entries_bulk(
        actor=world.comms_lead, entries=entries[:2], action=BulkAction.ASSIGN, to=world.publisher
    )
    assert result.done == 2
    assert {
        e.assigned_to for e in InboxEntry.objects.filter(pk__in=[e.pk for e in entries[:2]])
    } == {world.publisher}
    entries_bulk(actor=world.comms_lead, entries=[entries[2]], action=BulkAction.SPAM)
    spam = InboxEntry.objects.get(pk=entries[2].pk)
    assert spam.closed_reason == ClosedReason.SPAM and not spam.is_open
    entries_bulk(actor=world.comms_lead, entries=[entries[3]], action=BulkAction.MODERATE)
    assert ModerationCase.objects.filter(item=entries[3].item).exists()
    refused = entries_bulk(actor=world.registrar, entries=[entries[0]], action=BulkAction.CLOSE)
    assert refused.done == 0 and len(refused.refused) == 1


def test_bulk_view_only_touches_the_organisations_own_entries(
    overkalix: Account, receive: Receive, world: OrganisationWorld, client: Client
) -> None:
    entry = _entry(receive, overkalix, "Hur söker man bygglov?")
    client.force_login(world.comms_lead)
    response = client.post(
        reverse("inbox:bulk", kwargs={"slug": "overkalix"}),
        {"entry": [str(entry.pk)], "action": "close"},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.state == EntryState.NO_ANSWER_NEEDED


def test_search_finds_by_words(
    overkalix: Account, receive: Receive, world: OrganisationWorld, client: Client
) -> None:
    receive(overkalix, "När öppnar simhallen efter renoveringen?")
    receive(overkalix, "Hur söker man bygglov?")
    client.force_login(world.account_owner)
    body = client.get(
        reverse("inbox:list", kwargs={"slug": "overkalix"}), {"q": "simhallen"}
    ).content.decode()
    assert "simhallen" in body and "bygglov" not in body


def test_a_saved_filter_comes_back_and_belongs_to_its_owner(
    overkalix: Account, world: OrganisationWorld, client: Client
) -> None:
    client.force_login(world.account_owner)
    url = reverse("inbox:saved_filter", kwargs={"slug": "overkalix"})
    client.post(url, {"name": "Mina försenade", "query": "due=overdue&mine=on&sida=3&x=1"})
    saved = SavedFilter.objects.get(user=world.account_owner)
    assert saved.query == "due=overdue&mine=on"
    body = client.get(reverse("inbox:list", kwargs={"slug": "overkalix"})).content.decode()
    assert "Mina försenade" in body
    client.force_login(world.comms_lead)
    client.post(url, {"delete": str(saved.pk)})
    assert SavedFilter.objects.filter(pk=saved.pk).exists()


def test_assignment_notifies_the_person_in_the_app(
    overkalix: Account, receive: Receive, world: OrganisationWorld, client: Client
) -> None:
    entry = _entry(receive, overkalix, "Hur söker man bygglov?")
    entry_assign(actor=world.comms_lead, entry=entry, to=world.publisher)
    notification = Notification.objects.get(
        recipient=world.publisher, kind=NotificationKind.ASSIGNED
    )
    assert notification.url.endswith(f"/inkorg/{entry.pk}/")
    client.force_login(world.publisher)
    page = client.get(reverse("inbox:list", kwargs={"slug": "overkalix"})).content.decode()
    assert 'class="notification-count">1' in page


def test_the_reply_box_comes_before_the_thread_and_ids_are_unique(
    overkalix: Account, receive: Receive, world: OrganisationWorld, client: Client
) -> None:
    import re

    entry = _entry(receive, overkalix, "Hur söker man bygglov?")
    client.force_login(world.account_owner)
    body = client.get(
        reverse("inbox:entry", kwargs={"slug": "overkalix", "pk": entry.pk})
    ).content.decode()
    assert body.index('id="reply-form"') < body.index('id="thread-heading"')
    ids = re.findall(r'\sid="([^"]+)"', body)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert 'id="close-no-answer"' in body


def test_the_inbox_and_its_service_messages_in_finnish_and_english(
    overkalix: Account, receive: Receive, world: OrganisationWorld, client: Client
) -> None:
    entry = _entry(receive, overkalix, "Hur söker man bygglov?")
    client.force_login(world.account_owner)
    finnish = client.get(
        reverse("inbox:list", kwargs={"slug": "overkalix"}), HTTP_ACCEPT_LANGUAGE="fi"
    ).content.decode()
    assert "Aikaa jäljellä" in finnish and "jäljellä</time>" in finnish
    reply = reverse("inbox:reply", kwargs={"slug": "overkalix", "pk": entry.pk})
    english = client.post(
        reply, {"text": "Hej!"}, HTTP_ACCEPT_LANGUAGE="en", follow=True
    ).content.decode()
    translation.activate("sv")  # the client left English active for this thread
    assert "is not connected to Kanalvakt" in english
    assert "är inte anslutet" not in english


def test_the_list_marks_entries_waiting_for_moderation(
    overkalix: Account, receive: Receive, world: OrganisationWorld, client: Client
) -> None:
    _entry(receive, overkalix, THREAT)
    client.force_login(world.account_owner)
    body = client.get(reverse("inbox:list", kwargs={"slug": "overkalix"})).content.decode()
    assert "Väntar på moderering" in body


def test_showing_a_hidden_comment_again_reopens_its_entry(
    overkalix: Account, receive: Receive, world: OrganisationWorld
) -> None:
    entry = _entry(receive, overkalix, THREAT)
    case = ModerationCase.objects.get(item=entry.item)
    case_decide(actor=world.account_owner, case=case, kind=DecisionKind.HIDE, reason="Hot")
    entry.refresh_from_db()
    assert not entry.is_open
    case_decide(actor=world.account_owner, case=case, kind=DecisionKind.UNHIDE, reason="Ironi")
    entry.refresh_from_db()
    assert entry.is_open and entry.closed_reason == ""
