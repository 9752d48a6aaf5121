import json
from datetime import UTC, datetime

import httpx
import respx

from kanalvakt.connectors.base import AccountConfig, ItemKind
from kanalvakt.connectors.http import HttpClient, RetryPolicy
from kanalvakt.connectors.instagram.client import InstagramConnector
from kanalvakt.connectors.instagram.parse import parse_comment_node, parse_comments_page
from kanalvakt.connectors.meta import GRAPH_URL
from kanalvakt.connectors.tests.helpers import fixture, meta_signature

connector = InstagramConnector()


def parse(name: str):  # type: ignore[no-untyped-def]
    return connector.parse_webhook(fixture("instagram", name))


def test_comment_webhook_current_form() -> None:
    [item] = parse("wh-comments-2021.json")
    assert item.platform == "instagram"
    assert item.external_id == "123456789"
    assert item.kind == ItemKind.REPLY  # it carries a parent_id
    assert item.parent_external_id == "987654321"
    assert item.thread_id == "76543987"
    assert item.author_handle == "testuser"
    assert item.author_external_id == "1234536447"
    assert item.text == "This is an example."
    assert item.created_at == datetime.fromtimestamp(1519399307, tz=UTC)


def test_old_form_and_live_comments() -> None:
    [old] = parse("wh-comments.json")
    assert old.kind == ItemKind.COMMENT and old.text == "This is an example."
    [live] = parse("wh-livecomments.json")
    assert live.external_id == "123456789"


def test_mention_carries_only_ids_and_asks_to_be_fetched() -> None:
    [mention] = parse("wh-mentions.json")
    assert mention.kind == ItemKind.MENTION
    assert not mention.complete
    assert mention.external_id == "17887498072083520"
    assert mention.platform_data["media_id"] == "17887498072083520"


def test_direct_messages_and_read_receipts() -> None:
    [dm] = parse("messaging-attachment-unsupported.json")
    assert dm.kind == ItemKind.DIRECT_MESSAGE
    assert dm.author_external_id == "5614879045272581"
    assert dm.account_external_id == "17841452691600098"
    assert dm.attachments[0].startswith("https://lookaside.fbsbx.com/")
    assert parse("messaging-seen.json") == []


def test_signature_and_handshake() -> None:
    body = fixture("instagram", "wh-comments-2021.json")
    assert connector.verify_webhook({"X-Hub-Signature-256": meta_signature("s", body)}, body, "s")
    assert not connector.verify_webhook(
        {"X-Hub-Signature-256": meta_signature("t", body)}, body, "s"
    )
    query = {"hub.mode": "subscribe", "hub.verify_token": "v", "hub.challenge": "42"}
    assert connector.webhook_handshake(query, "v") == "42"


def test_graph_comment_with_nested_replies() -> None:
    node = json.loads(fixture("instagram", "ig_comment.json"))
    comment, reply = parse_comment_node(node, "17841406338772941")
    assert comment.external_id == "17892250648466172"
    assert comment.author_handle == "ikroskun"
    assert comment.hidden is False
    assert comment.thread_id == "17846368219941692"
    assert reply.kind == ItemKind.REPLY
    assert reply.parent_external_id == comment.external_id
    assert reply.thread_id == comment.thread_id
    page = parse_comments_page(
        json.loads(fixture("instagram", "comments_p1.json")), media_id="17846368219941692"
    )
    assert [i.external_id for i in page] == ["17858154961981086", "17874875428706419"]
    assert page[0].created_at == datetime(2020, 6, 1, 10, 56, 52, tzinfo=UTC)


ACCOUNT = AccountConfig(external_id="17841406338772941", access_token="ig-token")


@respx.mock
def test_fetch_completes_a_mention() -> None:
    ig = InstagramConnector(HttpClient(platform="instagram", retry=RetryPolicy(attempts=1)))
    route = respx.get(f"{GRAPH_URL}/{ACCOUNT.external_id}").mock(
        return_value=httpx.Response(200, content=fixture("instagram", "mentioned_comment.json"))
    )
    [mention] = parse("wh-mentions.json")
    full = ig.fetch(ACCOUNT, mention.ref())
    assert full.kind == ItemKind.MENTION
    assert full.text == "@ikroskun good"
    assert full.author_handle == "ikroskun"
    assert (
        "mentioned_comment.comment_id(17887498072083520)"
        in route.calls.last.request.url.params["fields"]
    )


@respx.mock
def test_reply_and_hide() -> None:
    ig = InstagramConnector(HttpClient(platform="instagram", retry=RetryPolicy(attempts=1)))
    [comment] = parse("wh-comments-2021.json")
    respx.post(f"{GRAPH_URL}/123456789/replies").mock(
        return_value=httpx.Response(200, json={"id": "1789"})
    )
    hide = respx.post(f"{GRAPH_URL}/123456789").mock(
        return_value=httpx.Response(200, json={"success": True})
    )
    assert ig.reply(ACCOUNT, comment.ref(), "Kiitos palautteesta!") == "1789"
    ig.hide(ACCOUNT, comment.ref())
    assert hide.calls.last.request.content == b"hide=true"


def test_replies_endpoint_and_caption_mention() -> None:
    from kanalvakt.connectors.instagram.parse import parse_mention

    [reply] = parse_comments_page(
        json.loads(fixture("instagram", "replies.json")), parent_id="17892250648466172"
    )
    assert reply.kind == ItemKind.REPLY
    assert reply.parent_external_id == "17892250648466172"
    assert reply.text == "@lixiangguodu123 nihao"
    mention = parse_mention(json.loads(fixture("instagram", "mentioned_media.json")), "178414")
    assert mention.kind == ItemKind.MENTION
    assert mention.external_id == "17889114512354744"
    assert mention.text == "@ikroskun hey"
    assert mention.thread_id == "17889114512354744"


@respx.mock
def test_poll_reads_comments_on_recent_media_after_the_cursor() -> None:
    ig = InstagramConnector(HttpClient(platform="instagram", retry=RetryPolicy(attempts=1)))
    respx.get(f"{GRAPH_URL}/{ACCOUNT.external_id}/media").mock(
        return_value=httpx.Response(
            200,
            json={
                "data": [
                    {"id": "17846368219941692", "comments_count": 2},
                    {"id": "no-comments", "comments_count": 0},
                ]
            },
        )
    )
    respx.get(f"{GRAPH_URL}/17846368219941692/comments").mock(
        return_value=httpx.Response(200, content=fixture("instagram", "comments_p1.json"))
    )
    first = ig.poll(ACCOUNT, None)
    assert [i.external_id for i in first.items] == ["17858154961981086", "17874875428706419"]
    assert all(i.thread_id == "17846368219941692" for i in first.items)
    assert first.next_cursor == "2020-06-01T10:56:52+00:00"
    assert ig.poll(ACCOUNT, first.next_cursor).items == []
