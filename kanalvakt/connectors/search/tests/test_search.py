"""Listening sources (INB-7): each client mocked with respx; feeds parsed from fixtures."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
import respx

from kanalvakt.connectors.http import ConnectorError, HttpClient, RetryPolicy
from kanalvakt.connectors.search.base import UnsafeAddress, require_public_url
from kanalvakt.connectors.search.bluesky import BlueskySearch
from kanalvakt.connectors.search.feeds import FeedReader, parse_feed
from kanalvakt.connectors.search.mastodon import MastodonSearch
from kanalvakt.connectors.search.x import XSearch
from kanalvakt.connectors.search.youtube import YouTubeSearch

FIXTURES = Path(__file__).parent / "fixtures"


def client(platform: str) -> HttpClient:
    return HttpClient(platform=platform, retry=RetryPolicy(attempts=1), sleep=lambda _s: None)


@respx.mock
def test_mastodon_hashtag_timeline_and_search() -> None:
    status = {
        "id": "113",
        "url": "https://mastodon.social/@a/113",
        "account": {"acct": "a@mastodon.social"},
        "content": "<p>Bra jobbat <a href='#'>#kyrkslätt</a>!</p>",
        "created_at": "2026-11-24T10:00:00.000Z",
    }
    route = respx.get("https://mastodon.social/api/v1/timelines/tag/kyrksl%C3%A4tt").mock(
        return_value=httpx.Response(200, json=[status])
    )
    search = MastodonSearch(instance="mastodon.social", client=client("mastodon"))
    [found] = search.hashtag("#kyrkslätt")
    assert route.called
    assert found.text == "Bra jobbat #kyrkslätt!" and found.author == "a@mastodon.social"
    assert found.published_at is not None and found.published_at.tzinfo is not None
    respx.get("https://mastodon.social/api/v2/search").mock(
        return_value=httpx.Response(200, json={"statuses": [status], "accounts": []})
    )
    assert search.search("Kyrkslätt")[0].external_id == "113"


@respx.mock
def test_bluesky_search_posts() -> None:
    respx.get("https://public.api.bsky.app/xrpc/app.bsky.feed.searchPosts").mock(
        return_value=httpx.Response(
            200,
            json={
                "posts": [
                    {
                        "uri": "at://did:plc:abc/app.bsky.feed.post/3kx",
                        "author": {"handle": "asa.bsky.social"},
                        "record": {
                            "text": "Degerfors kommun svarar snabbt",
                            "createdAt": "2026-11-24T08:00:00Z",
                        },
                    }
                ]
            },
        )
    )
    [found] = BlueskySearch(client=client("bluesky")).search("Degerfors kommun")
    assert found.url == "https://bsky.app/profile/asa.bsky.social/post/3kx"


@respx.mock
def test_x_recent_search_with_bearer_token() -> None:
    route = respx.get("https://api.x.com/2/tweets/search/recent").mock(
        return_value=httpx.Response(
            200,
            json={
                "data": [
                    {
                        "id": "19",
                        "text": "@overkalixkommun när plogar ni?",
                        "author_id": "7",
                        "created_at": "2026-11-24T07:00:00.000Z",
                    }
                ],
                "includes": {"users": [{"id": "7", "username": "bo"}]},
            },
        )
    )
    [found] = XSearch(token="secret-token", client=client("x")).search("overkalix")
    assert route.calls.last.request.headers["Authorization"] == "Bearer secret-token"
    assert found.url == "https://x.com/bo/status/19"


@respx.mock
def test_youtube_search_with_api_key_in_a_header() -> None:
    route = respx.get("https://www.googleapis.com/youtube/v3/search").mock(
        return_value=httpx.Response(
            200,
            json={
                "items": [
                    {
                        "id": {"videoId": "abc"},
                        "snippet": {
                            "title": "Skellefteå Kraft",
                            "description": "Ny vindkraft",
                            "channelTitle": "Norran",
                            "publishedAt": "2026-11-20T12:00:00Z",
                        },
                    }
                ]
            },
        )
    )
    [found] = YouTubeSearch(api_key="k", client=client("youtube")).search("Skellefteå Kraft")
    assert "key" not in str(route.calls.last.request.url)
    assert found.url == "https://www.youtube.com/watch?v=abc" and found.author == "Norran"


def test_rss_items_are_plain_text_and_dated() -> None:
    items = parse_feed((FIXTURES / "news.rss").read_bytes())
    assert len(items) == 2
    first = items[0]
    assert first.author == "Anna Reporter"
    assert "<" not in first.text and "Överkalix" in first.text
    assert first.published_at is not None and first.published_at.isoformat().startswith(
        "2026-11-23T08:30"
    )


def test_atom_entries() -> None:
    items = parse_feed((FIXTURES / "news.atom").read_bytes())
    assert [item.url for item in items] == [
        "https://ks.example.fi/kirjasto",
        "https://ks.example.fi/espoo",
    ]
    assert items[0].author == "Toimittaja"


def test_a_feed_with_entities_is_refused() -> None:
    with pytest.raises(ConnectorError):
        parse_feed((FIXTURES / "entities.xml").read_bytes())


@respx.mock
def test_feed_reader_keeps_only_mentions_and_never_fetches_internal_addresses() -> None:
    respx.get("https://nyheter.example.se/rss").mock(
        return_value=httpx.Response(200, content=(FIXTURES / "news.rss").read_bytes())
    )
    reader = FeedReader(client=client("feed"), resolve=lambda _host: ["93.184.216.34"])
    found = reader.read("https://nyheter.example.se/rss", terms=["Överkalix"])
    assert [item.url for item in found] == ["https://nyheter.example.se/2026/11/simhall"]
    internal = FeedReader(client=client("feed"), resolve=lambda _host: ["10.0.0.5"])
    with pytest.raises(UnsafeAddress):
        internal.read("https://intranet.example.se/rss", terms=["x"])
    with pytest.raises(UnsafeAddress):
        require_public_url("file:///etc/passwd", resolve=lambda _h: ["93.184.216.34"])
    with pytest.raises(UnsafeAddress):
        require_public_url("http://127.0.0.1:8000/", resolve=lambda h: [h])
