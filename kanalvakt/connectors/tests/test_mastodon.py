import hashlib
import hmac
import json
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import respx
import yaml

from kanalvakt.connectors.base import AccountConfig, ActionNotSupported, ItemKind, PayloadError
from kanalvakt.connectors.http import HttpClient, RetryPolicy
from kanalvakt.connectors.mastodon.client import MastodonConnector
from kanalvakt.connectors.mastodon.parse import parse_notifications, parse_status
from kanalvakt.connectors.tests.helpers import fixture

KYRKSLATT = "109000000000000001"


def cassette_bodies(name: str) -> list[Any]:
    """The JSON response bodies recorded in a VCR.py cassette."""
    cassette = yaml.safe_load(fixture("mastodon", name))
    return [json.loads(i["response"]["body"]["string"]) for i in cassette["interactions"]]


def test_real_notifications_from_mastodon_social() -> None:
    [notifications] = cassette_bodies("test_entity_notification.yaml")
    items = parse_notifications(notifications, "109446733188999785")
    # 40 mention notifications, but the statuses of 39 were deleted since.
    assert len(items) == 1
    [dm] = items
    assert dm.kind == ItemKind.DIRECT_MESSAGE
    assert dm.external_id == "116275331587890092"
    assert dm.author_handle == "latencyobs@icosahedron.website"
    assert dm.created_at.tzinfo is not None
    assert "<" not in dm.text


def test_real_statuses_with_edits() -> None:
    first, second = cassette_bodies("test_entity_status.yaml")
    item = parse_status(first, "")
    assert item.external_id == "110446223051565765"
    # The content warning first, then the paragraphs, no markup.
    assert item.text.startswith("test post for mastodon.py stuff\n\n@halcy you're a doo-doo head")
    assert item.text.endswith("#ThisIsAHashtag")
    assert item.edited_at is not None
    assert item.created_at == datetime(2023, 5, 28, 12, 6, 50, tzinfo=UTC)
    assert parse_status(second, "").text == "test?"


def test_swedish_and_finnish_notifications() -> None:
    items = parse_notifications(
        json.loads(fixture("mastodon", "kanalvakt-notifications-sv-fi.json")), KYRKSLATT
    )
    [reply] = items  # deleted status and favourites give nothing
    assert reply.kind == ItemKind.REPLY
    assert reply.text == "Kritiikkiä\n\nKirjastobussi ei tullut tänään Veikkolaan.\n\nMiksi?"
    assert reply.author_name == "Matti Häkkinen"
    assert reply.language == "fi"
    assert reply.edited_at == datetime(2025, 11, 17, 11, 5, tzinfo=UTC)
    assert reply.attachments == ("https://files.mastodon.online/media/1.jpg",)


def test_admin_webhook_signature_and_parse() -> None:
    connector = MastodonConnector()
    body = fixture("mastodon", "kanalvakt-admin-webhook-status-created.json")
    signature = "sha256=" + hmac.new(b"hook-secret", body, hashlib.sha256).hexdigest()
    assert connector.verify_webhook({"X-Hub-Signature": signature}, body, "hook-secret")
    assert not connector.verify_webhook({"X-Hub-Signature": signature}, body, "wrong")
    assert not connector.verify_webhook({}, body, "hook-secret")
    [item] = connector.parse_webhook(body)
    assert item.text == (
        "@kyrkslatt Öppnar simhallen i Masaby igen efter renoveringen? <script>alert(1)</script>"
    )  # plain text: the inbox escapes it when showing it
    assert item.raw == body
    assert item.platform_data["mentions"] == KYRKSLATT
    assert item.account_external_id == KYRKSLATT  # routes to the account it answers
    assert item.kind == ItemKind.REPLY
    assert connector.parse_webhook(b'{"event":"account.created","object":{}}') == []
    with pytest.raises(PayloadError):
        connector.parse_webhook(b'{"object":{}}')


ACCOUNT = AccountConfig(
    external_id=KYRKSLATT, access_token="t", base_url="https://social.kyrkslatt.fi"
)


def connector() -> MastodonConnector:
    return MastodonConnector(HttpClient(platform="mastodon", retry=RetryPolicy(attempts=1)))


@respx.mock
def test_poll_since_the_newest_notification_and_find_deleted_statuses() -> None:
    route = respx.get("https://social.kyrkslatt.fi/api/v1/notifications").mock(
        return_value=httpx.Response(
            200, content=fixture("mastodon", "kanalvakt-notifications-sv-fi.json")
        )
    )
    respx.get("https://social.kyrkslatt.fi/api/v1/statuses/41").mock(
        return_value=httpx.Response(404, json={"error": "Record not found"})
    )
    respx.get("https://social.kyrkslatt.fi/api/v1/statuses/42").mock(
        return_value=httpx.Response(200, json={"id": "42"})
    )
    result = connector().poll(ACCOUNT, "899999", known_external_ids=["41", "42"])
    params = route.calls.last.request.url.params
    assert params["since_id"] == "899999"
    assert params.get_list("types[]") == ["mention", "update"]
    assert [i.external_id for i in result.items] == ["115567000000000002"]
    assert result.next_cursor == "900002"
    assert result.deleted_external_ids == ["41"]


@respx.mock
def test_reply_mentions_the_writer_and_keeps_visibility() -> None:
    [reply] = parse_notifications(
        json.loads(fixture("mastodon", "kanalvakt-notifications-sv-fi.json")), KYRKSLATT
    )
    post = respx.post("https://social.kyrkslatt.fi/api/v1/statuses").mock(
        return_value=httpx.Response(200, json={"id": "777"})
    )
    assert connector().reply(ACCOUNT, reply.ref(), "Kiitos, selvitämme asian.") == "777"
    sent = json.loads(post.calls.last.request.content)
    assert sent == {
        "status": "@matti@mastodon.online Kiitos, selvitämme asian.",
        "in_reply_to_id": "115567000000000002",
        "visibility": "public",
    }
    with pytest.raises(ActionNotSupported):
        connector().hide(ACCOUNT, reply.ref())
    with pytest.raises(ActionNotSupported):
        connector().remove(ACCOUNT, reply.ref())
