import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime

import httpx
import pytest
import respx

from kanalvakt.connectors.base import AccountConfig, ActionNotSupported, ItemKind, PayloadError
from kanalvakt.connectors.http import HttpClient, RetryPolicy
from kanalvakt.connectors.tests.helpers import fixture, x_signature
from kanalvakt.connectors.x.client import API_URL, XConnector
from kanalvakt.connectors.x.parse import parse_v2_dm_events, parse_v2_tweets

connector = XConnector()
DEGERFORS = "1500000000000000001"


def parse(name: str):  # type: ignore[no-untyped-def]
    return connector.parse_webhook(fixture("x", name))


def test_crc_handshake_answers_with_the_hmac_of_the_token() -> None:
    answer = connector.webhook_handshake({"crc_token": "abc123"}, "consumer-secret")
    assert answer is not None
    expected = base64.b64encode(
        hmac.new(b"consumer-secret", b"abc123", hashlib.sha256).digest()
    ).decode()
    assert json.loads(answer) == {"response_token": f"sha256={expected}"}
    assert connector.webhook_handshake({}, "consumer-secret") is None
    assert connector.webhook_handshake({"crc_token": "abc"}, "") is None


def test_delivery_signature() -> None:
    body = fixture("x", "aaa-tweet-create-mention-sv.json")
    good = {"X-Twitter-Webhooks-Signature": x_signature("consumer-secret", body)}
    assert connector.verify_webhook(good, body, "consumer-secret")
    assert not connector.verify_webhook(
        good, body.replace(b"Storgatan", b"Storgatan!"), "consumer-secret"
    )
    assert not connector.verify_webhook(good, body, "another-secret")
    assert not connector.verify_webhook({}, body, "consumer-secret")


def test_mention_in_swedish() -> None:
    [item] = parse("aaa-tweet-create-mention-sv.json")
    assert item.platform == "x"
    assert item.kind == ItemKind.MENTION
    assert item.external_id == "1990281234567890001"
    assert item.text == (
        "@degerforskommun Varför är gatubelysningen på Storgatan släckt? "
        "Det är mörkt & farligt för barnen <3"
    )
    assert item.author_name == "Göran Ärlig"
    assert item.author_handle == "goran_arlig"
    assert item.language == "sv"
    assert item.account_external_id == DEGERFORS
    assert item.created_at == datetime(2025, 11, 17, 8, 15, 2, 123000, tzinfo=UTC)
    assert item.url == "https://x.com/goran_arlig/status/1990281234567890001"


def test_reply_in_finnish_uses_the_full_text_and_skips_retweets() -> None:
    [reply] = parse("aaa-tweet-create-reply-fi.json")
    assert reply.kind == ItemKind.REPLY
    assert reply.parent_external_id == "1990285555555555003"
    assert reply.text.endswith("Pyöräilijät eivät näe jalankulkijoita.")
    assert reply.language == "fi"


def test_direct_message() -> None:
    [dm] = parse("aaa-direct-message-sv.json")
    assert dm.kind == ItemKind.DIRECT_MESSAGE
    assert dm.external_id == "1990300000000000005"
    assert dm.author_name == "Göran Ärlig"
    assert dm.text.startswith("Hej, jag vill anmäla en trasig lyktstolpe")
    assert dm.platform_data["recipient_id"] == "1600000000000000002"
    assert not dm.by_account


def test_deletion_and_likes() -> None:
    [gone] = parse("aaa-tweet-delete.json")
    assert gone.deleted and gone.external_id == "1990281234567890001"
    assert parse("aaa-favorite.json") == []


def test_delivery_without_for_user_id_is_refused() -> None:
    with pytest.raises(PayloadError):
        connector.parse_webhook(b'{"tweet_create_events": []}')


def test_v2_mentions_from_real_samples() -> None:
    payload = json.loads(fixture("x", "search_tweets_query.json"))
    items = parse_v2_tweets(payload, "17200003")
    first = items[0]
    assert first.external_id == "1276035977375477760"
    assert first.kind == ItemKind.REPLY
    assert first.parent_external_id == "1275653067283759104"
    assert first.created_at == datetime(2020, 6, 25, 6, 14, 19, tzinfo=UTC)
    timeline = parse_v2_tweets(json.loads(fixture("x", "timeline_mentions.json")), "783214")
    assert [i.kind for i in timeline] == [ItemKind.MENTION] * len(timeline)


def test_v2_edited_tweet_keeps_its_first_id() -> None:
    [item] = parse_v2_tweets(json.loads(fixture("x", "v2-mentions-edited-sv.json")), DEGERFORS)
    assert item.external_id == "1990399999999999910"
    assert item.platform_data["latest_id"] == "1990400000000000011"
    assert item.edited_at is not None
    assert item.thread_id == "1990285555555555003"
    assert item.author_name == "Göran Ärlig"


def test_v2_dm_events() -> None:
    [dm] = parse_v2_dm_events(json.loads(fixture("x", "events.json")), "1585094756761149440")
    assert dm.kind == ItemKind.DIRECT_MESSAGE
    assert dm.text == "Another photo https://t.co/J5KotyeIyd"
    assert dm.thread_id == "1585094756761149440"


ACCOUNT = AccountConfig(external_id=DEGERFORS, access_token="user-token")


def client() -> XConnector:
    return XConnector(HttpClient(platform="x", retry=RetryPolicy(attempts=1)))


@respx.mock
def test_poll_uses_since_id_and_reports_deleted_tweets() -> None:
    mentions = respx.get(f"{API_URL}/users/{DEGERFORS}/mentions").mock(
        return_value=httpx.Response(200, content=fixture("x", "v2-mentions-edited-sv.json"))
    )
    respx.get(f"{API_URL}/tweets").mock(
        return_value=httpx.Response(
            200,
            json={
                "data": [{"id": "1", "text": "kvar"}],
                "errors": [
                    {
                        "value": "2",
                        "resource_id": "2",
                        "resource_type": "tweet",
                        "type": "https://api.twitter.com/2/problems/resource-not-found",
                    }
                ],
            },
        )
    )
    result = client().poll(
        ACCOUNT, '{"mentions": "1990300000000000000"}', known_external_ids=["1", "2"]
    )
    assert mentions.calls.last.request.url.params["since_id"] == "1990300000000000000"
    assert [i.external_id for i in result.items] == ["1990399999999999910"]
    assert json.loads(result.next_cursor or "") == {"mentions": "1990400000000000011"}
    assert result.deleted_external_ids == ["2"]


@respx.mock
def test_reply_targets_the_latest_version_and_hide_uses_put() -> None:
    [item] = parse_v2_tweets(json.loads(fixture("x", "v2-mentions-edited-sv.json")), DEGERFORS)
    post = respx.post(f"{API_URL}/tweets").mock(
        return_value=httpx.Response(201, json={"data": {"id": "555", "text": "Tack!"}})
    )
    assert client().reply(ACCOUNT, item.ref(), "Tack, Göran! /Kim") == "555"
    sent = json.loads(post.calls.last.request.content)
    assert sent == {
        "text": "Tack, Göran! /Kim",
        "reply": {"in_reply_to_tweet_id": "1990400000000000011"},
    }
    hidden = respx.put(f"{API_URL}/tweets/1990400000000000011/hidden").mock(
        return_value=httpx.Response(200, json={"data": {"hidden": True}})
    )
    client().hide(ACCOUNT, item.ref())
    assert json.loads(hidden.calls.last.request.content) == {"hidden": True}
    with pytest.raises(ActionNotSupported):
        client().remove(ACCOUNT, item.ref())


@respx.mock
def test_direct_messages_are_polled_when_asked_and_answered_in_the_conversation() -> None:
    account = AccountConfig(
        external_id="1585094756761149440", access_token="t", settings={"poll_dms": "1"}
    )
    respx.get(f"{API_URL}/users/1585094756761149440/mentions").mock(
        return_value=httpx.Response(200, json={"meta": {"result_count": 0}})
    )
    respx.get(f"{API_URL}/dm_events").mock(
        return_value=httpx.Response(200, content=fixture("x", "events.json"))
    )
    result = client().poll(account, None)
    [dm] = result.items
    assert json.loads(result.next_cursor or "") == {"dms": "1585321444547837956"}
    assert client().poll(account, result.next_cursor).items == []
    send = respx.post(f"{API_URL}/dm_conversations/with/906948460078698496/messages").mock(
        return_value=httpx.Response(
            201, json={"data": {"dm_event_id": "99", "dm_conversation_id": "c"}}
        )
    )
    assert client().reply(account, dm.ref(), "Hej! Vi återkommer i dag.") == "99"
    assert json.loads(send.calls.last.request.content) == {"text": "Hej! Vi återkommer i dag."}
