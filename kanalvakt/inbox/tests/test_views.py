"""Inbox pages: what a person sees, what another organisation cannot see, and escaping."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import OrganisationWorld
from kanalvakt.connectors.base import ItemKind
from kanalvakt.inbox.models import InboxEntry, Item
from kanalvakt.inbox.services import entry_forward, escalation_raise
from kanalvakt.inbox.tests.conftest import Receive
from kanalvakt.organisations.models import User
from kanalvakt.policies.tests.helpers import use_pack
from kanalvakt.register.models import Account
from kanalvakt.register.tests.factories import entered_account

pytestmark = pytest.mark.django_db

NASTY = '<script>alert("x")</script><img src=x onerror=alert(1)><b>fet</b>'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"


def page(client: Client, user: User, name: str, slug: str = "overkalix", **kwargs: Any) -> str:
    client.force_login(user)
    response = client.get(reverse(f"inbox:{name}", kwargs={"slug": slug, **kwargs}))
    assert response.status_code == 200
    return response.content.decode()


def test_list_shows_what_is_due_first(
    overkalix: Account, receive: Receive, world: OrganisationWorld, client: Client
) -> None:
    later = InboxEntry.objects.get(item=receive(overkalix, "Hur söker man bygglov?"))
    first = InboxEntry.objects.get(item=receive(overkalix, "När öppnar simhallen?"))
    assert later.due_at is not None
    InboxEntry.objects.filter(pk=first.pk).update(due_at=later.due_at.replace(year=2020))
    body = page(client, world.account_owner, "list")
    assert body.index("När öppnar simhallen?") < body.index("Hur söker man bygglov?")
    assert "time-left badge badge-red" in body
    assert " d sen</time>" in body
    assert 'hx-trigger="every 30s"' in body


def test_filters(
    overkalix: Account, receive: Receive, world: OrganisationWorld, client: Client
) -> None:
    overdue = InboxEntry.objects.get(item=receive(overkalix, "När öppnar simhallen?"))
    receive(overkalix, "Hur söker man bygglov?")
    receive(overkalix, "Välkommen!", by_account=True, kind=ItemKind.POST)
    assert overdue.due_at is not None
    InboxEntry.objects.filter(pk=overdue.pk).update(due_at=overdue.due_at.replace(year=2020))
    client.force_login(world.account_owner)
    url = reverse("inbox:list", kwargs={"slug": "overkalix"})
    late = client.get(url, {"due": "overdue"}).content.decode()
    assert "simhallen" in late and "bygglov" not in late
    unanswered = client.get(url, {"state": "open"}).content.decode()
    assert "bygglov" in unanswered and "Välkommen!" not in unanswered
    mine = client.get(url, {"mine": "on"}).content.decode()
    assert "bygglov" in mine
    client.force_login(world.publisher)
    assert "bygglov" not in client.get(url, {"mine": "on"}).content.decode()


def test_the_partial_is_the_table_alone(
    overkalix: Account, receive: Receive, world: OrganisationWorld, client: Client
) -> None:
    receive(overkalix, "När öppnar simhallen?")
    body = page(client, world.account_owner, "list_partial")
    assert "simhallen" in body
    assert "<html" not in body


def test_list_query_count_does_not_grow_with_entries(
    overkalix: Account,
    receive: Receive,
    world: OrganisationWorld,
    client: Client,
    django_assert_max_num_queries: Callable[..., Any],
) -> None:
    client.force_login(world.account_owner)
    url = reverse("inbox:list", kwargs={"slug": "overkalix"})
    receive(overkalix, "Fråga 1?")
    client.get(url)  # warm caches (the pack, the session)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for number in range(15):
        receive(overkalix, f"Fråga nummer {number}?")
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(url).status_code == 200
    assert len(one.captured_queries) <= 20


def test_item_page_shows_thread_versions_intent_and_routing(
    overkalix: Account, receive: Receive, world: OrganisationWorld, client: Client
) -> None:
    receive(overkalix, "Nu plogar vi.", by_account=True, kind=ItemKind.POST, external_id="p1")
    item = receive(
        overkalix,
        "Varför har ni inte plogat Storgatan?",
        parent_external_id="p1",
        thread_id="p1",
        external_id="c1",
    )
    receive(overkalix, "Samma här på Kyrkvägen.", parent_external_id="p1", thread_id="p1")
    receive(overkalix, "Vi är på väg!", parent_external_id="c1", by_account=True)
    entry = InboxEntry.objects.get(item=item)
    body = page(client, world.account_owner, "entry", pk=entry.pk)
    assert "Nu plogar vi." in body
    assert "Samma här på Kyrkvägen." in body
    assert "Vi är på väg!" in body
    assert "saklig kritik" in body
    assert "”inte plogat”" in body
    assert "Anna Nilsson är kontoansvarig" in body
    assert "48 timmar" in body


def test_comment_html_is_shown_as_text_on_every_page(
    overkalix: Account, receive: Receive, world: OrganisationWorld, client: Client
) -> None:
    post = receive(
        overkalix, NASTY, by_account=True, kind=ItemKind.POST, external_id="p1", author_name=NASTY
    )
    item = receive(overkalix, NASTY + " varför?", parent_external_id="p1", author_name=NASTY)
    entry = InboxEntry.objects.get(item=item)
    entry_forward(actor=world.account_owner, entry=entry, to=world.case_officer, note=NASTY)
    escalation_raise(actor=world.account_owner, entry=entry, trigger="crime", note=NASTY)
    pages = [
        page(client, world.account_owner, "list"),
        page(client, world.account_owner, "list_partial"),
        page(client, world.account_owner, "entry", pk=entry.pk),
        page(client, world.account_owner, "entry", pk=InboxEntry.objects.get(item=post).pk),
    ]
    for body in pages:
        assert "<script>alert" not in body
        assert "<img src=x" not in body
        assert "<b>fet</b>" not in body
        assert ESCAPED in body


def _urls(slug: str, pk: int) -> list[tuple[str, str]]:
    gets = ["list", "list_partial"]
    entry_gets = ["entry"]
    posts = ["reply", "intent", "assign", "forward", "escalate", "close", "evidence"]
    return (
        [("get", reverse(f"inbox:{name}", kwargs={"slug": slug})) for name in gets]
        + [("get", reverse(f"inbox:{n}", kwargs={"slug": slug, "pk": pk})) for n in entry_gets]
        + [("post", reverse(f"inbox:{n}", kwargs={"slug": slug, "pk": pk})) for n in posts]
    )


def test_another_organisation_gets_404_everywhere(
    overkalix: Account,
    receive: Receive,
    world: OrganisationWorld,
    outsider: User,
    client: Client,
) -> None:
    entry = InboxEntry.objects.get(item=receive(overkalix, "När öppnar simhallen?"))
    client.force_login(outsider)
    for method, url in _urls("overkalix", entry.pk):
        response = getattr(client, method)(url, {"text": "x", "intent": "praise", "to": "1"})
        assert response.status_code == 404, url
    # Nor through its own organisation's address.
    for method, url in _urls("degerfors", entry.pk)[2:]:
        assert getattr(client, method)(url).status_code == 404, url
    entry.refresh_from_db()
    assert entry.intent == "question"
    assert not entry.replies.exists()


def test_reply_when_not_connected_keeps_the_text_and_says_why(
    overkalix: Account, receive: Receive, world: OrganisationWorld, client: Client
) -> None:
    entry = InboxEntry.objects.get(item=receive(overkalix, "När öppnar simhallen?"))
    client.force_login(world.account_owner)
    response = client.post(
        reverse("inbox:reply", kwargs={"slug": "overkalix", "pk": entry.pk}),
        {"text": "Klockan tio på måndag."},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "inte anslutet" in body
    assert "Klockan tio på måndag." in body


def test_template_picker_fills_the_reply(
    world: OrganisationWorld, receive: Receive, client: Client
) -> None:
    use_pack(world.organisation, "kyrkslatt")
    account = entered_account(world, staffed=True)
    entry = InboxEntry.objects.get(item=receive(account, "Katuvalo ei toimi."))
    client.force_login(world.account_owner)
    url = reverse("inbox:entry", kwargs={"slug": "overkalix", "pk": entry.pk})
    body = client.get(url).content.decode()
    assert "Passar avsikten" in body
    assert "Svar på negativ respons (fi)" in body
    filled = client.get(url, {"mall": "negative_feedback:sv"}).content.decode()
    assert "Tack för din respons! Orsaken till problemet var {cause}" in filled


def test_correcting_intent_forwarding_and_evidence_from_the_page(
    overkalix: Account, receive: Receive, world: OrganisationWorld, client: Client
) -> None:
    entry = InboxEntry.objects.get(item=receive(overkalix, "Storgatan 5"))
    client.force_login(world.account_owner)
    kwargs = {"slug": "overkalix", "pk": entry.pk}
    client.post(reverse("inbox:intent", kwargs=kwargs), {"intent": "question"})
    client.post(
        reverse("inbox:forward", kwargs=kwargs), {"to": world.case_officer.pk, "note": "Kolla"}
    )
    body = client.get(reverse("inbox:entry", kwargs=kwargs)).content.decode()
    assert "Rättad av Anna Nilsson" in body
    assert f"Till Jonas Pekkala ({world.case_officer.email})" in body
    # Case officers come first among those one can forward to.
    forward_section = body[body.index('id="forward-heading"') :]
    choices = forward_section[forward_section.index("<select") : forward_section.index("</select>")]
    assert choices.index("Jonas Pekkala") < choices.index("Anna Nilsson")
    response = client.post(reverse("inbox:evidence", kwargs=kwargs))
    assert response["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert "manifest.json" in names
    assert Item.objects.count() == 1
