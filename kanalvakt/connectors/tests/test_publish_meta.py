"""Facebook Pages and Instagram publishing against recorded Graph API answers."""

import json
from datetime import UTC, datetime
from urllib.parse import parse_qs

import httpx
import pytest
import respx

from kanalvakt.connectors.base import AccountConfig, ActionNotSupported
from kanalvakt.connectors.facebook.client import FacebookConnector
from kanalvakt.connectors.http import ConnectorError, RateLimited, TokenExpired
from kanalvakt.connectors.instagram.client import InstagramConnector
from kanalvakt.connectors.meta import GRAPH_URL
from kanalvakt.connectors.tests.helpers import fixture
from kanalvakt.connectors.tests.publish_helpers import form_fields, http, image, post, video

PAGE = AccountConfig(external_id="123456786", access_token="page-token")
IG = AccountConfig(external_id="17841400000000001", access_token="page-token")


def facebook() -> FacebookConnector:
    return FacebookConnector(http("facebook"))


def form(call: respx.models.Call) -> dict[str, list[str]]:
    return parse_qs(call.request.content.decode())


@respx.mock
def test_facebook_text_and_link_go_to_the_feed() -> None:
    route = respx.post(f"{GRAPH_URL}/123456786/feed").respond(json={"id": "123456786_5735173162"})
    result = facebook().publish(PAGE, post(link="https://www.kirkkonummi.fi/kirjastobussi"))
    assert result.external_id == "123456786_5735173162"
    assert result.url == "https://www.facebook.com/123456786_5735173162"
    sent = form(route.calls.last)
    assert sent["link"] == ["https://www.kirkkonummi.fi/kirjastobussi"]
    assert sent["message"] == ["Biblioteksbussen kör igen från måndag."]
    assert route.calls.last.request.headers["authorization"] == "Bearer page-token"


@respx.mock
def test_facebook_one_photo_with_alt_text_answers_with_the_post_id() -> None:
    route = respx.post(f"{GRAPH_URL}/123456786/photos").respond(
        content=fixture("facebook", "graphresponse_image.json")
    )
    result = facebook().publish(PAGE, post(media=(image(),)))
    assert result.external_id == "123456786_5735173162"  # the post, not the photo
    body = form_fields(route.calls.last.request.content)
    assert 'name="alt_text_custom"' in body and "Biblioteksbussen vid Veikkola skola" in body
    assert 'name="source"; filename="bussen.png"' in body


@respx.mock
def test_facebook_several_photos_are_uploaded_unpublished_and_attached() -> None:
    photos = respx.post(f"{GRAPH_URL}/123456786/photos").mock(
        side_effect=[
            httpx.Response(200, json={"id": "901"}),
            httpx.Response(200, json={"id": "902"}),
        ]
    )
    feed = respx.post(f"{GRAPH_URL}/123456786/feed").respond(json={"id": "123456786_77"})
    facebook().publish(PAGE, post(media=(image(), image("Bussens insida"))))
    assert photos.call_count == 2
    assert 'name="published"\r\n\r\nfalse' in form_fields(photos.calls[0].request.content)
    sent = form(feed.calls.last)
    assert json.loads(sent["attached_media[0]"][0]) == {"media_fbid": "901"}
    assert json.loads(sent["attached_media[1]"][0]) == {"media_fbid": "902"}


@respx.mock
def test_facebook_scheduled_post_is_unpublished_with_a_time() -> None:
    route = respx.post(f"{GRAPH_URL}/123456786/feed").respond(json={"id": "123456786_78"})
    when = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    facebook().publish(PAGE, post(scheduled_at=when))
    sent = form(route.calls.last)
    assert sent["published"] == ["false"]
    assert sent["scheduled_publish_time"] == [str(int(when.timestamp()))]


@respx.mock
def test_facebook_video_then_captions_as_subrip() -> None:
    respx.post(f"{GRAPH_URL}/123456786/videos").respond(json={"id": "555"})
    captions = respx.post(f"{GRAPH_URL}/555/captions").respond(json={"success": True})
    result = facebook().publish(PAGE, post(media=(video(),), language="fi"))
    assert result.external_id == "555" and not result.warnings
    body = form_fields(captions.calls.last.request.content)
    assert 'filename="captions.fi_FI.srt"' in body
    assert "1\n00:00:00,000 --> 00:00:02,500\nVälkommen till Kyrkslätt!" in body


@respx.mock
def test_facebook_refused_captions_do_not_fail_the_published_video() -> None:
    respx.post(f"{GRAPH_URL}/123456786/videos").respond(json={"id": "556"})
    respx.post(f"{GRAPH_URL}/556/captions").respond(
        400, json={"error": {"message": "Invalid caption file", "code": 100}}
    )
    result = facebook().publish(PAGE, post(media=(video(),)))
    assert result.external_id == "556"
    assert result.warnings and "captions" in result.warnings[0]


@respx.mock
def test_facebook_expired_token_from_the_recorded_error() -> None:
    respx.post(f"{GRAPH_URL}/123456786/feed").respond(
        400, content=fixture("facebook", "exampleErrorNew.json")
    )
    with pytest.raises(TokenExpired):
        facebook().publish(PAGE, post())


@respx.mock
def test_facebook_create_is_never_repeated_after_a_server_error() -> None:
    route = respx.post(f"{GRAPH_URL}/123456786/feed").respond(500, json={"error": {"code": 2}})
    with pytest.raises(ConnectorError):
        facebook().publish(PAGE, post())
    assert route.call_count == 1  # the post may exist: the caller checks before retrying


@respx.mock
def test_facebook_throttling_is_rate_limited() -> None:
    respx.post(f"{GRAPH_URL}/123456786/feed").respond(
        400,
        json={"error": {"message": "Application request limit reached", "code": 4}},
        headers={
            "X-Business-Use-Case-Usage": json.dumps(
                {"123456786": [{"estimated_time_to_regain_access": 15}]}
            )
        },
    )
    with pytest.raises(RateLimited) as caught:
        facebook().publish(PAGE, post())
    assert caught.value.retry_after == 15 * 60


# Instagram ------------------------------------------------------------------


def instagram(sleeps: list[float] | None = None) -> InstagramConnector:
    return InstagramConnector(http("instagram", sleeps))


@respx.mock
def test_instagram_container_waits_until_finished_then_publishes() -> None:
    create = respx.post(f"{GRAPH_URL}/{IG.external_id}/media").respond(
        content=fixture("instagram", "create_photo.json")
    )
    container_id = json.loads(fixture("instagram", "create_photo.json"))["id"]
    status = respx.get(f"{GRAPH_URL}/{container_id}").mock(
        side_effect=[
            httpx.Response(200, content=fixture("instagram", "container_no_copyright.json")),
            httpx.Response(200, content=fixture("instagram", "container_info.json")),
        ]
    )
    publish = respx.post(f"{GRAPH_URL}/{IG.external_id}/media_publish").respond(
        content=fixture("instagram", "publish_container.json")
    )
    sleeps: list[float] = []
    result = instagram(sleeps).publish(
        IG, post(media=(image(url="https://media.kyrkslatt.fi/bussen.png"),))
    )
    assert result.external_id == json.loads(fixture("instagram", "publish_container.json"))["id"]
    sent = form(create.calls.last)
    assert sent["image_url"] == ["https://media.kyrkslatt.fi/bussen.png"]
    assert sent["alt_text"] == ["Biblioteksbussen vid Veikkola skola"]
    assert status.call_count == 2 and sleeps  # waited once while IN_PROGRESS
    assert form(publish.calls.last)["creation_id"] == [container_id]


@respx.mock
def test_instagram_failed_container_is_a_media_failure_and_nothing_is_published() -> None:
    respx.post(f"{GRAPH_URL}/{IG.external_id}/media").respond(json={"id": "c1"})
    respx.get(f"{GRAPH_URL}/c1").respond(json={"status_code": "ERROR", "id": "c1"})
    publish = respx.post(f"{GRAPH_URL}/{IG.external_id}/media_publish")
    with pytest.raises(ConnectorError) as caught:
        instagram().publish(IG, post(media=(image(url="https://media.kyrkslatt.fi/x.png"),)))
    assert caught.value.code == "media_failed"
    assert not publish.called


@respx.mock
def test_instagram_carousel_has_children() -> None:
    create = respx.post(f"{GRAPH_URL}/{IG.external_id}/media").mock(
        side_effect=[httpx.Response(200, json={"id": i}) for i in ("k1", "k2", "carousel")]
    )
    respx.get(f"{GRAPH_URL}/carousel").respond(json={"status_code": "FINISHED"})
    respx.post(f"{GRAPH_URL}/{IG.external_id}/media_publish").respond(json={"id": "m1"})
    media = (
        image(url="https://media.kyrkslatt.fi/a.png"),
        image(url="https://media.kyrkslatt.fi/b.png"),
    )
    instagram().publish(IG, post(media=media))
    assert form(create.calls[0])["is_carousel_item"] == ["true"]
    assert form(create.calls[2])["children"] == ["k1,k2"]
    assert form(create.calls[2])["media_type"] == ["CAROUSEL"]


def test_instagram_refuses_before_any_call_what_it_cannot_publish() -> None:
    connector = instagram()
    with pytest.raises(ActionNotSupported, match="image or a video"):
        connector.publish(IG, post())
    with pytest.raises(ActionNotSupported, match="public address"):
        connector.publish(IG, post(media=(image(),)))
    with pytest.raises(ActionNotSupported, match="schedule"):
        connector.publish(IG, post(scheduled_at=datetime(2026, 12, 1, tzinfo=UTC)))


@respx.mock
def test_facebook_pins_a_published_post_to_the_top_of_the_page() -> None:
    route = respx.post(f"{GRAPH_URL}/123456786_5735173162").respond(json={"success": True})
    facebook().pin(PAGE, "123456786_5735173162")
    assert form(route.calls.last) == {"is_pinned": ["true"]}
