import json
from datetime import UTC, datetime

import httpx
import respx

from kanalvakt.connectors.base import AccountConfig, ActionNotSupported, ItemKind
from kanalvakt.connectors.http import HttpClient, RetryPolicy
from kanalvakt.connectors.tests.helpers import fixture
from kanalvakt.connectors.youtube.client import API_URL, YouTubeConnector
from kanalvakt.connectors.youtube.parse import parse_comments, parse_threads

CHANNEL = "UCdegerforsKommun000000"


def load(name: str) -> object:
    return json.loads(fixture("youtube", name))


def test_threads_for_a_channel() -> None:
    items, incomplete = parse_threads(
        load("comment_threads_all_to_me.json"), "UCa-vrCLQHviTOVnEKDOdetQ"
    )
    assert [i.external_id for i in items][:2] == [
        "UgyWeTdgc4sc1xgmbld4AaABAg",
        "Ugw5zYU6n9pmIgAZWvN4AaABAg",
    ]
    first = items[0]
    assert first.kind == ItemKind.COMMENT
    assert first.thread_id == "JE8xdDp5B8Q"
    assert first.author_name == "kun liu"
    assert first.created_at == datetime(2019, 12, 1, 3, 36, 55, tzinfo=UTC)
    assert first.url == "https://www.youtube.com/watch?v=JE8xdDp5B8Q&lc=UgyWeTdgc4sc1xgmbld4AaABAg"
    assert items[2].text == "大满贯"
    assert incomplete == ["UgwSRpgkjCe6OHHe3IJ4AaABAg"]  # one reply not included


def test_plain_text_is_preferred_over_html() -> None:
    items, _ = parse_threads(load("comment_threads_by_video_paged_1.json"), "x")
    assert items[0].text == "Google.com"
    assert items[4].text.startswith("Lot's of good light")


def test_replies_by_parent() -> None:
    replies = parse_comments(load("comments_by_parent_paged_1.json"), "x")
    assert replies[0].kind == ItemKind.REPLY
    assert replies[0].parent_external_id == "Ugw5zYU6n9pmIgAZWvN4AaABAg"
    assert replies[0].platform_data["top_level_id"] == "Ugw5zYU6n9pmIgAZWvN4AaABAg"


def test_swedish_edited_comment_and_held_finnish_reply() -> None:
    (comment, reply), incomplete = parse_threads(load("kanalvakt-threads-sv-fi.json"), CHANNEL)
    assert incomplete == []
    assert comment.text == (
        'När sänds nästa kommunfullmäktige? Ljudet var dåligt i "punkt 7"\nTack!'
    )
    assert comment.edited_at == datetime(2025, 11, 17, 18, 9, 30, tzinfo=UTC)
    assert comment.hidden is False
    assert comment.author_handle == "@asaoberg"
    assert reply.text == "Äänenlaatu oli huono myös minulla."
    assert reply.hidden is True
    assert reply.thread_id == "kommunfullm1"


ACCOUNT = AccountConfig(external_id=CHANNEL, access_token="google-token")


def connector() -> YouTubeConnector:
    return YouTubeConnector(HttpClient(platform="youtube", retry=RetryPolicy(attempts=1)))


@respx.mock
def test_poll_returns_new_and_edited_comments_and_deleted_ids() -> None:
    respx.get(f"{API_URL}/commentThreads").mock(
        return_value=httpx.Response(200, content=fixture("youtube", "kanalvakt-threads-sv-fi.json"))
    )
    lookup = respx.get(f"{API_URL}/comments").mock(
        return_value=httpx.Response(
            200,
            json={
                "kind": "youtube#commentListResponse",
                "items": [{"kind": "youtube#comment", "id": "still-there"}],
            },
        )
    )
    result = connector().poll(
        ACCOUNT, "2025-11-17T18:05:00+00:00", known_external_ids=["still-there", "was-deleted"]
    )
    # The comment was written before the cursor but edited after it: it comes back.
    assert [i.external_id for i in result.items] == [
        "UgxSvEdited0000000000AaABAg",
        "UgxSvEdited0000000000AaABAg.AbCdEfGhIjK",
    ]
    assert result.next_cursor == "2025-11-17T18:20:00+00:00"
    assert result.deleted_external_ids == ["was-deleted"]
    assert lookup.calls.last.request.url.params["id"] == "still-there,was-deleted"
    again = connector().poll(ACCOUNT, result.next_cursor)
    assert again.items == []


@respx.mock
def test_reply_goes_to_the_top_level_comment_and_moderation_sets_status() -> None:
    (_, reply), _ = parse_threads(load("kanalvakt-threads-sv-fi.json"), CHANNEL)
    post = respx.post(f"{API_URL}/comments").mock(
        return_value=httpx.Response(200, json={"kind": "youtube#comment", "id": "new-reply"})
    )
    assert connector().reply(ACCOUNT, reply.ref(), "Kiitos, korjaamme äänen.") == "new-reply"
    body = json.loads(post.calls.last.request.content)
    assert body["snippet"]["parentId"] == "UgxSvEdited0000000000AaABAg"
    moderate = respx.post(f"{API_URL}/comments/setModerationStatus").mock(
        return_value=httpx.Response(204)
    )
    yt = connector()
    yt.hide(ACCOUNT, reply.ref())
    yt.unhide(ACCOUNT, reply.ref())
    yt.remove(ACCOUNT, reply.ref())
    statuses = [c.request.url.params["moderationStatus"] for c in moderate.calls]
    assert statuses == ["heldForReview", "published", "rejected"]


def test_no_webhooks() -> None:
    import pytest

    with pytest.raises(ActionNotSupported):
        YouTubeConnector().parse_webhook(b"{}")
    assert not YouTubeConnector().verify_webhook({}, b"{}", "secret")
