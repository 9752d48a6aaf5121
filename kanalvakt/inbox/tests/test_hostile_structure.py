"""Issue 11, finding 7 (webhooks and pages): hostile structure never gets a 500 nor
becomes items (since issue 12 the webhook stores what the platform signed and the worker
marks it: deep nesting, an over-long platform id), and platform links that are not
http(s) never become links."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import OrganisationWorld
from kanalvakt.connectors.base import ItemKind
from kanalvakt.inbox.models import (
    Delivery,
    DeliveryIngest,
    InboxEntry,
    Item,
    PlatformCredentials,
)
from kanalvakt.inbox.tests.conftest import Receive, fixture_bytes, meta_signature
from kanalvakt.register.models import Account

FEED = "facebook/kanalvakt-feed-sv-fi.json"


def _post(client: Client, credentials: PlatformCredentials, body: bytes) -> Any:
    return client.post(
        f"/webhooks/facebook/{credentials.webhook_key}/",
        data=body,
        content_type="application/json",
        headers={"X_Hub_Signature_256": meta_signature(body)},
    )


@pytest.mark.parametrize("depth", [100, 100_000])
def test_deeply_nested_json_is_kept_and_marked_and_becomes_no_items(
    client: Client, facebook_credentials: PlatformCredentials, page: Account, depth: int
) -> None:
    body = b'{"object":"page","entry":' + b"[" * depth + b"]" * depth + b"}"
    response = _post(client, facebook_credentials, body)
    assert response.status_code == 200
    assert bytes(Delivery.objects.get().body) == body
    ingest = DeliveryIngest.objects.get()
    assert ingest.done_at is not None
    assert "at most 64" in ingest.error
    assert not Item.objects.exists()


def _feed_with_comment_id(comment_id: str) -> bytes:
    document = json.loads(fixture_bytes(FEED))
    document["entry"][0]["changes"][0]["value"]["comment_id"] = comment_id
    return json.dumps(document).encode()


def test_an_over_long_platform_id_stays_in_the_delivery_only_and_is_noted(
    client: Client, facebook_credentials: PlatformCredentials, page: Account
) -> None:
    # The webhook parses the body once (the JSON check); the worker reads the items.
    body = _feed_with_comment_id("7" * 201)
    response = _post(client, facebook_credentials, body)
    assert response.status_code == 200
    delivery = Delivery.objects.get()
    assert bytes(delivery.body) == body
    assert not Item.objects.filter(external_id="7" * 201).exists()
    assert Item.objects.exists()  # the delivery's other items are read
    error = DeliveryIngest.objects.get(delivery=delivery).error
    assert "is 201 characters long" in error


def test_a_platform_id_of_200_characters_is_stored_whole(
    client: Client, facebook_credentials: PlatformCredentials, page: Account
) -> None:
    response = _post(client, facebook_credentials, _feed_with_comment_id("7" * 200))
    assert response.status_code == 200
    assert Item.objects.filter(external_id="7" * 200).exists()


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(document.domain)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
    ],
)
def test_a_link_that_is_not_http_never_becomes_a_link(
    overkalix: Account, receive: Receive, world: OrganisationWorld, client: Client, url: str
) -> None:
    item = receive(overkalix, "Titta här", url=url, kind=ItemKind.COMMENT)
    entry = InboxEntry.objects.get(item=item)
    client.force_login(world.account_owner)
    body = client.get(reverse("inbox:entry", kwargs={"slug": "overkalix", "pk": entry.pk}))
    text = body.content.decode()
    assert "Öppna på plattformen" not in text
    assert 'href="javascript' not in text.lower() and 'href="data:' not in text.lower()


def test_an_https_link_from_the_platform_is_shown(
    overkalix: Account, receive: Receive, world: OrganisationWorld, client: Client
) -> None:
    url = "https://www.facebook.com/overkalix/posts/1?comment_id=2"
    item = receive(overkalix, "Titta här", url=url)
    entry = InboxEntry.objects.get(item=item)
    client.force_login(world.account_owner)
    text = client.get(
        reverse("inbox:entry", kwargs={"slug": "overkalix", "pk": entry.pk})
    ).content.decode()
    assert 'href="https://www.facebook.com/overkalix/posts/1?comment_id=2"' in text
