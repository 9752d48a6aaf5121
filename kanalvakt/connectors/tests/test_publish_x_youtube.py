"""X and YouTube publishing against recorded answers."""

import json
from datetime import UTC, datetime

import httpx
import pytest
import respx

from kanalvakt.connectors.base import AccountConfig, ActionNotSupported
from kanalvakt.connectors.http import ConnectorError, RateLimited, TokenExpired
from kanalvakt.connectors.tests.helpers import fixture
from kanalvakt.connectors.tests.publish_helpers import (
    MP4,
    cassette,
    form_fields,
    http,
    image,
    post,
    sent_json,
    video,
)
from kanalvakt.connectors.x.client import XConnector
from kanalvakt.connectors.youtube.client import YouTubeConnector

X_API = "https://api.x.com/2"
X_ACCOUNT = AccountConfig(external_id="2244994945", access_token="user-token", handle="kyrkslatt")
YT = "https://www.googleapis.com"
CHANNEL = AccountConfig(external_id="UC_x5XG1OV2P6uZZ5FSM9Ttw", access_token="google-token")


def created_tweet() -> bytes:
    [(method, uri, body)] = [
        c for c in cassette("x", "test_client_create_and_delete_tweet.yaml") if c[0] == "POST"
    ]
    assert uri.endswith("/2/tweets")
    return body


@respx.mock
def test_x_image_is_uploaded_described_and_attached() -> None:
    upload = respx.post(f"{X_API}/media/upload").respond(
        content=fixture("x", "v2_upload_chunk_init_resp.json")
    )
    metadata = respx.post(f"{X_API}/media/metadata").respond(
        json={"data": {"associated_metadata": True}}
    )
    create = respx.post(f"{X_API}/tweets").respond(201, content=created_tweet())
    result = XConnector(http("x")).publish(X_ACCOUNT, post(media=(image(),)))
    tweet_id = json.loads(created_tweet())["data"]["id"]
    assert result.external_id == tweet_id
    assert result.url == f"https://x.com/kyrkslatt/status/{tweet_id}"
    assert 'name="media_category"\r\n\r\ntweet_image' in form_fields(
        upload.calls.last.request.content
    )
    assert sent_json(metadata.calls.last) == {
        "id": "1912103767639719936",
        "metadata": {"alt_text": {"text": "Biblioteksbussen vid Veikkola skola"}},
    }
    assert sent_json(create.calls.last)["media"] == {"media_ids": ["1912103767639719936"]}


@respx.mock
def test_x_video_is_chunked_and_waits_for_processing() -> None:
    respx.post(f"{X_API}/media/upload/initialize").respond(
        json={"data": {"id": "1912090619981471744", "media_key": "7_1912090619981471744"}}
    )
    append = respx.post(f"{X_API}/media/upload/1912090619981471744/append").respond(204)
    respx.post(f"{X_API}/media/upload/1912090619981471744/finalize").respond(
        json={
            "data": {
                "id": "1912090619981471744",
                "processing_info": {"state": "pending", "check_after_secs": 1},
            }
        }
    )
    status = respx.get(f"{X_API}/media/upload").respond(
        content=fixture("x", "v2_upload_chunk_status_resp.json")
    )
    respx.post(f"{X_API}/media/metadata").respond(json={})
    respx.post(f"{X_API}/tweets").respond(201, content=created_tweet())
    XConnector(http("x")).publish(X_ACCOUNT, post(media=(video(),)))
    assert append.call_count == 1
    assert 'name="segment_index"\r\n\r\n0' in form_fields(append.calls.last.request.content)
    assert status.calls.last.request.url.params["command"] == "STATUS"


@respx.mock
def test_x_failed_video_processing_posts_nothing() -> None:
    respx.post(f"{X_API}/media/upload/initialize").respond(json={"data": {"id": "9"}})
    respx.post(f"{X_API}/media/upload/9/append").respond(204)
    respx.post(f"{X_API}/media/upload/9/finalize").respond(
        json={"data": {"id": "9", "processing_info": {"state": "pending"}}}
    )
    respx.get(f"{X_API}/media/upload").respond(
        json={
            "data": {"processing_info": {"state": "failed", "error": {"message": "InvalidMedia"}}}
        }
    )
    create = respx.post(f"{X_API}/tweets")
    with pytest.raises(ConnectorError) as caught:
        XConnector(http("x")).publish(X_ACCOUNT, post(media=(video(),)))
    assert caught.value.code == "media_failed"
    assert not create.called


@respx.mock
def test_x_rate_limit_reads_the_reset_header_and_does_not_post_twice() -> None:
    create = respx.post(f"{X_API}/tweets").respond(
        429, json={"title": "Too Many Requests"}, headers={"x-rate-limit-reset": "4102444800"}
    )
    with pytest.raises(RateLimited) as caught:
        XConnector(http("x")).publish(X_ACCOUNT, post())
    assert caught.value.retry_after and caught.value.retry_after > 60
    assert create.call_count == 1


@respx.mock
def test_x_expired_token_and_server_error_are_not_retried() -> None:
    respx.post(f"{X_API}/tweets").mock(
        side_effect=[httpx.Response(401, json={"title": "Unauthorized"}), httpx.Response(503)]
    )
    connector = XConnector(http("x"))
    with pytest.raises(TokenExpired):
        connector.publish(X_ACCOUNT, post())
    with pytest.raises(ConnectorError):
        connector.publish(X_ACCOUNT, post())
    assert respx.calls.call_count == 2


def test_x_cannot_schedule() -> None:
    with pytest.raises(ActionNotSupported):
        XConnector(http("x")).publish(
            X_ACCOUNT, post(scheduled_at=datetime(2026, 12, 1, tzinfo=UTC))
        )


# YouTube ----------------------------------------------------------------------


@respx.mock
def test_youtube_resumable_upload_then_captions() -> None:
    session = respx.post(f"{YT}/upload/youtube/v3/videos").respond(
        200, headers={"Location": f"{YT}/upload/youtube/v3/videos?upload_id=abc"}
    )
    upload = respx.put(f"{YT}/upload/youtube/v3/videos?upload_id=abc").respond(
        content=fixture("youtube", "videos_insert_response.json")
    )
    captions = respx.post(f"{YT}/upload/youtube/v3/captions").respond(
        content=fixture("youtube", "captions_insert_response.json")
    )
    text = "Välkommen till Kyrkslätt <3\nKommundirektören hälsar."
    result = YouTubeConnector(http("youtube")).publish(
        CHANNEL,
        post(
            text, media=(video(),), language="sv", scheduled_at=datetime(2026, 12, 1, 8, tzinfo=UTC)
        ),
    )
    assert result.external_id == "D-lhorsDlUQ"
    assert result.url == "https://www.youtube.com/watch?v=D-lhorsDlUQ"
    metadata = sent_json(session.calls.last)
    assert metadata["snippet"]["title"] == "Välkommen till Kyrkslätt 3"
    assert metadata["status"]["privacyStatus"] == "private"
    assert metadata["status"]["publishAt"] == "2026-12-01T08:00:00+00:00"
    assert session.calls.last.request.url.params["uploadType"] == "resumable"
    assert upload.calls.last.request.content == MP4
    body = captions.calls.last.request.content.decode()
    assert '"videoId": "D-lhorsDlUQ"' in body and "Välkommen till Kyrkslätt!" in body
    assert captions.calls.last.request.headers["content-type"].startswith("multipart/related")


@respx.mock
def test_youtube_quota_error_on_captions_is_a_warning_not_a_second_upload() -> None:
    respx.post(f"{YT}/upload/youtube/v3/videos").respond(
        200, headers={"Location": f"{YT}/upload/youtube/v3/videos?upload_id=abc"}
    )
    upload = respx.put(f"{YT}/upload/youtube/v3/videos?upload_id=abc").respond(
        content=fixture("youtube", "videos_insert_response.json")
    )
    respx.post(f"{YT}/upload/youtube/v3/captions").respond(
        403, json={"error": {"code": 403, "message": "quotaExceeded"}}
    )
    result = YouTubeConnector(http("youtube")).publish(CHANNEL, post(media=(video(),)))
    assert result.warnings and upload.call_count == 1


@respx.mock
def test_youtube_expired_token() -> None:
    respx.post(f"{YT}/upload/youtube/v3/videos").respond(
        401, json={"error": {"code": 401, "message": "Invalid Credentials"}}
    )
    with pytest.raises(TokenExpired):
        YouTubeConnector(http("youtube")).publish(CHANNEL, post(media=(video(),)))


def test_youtube_needs_exactly_one_video() -> None:
    with pytest.raises(ActionNotSupported):
        YouTubeConnector(http("youtube")).publish(CHANNEL, post(media=(image(),)))
