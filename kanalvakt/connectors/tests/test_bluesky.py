import json
from datetime import UTC, datetime

import httpx
import pytest
import respx

from kanalvakt.connectors.base import AccountConfig, ActionNotSupported, ItemKind
from kanalvakt.connectors.bluesky.client import BlueskyConnector
from kanalvakt.connectors.bluesky.parse import parse_notifications, parse_post_view
from kanalvakt.connectors.http import HttpClient, RetryPolicy
from kanalvakt.connectors.tests.helpers import fixture

SHINYA = "did:plc:iijrtk7ocored6zuziwmqq3c"
DEGERFORS = "did:plc:degerfors000000000000001"
XRPC = "https://bsky.social/xrpc"


def test_real_notifications_keep_replies_mentions_and_quotes() -> None:
    items = parse_notifications(json.loads(fixture("bluesky", "find_notifications.json")), SHINYA)
    assert [i.kind for i in items] == [
        ItemKind.REPLY,
        ItemKind.MENTION,
        ItemKind.REPLY,
        ItemKind.MENTION,
    ]
    reply = items[0]
    assert (
        reply.external_id
        == "at://did:plc:fyh2dc4kfeue7g4oujhuf6mn/app.bsky.feed.post/3jsgg622lu22n"
    )
    assert reply.text == "I have some news from the web app."
    assert reply.author_handle == "mar.bsky.social"
    assert (
        reply.thread_id == "at://did:plc:iijrtk7ocored6zuziwmqq3c/app.bsky.feed.post/3jsgcvk4rdc2y"
    )
    assert (
        reply.platform_data["cid"] == "bafyreie7rktjyuquscu3cqgqykgswbfq56y6xqkczoem3nhysys6m63p7u"
    )
    assert reply.url == "https://bsky.app/profile/mar.bsky.social/post/3jsgg622lu22n"
    assert all(i.created_at.tzinfo is not None for i in items)


def test_swedish_reply() -> None:
    [item] = parse_notifications(
        json.loads(fixture("bluesky", "kanalvakt-notifications-sv.json")), DEGERFORS
    )
    assert item.text == "Varför plogas inte cykelvägen längs Letälven? Det är halt och farligt."
    assert item.language == "sv"
    assert item.author_name == "Karin Ström"
    assert item.created_at == datetime(2025, 11, 17, 6, 45, 12, 345000, tzinfo=UTC)


def test_post_views() -> None:
    posts = json.loads(fixture("bluesky", "getPosts.json"))["posts"]
    item = parse_post_view(posts[0], SHINYA)
    assert item.text.startswith("eu queria um fone de ouvido com fio, não me dou bem")
    assert item.author_handle == "luy.gay"
    thread = json.loads(fixture("bluesky", "thread_view_post_with_embed_media.json"))
    view = parse_post_view(thread["thread"]["post"], "")
    assert view.author_name == "Python SDK"


ACCOUNT = AccountConfig(external_id=DEGERFORS, access_token="jwt")


def connector() -> BlueskyConnector:
    return BlueskyConnector(HttpClient(platform="bluesky", retry=RetryPolicy(attempts=1)))


@respx.mock
def test_poll_and_deleted_posts() -> None:
    respx.get(f"{XRPC}/app.bsky.notification.listNotifications").mock(
        return_value=httpx.Response(
            200, content=fixture("bluesky", "kanalvakt-notifications-sv.json")
        )
    )
    get_posts = respx.get(f"{XRPC}/app.bsky.feed.getPosts").mock(
        return_value=httpx.Response(
            200, json={"posts": [{"uri": "at://did:plc:a/app.bsky.feed.post/1"}]}
        )
    )
    known = ["at://did:plc:a/app.bsky.feed.post/1", "at://did:plc:b/app.bsky.feed.post/2"]
    result = connector().poll(ACCOUNT, None, known_external_ids=known)
    assert [i.kind for i in result.items] == [ItemKind.REPLY]
    assert result.next_cursor == "2025-11-17T06:45:13+00:00"
    assert result.deleted_external_ids == ["at://did:plc:b/app.bsky.feed.post/2"]
    assert get_posts.calls.last.request.url.params.get_list("uris") == known
    assert connector().poll(ACCOUNT, result.next_cursor).items == []


@respx.mock
def test_reply_is_a_post_record_pointing_at_root_and_parent() -> None:
    [item] = parse_notifications(
        json.loads(fixture("bluesky", "kanalvakt-notifications-sv.json")), DEGERFORS
    )
    create = respx.post(f"{XRPC}/com.atproto.repo.createRecord").mock(
        return_value=httpx.Response(
            200,
            json={
                "uri": "at://did:plc:degerfors000000000000001/app.bsky.feed.post/new",
                "cid": "c",
            },
        )
    )
    uri = connector().reply(ACCOUNT, item.ref(), "Tack Karin, vi skickar plogbilen i dag.")
    assert uri.endswith("/new")
    record = json.loads(create.calls.last.request.content)["record"]
    assert record["reply"]["root"] == {
        "uri": "at://did:plc:degerfors000000000000001/app.bsky.feed.post/3m5root00000a",
        "cid": "bafyreiroot",
    }
    assert record["reply"]["parent"]["uri"] == item.external_id


@respx.mock
def test_hide_adds_the_reply_to_the_threadgate_of_our_own_post() -> None:
    [item] = parse_notifications(
        json.loads(fixture("bluesky", "kanalvakt-notifications-sv.json")), DEGERFORS
    )
    respx.get(f"{XRPC}/com.atproto.repo.getRecord").mock(
        return_value=httpx.Response(
            400, json={"error": "RecordNotFound", "message": "Could not locate record"}
        )
    )
    put = respx.post(f"{XRPC}/com.atproto.repo.putRecord").mock(
        return_value=httpx.Response(200, json={"uri": "u", "cid": "c"})
    )
    connector().hide(ACCOUNT, item.ref())
    sent = json.loads(put.calls.last.request.content)
    assert sent["collection"] == "app.bsky.feed.threadgate"
    assert sent["rkey"] == "3m5root00000a"
    assert sent["record"]["hiddenReplies"] == [item.external_id]
    with pytest.raises(ActionNotSupported):
        connector().remove(ACCOUNT, item.ref())
