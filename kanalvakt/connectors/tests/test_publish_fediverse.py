"""Mastodon and Bluesky publishing against recorded answers."""

import json
from datetime import UTC, datetime

import httpx
import pytest
import respx

from kanalvakt.connectors.base import AccountConfig, ActionNotSupported
from kanalvakt.connectors.bluesky.client import BlueskyConnector
from kanalvakt.connectors.http import ConnectorError, RateLimited, TokenExpired
from kanalvakt.connectors.mastodon.client import MastodonConnector
from kanalvakt.connectors.publishing import bluesky_facets, tid_for
from kanalvakt.connectors.tests.helpers import fixture
from kanalvakt.connectors.tests.publish_helpers import (
    cassette,
    form_fields,
    http,
    image,
    post,
    sent_json,
    video,
)

SOCIAL = "https://mastodon.social"
TOOT = AccountConfig(external_id="1", access_token="app-token", base_url=SOCIAL)
PDS = "https://bsky.social/xrpc"
SKY = AccountConfig(
    external_id="did:plc:iijrtk7ocored6zuziwmqq3c", access_token="jwt", handle="kyrkslatt.fi"
)


def recorded(name: str, method: str, path: str) -> list[bytes]:
    return [
        body for m, uri, body in cassette("mastodon", name) if m == method and uri.endswith(path)
    ]


@respx.mock
def test_mastodon_media_with_description_then_status_with_idempotency_key() -> None:
    media_bodies = recorded("test_media_post_multiple.yaml", "POST", "/api/v2/media")
    [status_body] = recorded("test_media_post_multiple.yaml", "POST", "/api/v1/statuses")
    media = respx.post(f"{SOCIAL}/api/v2/media").mock(
        side_effect=[httpx.Response(200, content=b) for b in media_bodies]
    )
    statuses = respx.post(f"{SOCIAL}/api/v1/statuses").respond(content=status_body)
    result = MastodonConnector(http("mastodon")).publish(
        TOOT, post(media=(image(), image("Bussens insida")), language="sv")
    )
    status = json.loads(status_body)
    assert result.external_id == status["id"] and result.url == status["url"]
    assert 'name="description"\r\n\r\nBiblioteksbussen vid Veikkola skola' in form_fields(
        media.calls[0].request.content
    )
    sent = sent_json(statuses.calls.last)
    assert sent["media_ids"] == [json.loads(b)["id"] for b in media_bodies]
    assert sent["language"] == "sv"
    assert statuses.calls.last.request.headers["idempotency-key"] == "post-17-account-4"


@respx.mock
def test_mastodon_retries_a_failed_status_with_the_same_key() -> None:
    [status_body] = recorded("test_media_post_multiple.yaml", "POST", "/api/v1/statuses")
    statuses = respx.post(f"{SOCIAL}/api/v1/statuses").mock(
        side_effect=[httpx.Response(502), httpx.Response(200, content=status_body)]
    )
    MastodonConnector(http("mastodon")).publish(TOOT, post())
    keys = {c.request.headers["idempotency-key"] for c in statuses.calls}
    assert statuses.call_count == 2 and keys == {"post-17-account-4"}


@respx.mock
def test_mastodon_scheduled_post_answers_a_scheduled_status() -> None:
    first = recorded("test_scheduled_status.yaml", "POST", "/api/v1/statuses")[0]
    route = respx.post(f"{SOCIAL}/api/v1/statuses").respond(content=first)
    when = datetime(2026, 12, 1, 8, tzinfo=UTC)
    result = MastodonConnector(http("mastodon")).publish(TOOT, post(scheduled_at=when))
    assert result.external_id == "1" and result.url == ""
    assert sent_json(route.calls.last)["scheduled_at"] == "2026-12-01T08:00:00+00:00"


@respx.mock
def test_mastodon_video_waits_for_processing() -> None:
    respx.post(f"{SOCIAL}/api/v2/media").respond(
        202, json={"id": "77", "type": "video", "url": None}
    )
    poll = respx.get(f"{SOCIAL}/api/v1/media/77").mock(
        side_effect=[
            httpx.Response(206, json={"id": "77"}),
            httpx.Response(200, json={"id": "77", "url": "u"}),
        ]
    )
    respx.post(f"{SOCIAL}/api/v1/statuses").respond(json={"id": "5", "url": f"{SOCIAL}/@k/5"})
    MastodonConnector(http("mastodon")).publish(TOOT, post(media=(video(),)))
    assert poll.call_count == 2


@respx.mock
def test_mastodon_refused_media_and_revoked_token() -> None:
    respx.post(f"{SOCIAL}/api/v2/media").respond(
        422,
        json={"error": "Validation failed: File has contents that are not what they are reported"},
    )
    statuses = respx.post(f"{SOCIAL}/api/v1/statuses")
    with pytest.raises(ConnectorError) as caught:
        MastodonConnector(http("mastodon")).publish(TOOT, post(media=(image(),)))
    assert caught.value.status == 422 and not statuses.called
    respx.post(f"{SOCIAL}/api/v2/media").respond(401, json={"error": "The access token is invalid"})
    with pytest.raises(TokenExpired):
        MastodonConnector(http("mastodon")).publish(TOOT, post(media=(image(),)))


# Bluesky ------------------------------------------------------------------------


def test_facets_use_utf8_byte_offsets() -> None:
    text = (
        "Läs mer på https://www.kirkkonummi.fi/ä?x=1. #kirkkonummi #kyrkslätt #yhdessätillsammans"
    )
    facets = bluesky_facets(text)
    encoded = text.encode()
    spans = [encoded[f["index"]["byteStart"] : f["index"]["byteEnd"]].decode() for f in facets]
    assert spans == [
        "https://www.kirkkonummi.fi/ä?x=1",
        "#kirkkonummi",
        "#kyrkslätt",
        "#yhdessätillsammans",
    ]
    assert facets[0]["features"][0]["uri"] == "https://www.kirkkonummi.fi/ä?x=1"
    assert facets[2]["features"][0] == {"$type": "app.bsky.richtext.facet#tag", "tag": "kyrkslätt"}
    assert bluesky_facets("Sida #1 och https://a.example/#frag") == [
        {
            "index": {"byteStart": 12, "byteEnd": 35},
            "features": [
                {"$type": "app.bsky.richtext.facet#link", "uri": "https://a.example/#frag"}
            ],
        }
    ]


def test_record_key_is_a_stable_tid() -> None:
    key = tid_for("post-17-account-4")
    assert key == tid_for("post-17-account-4") != tid_for("post-17-account-5")
    assert len(key) == 13 and key[0] in "234567abcdefghij"


def _pds_accepts_blobs_and_records() -> tuple[respx.Route, respx.Route]:
    """The PDS answers uploads and record creation as Bluesky documents; the two routes."""
    upload = respx.post(f"{PDS}/com.atproto.repo.uploadBlob").respond(
        content=fixture("bluesky", "uploadBlob.json")
    )
    create = respx.post(f"{PDS}/com.atproto.repo.createRecord").respond(
        content=fixture("bluesky", "createRecord.json")
    )
    return upload, create


@respx.mock
def test_bluesky_images_with_alt_text_and_facets() -> None:
    blob = json.loads(fixture("bluesky", "uploadBlob.json"))["blob"]
    upload, create = _pds_accepts_blobs_and_records()
    text = "Biblioteksbussen kör igen #kyrkslätt"
    result = BlueskyConnector(http("bluesky")).publish(
        SKY, post(text, link="https://www.kirkkonummi.fi/bussi", media=(image(),), language="sv")
    )
    assert result.external_id == json.loads(fixture("bluesky", "createRecord.json"))["uri"]
    rkey = tid_for("post-17-account-4")
    assert result.url == f"https://bsky.app/profile/kyrkslatt.fi/post/{rkey}"
    assert upload.calls.last.request.headers["content-type"] == "image/png"
    sent = sent_json(create.calls.last)
    assert sent["rkey"] == rkey and sent["repo"] == SKY.external_id
    record = sent["record"]
    assert (
        record["text"] == "Biblioteksbussen kör igen #kyrkslätt\n\nhttps://www.kirkkonummi.fi/bussi"
    )
    assert record["langs"] == ["sv"]
    assert record["embed"] == {
        "$type": "app.bsky.embed.images",
        "images": [{"alt": "Biblioteksbussen vid Veikkola skola", "image": blob}],
    }
    assert [f["features"][0]["$type"] for f in record["facets"]] == [
        "app.bsky.richtext.facet#tag",
        "app.bsky.richtext.facet#link",
    ]


@respx.mock
def test_bluesky_video_with_captions_blob() -> None:
    upload, create = _pds_accepts_blobs_and_records()
    BlueskyConnector(http("bluesky")).publish(SKY, post(media=(video(),), language="fi"))
    assert [c.request.headers["content-type"] for c in upload.calls] == ["video/mp4", "text/vtt"]
    embed = sent_json(create.calls.last)["record"]["embed"]
    assert embed["$type"] == "app.bsky.embed.video"
    assert embed["captions"][0]["lang"] == "fi"


@respx.mock
def test_bluesky_retry_after_the_record_exists_returns_the_first_post() -> None:
    create = respx.post(f"{PDS}/com.atproto.repo.createRecord").mock(
        side_effect=[
            httpx.Response(502),
            httpx.Response(
                400, json={"error": "InvalidRequest", "message": "Record already exists"}
            ),
        ]
    )
    existing = respx.get(f"{PDS}/com.atproto.repo.getRecord").respond(
        json={
            "uri": "at://did:plc:iijrtk7ocored6zuziwmqq3c/app.bsky.feed.post/x",
            "cid": "bafy",
            "value": {},
        }
    )
    result = BlueskyConnector(http("bluesky")).publish(SKY, post())
    assert create.call_count == 2  # the same rkey both times
    assert existing.calls.last.request.url.params["rkey"] == tid_for("post-17-account-4")
    assert result.external_id.endswith("/x")


@respx.mock
def test_bluesky_expired_token_and_rate_limit() -> None:
    respx.post(f"{PDS}/com.atproto.repo.createRecord").mock(
        side_effect=[
            httpx.Response(400, json={"error": "ExpiredToken", "message": "Token has expired"}),
            httpx.Response(
                429, json={"error": "RateLimitExceeded"}, headers={"ratelimit-reset": "4102444800"}
            ),
        ]
    )
    connector = BlueskyConnector(http("bluesky"))
    with pytest.raises(TokenExpired):
        connector.publish(SKY, post())
    with pytest.raises(RateLimited):
        connector.publish(SKY, post())


def test_bluesky_refuses_five_images() -> None:
    with pytest.raises(ActionNotSupported):
        BlueskyConnector(http("bluesky")).publish(SKY, post(media=(image(),) * 5))
