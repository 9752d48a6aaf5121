"""The draft checker runs on replies in the inbox: the reply form includes it."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from conftest import OrganisationWorld
from kanalvakt.inbox.models import InboxEntry
from kanalvakt.inbox.tests.conftest import Receive, overkalix, receive  # noqa: F401 - fixtures
from kanalvakt.register.models import Account


def test_the_reply_form_checks_the_reply_as_it_is_typed(
    overkalix: Account,  # noqa: F811
    receive: Receive,  # noqa: F811
    world: OrganisationWorld,
    client: Client,
) -> None:
    entry = InboxEntry.objects.get(item=receive(overkalix, "När öppnar simhallen?"))
    client.force_login(world.account_owner)
    body = client.get(
        reverse("inbox:entry", kwargs={"slug": "overkalix", "pk": entry.pk})
    ).content.decode()
    check_url = reverse("publishing:reply_check", kwargs={"slug": "overkalix"})
    assert f'hx-post="{check_url}"' in body
    answer = client.post(check_url, {"text": "Ni kan komma i morgon."}).content.decode()
    assert 'data-code="address_du"' in answer
