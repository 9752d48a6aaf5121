"""Issue 10 item 6: a failed snapshot shows on the page that started it, in the reader's
language, with a retry that clears it once it works."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from conftest import OrganisationWorld
from kanalvakt.audit.models import AuditEvent
from kanalvakt.connectors.http import TokenExpired
from kanalvakt.records.tasks import snapshot_before_major_change
from kanalvakt.register.models import Account
from kanalvakt.register.tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def account(world: OrganisationWorld) -> Account:
    account: Account = AccountFactory.create(
        organisation=world.organisation, unit=world.unit, responsible=world.account_owner
    )
    return account


def _take(account: Account, user_id: int) -> None:
    snapshot_before_major_change.call(account.pk, user_id)


def test_a_failed_snapshot_shows_on_the_snapshot_page_with_a_retry(
    world: OrganisationWorld, account: Account, client: Client, monkeypatch: Any
) -> None:
    def broken(**kwargs: Any) -> None:
        raise TokenExpired("OAuthException code 190: Error validating access token")

    monkeypatch.setattr("kanalvakt.records.snapshots.snapshot_capture", broken)
    _take(account, world.comms_lead.pk)
    assert AuditEvent.objects.filter(event_type="record.snapshot_failed").exists()

    client.force_login(world.comms_lead)
    page_url = reverse("records:snapshots", kwargs={"slug": "overkalix"})
    page = client.get(page_url).content.decode()
    assert "Ögonblicksbild misslyckades" in page
    assert "kontots anslutning har gått ut" in page.lower()
    assert "OAuthException" not in page
    retry = reverse(
        "records:snapshot_request", kwargs={"slug": "overkalix", "account_pk": account.pk}
    )
    assert f'action="{retry}"' in page
    english = client.get(page_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    translation.activate("sv")  # the client left English active for this thread
    assert "connection has expired" in english

    monkeypatch.setattr("kanalvakt.records.snapshots.snapshot_capture", lambda **kwargs: None)
    _take(account, world.comms_lead.pk)
    assert "Ögonblicksbild misslyckades" not in client.get(page_url).content.decode()
