"""LinkedIn organisation pages: comments polled, replies, removal, the Posts API."""

import json
from datetime import UTC, datetime
from urllib.parse import quote

import httpx
import pytest
import respx
import yaml

from kanalvakt.connectors.base import AccountConfig, ActionNotSupported, ItemKind
from kanalvakt.connectors.http import TokenExpired
from kanalvakt.connectors.linkedin.client import LinkedInConnector
from kanalvakt.connectors.linkedin.parse import little_text, parse_comment, parse_comments
from kanalvakt.connectors.tests.helpers import fixture
from kanalvakt.connectors.tests.publish_helpers import http, image, post, sent_json

API = "https://api.linkedin.com/rest"
ORG = "urn:li:organization:10001234"
PAGE = AccountConfig(external_id="10001234", access_token="li-token")
POST_URN = "urn:li:share:7250000000000000001"
FIRST = "urn:li:comment:(urn:li:activity:7250000000000000001,7250000000000000101)"


def test_documented_comment_parses() -> None:
    item = parse_comment(json.loads(fixture("linkedin", "commentResponse.json")), ORG)
    assert item.external_id == (
        "urn:li:comment:(urn:li:activity:6641861161010679808,6643206422739898368)"
    )
    assert item.text == "commentV2 with image urn"
    assert item.thread_id == "urn:li:activity:6641861161010679808"
    assert item.created_at == datetime(2020, 3, 10, 18, 10, 35, 990000, tzinfo=UTC)
    assert item.attachments and item.attachments[0].startswith("https://media.licdn")
    assert not item.by_account  # another organisation wrote it


def test_swedish_and_finnish_comments_with_replies() -> None:
    items = parse_comments(json.loads(fixture("linkedin", "kanalvakt-comments-sv-fi.json")), ORG)
    question, swedish, ours = items
    assert question.kind == ItemKind.COMMENT and question.text.startswith("Hakeeko kunta")
    assert swedish.kind == ItemKind.REPLY and swedish.parent_external_id == FIRST
    assert swedish.edited_at is not None
    assert ours.by_account and ours.author_external_id == ORG


@respx.mock
def test_poll_lists_recent_posts_then_their_comments_after_the_cursor() -> None:
    posts = respx.get(f"{API}/posts").respond(
        json={"elements": [json.loads(fixture("linkedin", "post.json")) | {"id": POST_URN}]}
    )
    comments = respx.get(f"{API}/socialActions/{quote(POST_URN, safe='')}/comments").respond(
        content=fixture("linkedin", "kanalvakt-comments-sv-fi.json")
    )
    connector = LinkedInConnector(http("linkedin"))
    result = connector.poll(PAGE, None)
    assert len(result.items) == 3 and result.next_cursor == "1732791600000"
    assert posts.calls.last.request.url.params["author"] == ORG
    assert posts.calls.last.request.headers["linkedin-version"]
    assert comments.calls.last.request.headers["x-restli-protocol-version"] == "2.0.0"
    again = connector.poll(PAGE, "1732786000000")
    assert [i.external_id[-5:-1] for i in again.items] == ["0102", "0103"]  # edited, new


@respx.mock
def test_poll_reports_deleted_comments() -> None:
    respx.get(f"{API}/posts").respond(json={"elements": []})
    target = quote("urn:li:activity:7250000000000000001", safe="")
    respx.get(f"{API}/socialActions/{target}/comments/7250000000000000101").respond(
        404, json={"status": 404, "message": "Not found"}
    )
    result = LinkedInConnector(http("linkedin")).poll(PAGE, None, known_external_ids=[FIRST])
    assert result.deleted_external_ids == [FIRST]


@respx.mock
def test_reply_is_a_nested_comment_by_the_organisation() -> None:
    route = respx.post(f"{API}/socialActions/{quote(FIRST, safe='')}/comments").respond(
        201, content=fixture("linkedin", "commentResponse.json")
    )
    item = parse_comments(json.loads(fixture("linkedin", "kanalvakt-comments-sv-fi.json")), ORG)[0]
    new_id = LinkedInConnector(http("linkedin")).reply(PAGE, item.ref(), "Kyllä, haku on auki.")
    assert new_id.startswith("urn:li:comment:(")
    sent = sent_json(route.calls.last)
    assert sent == {
        "actor": ORG,
        "object": "urn:li:activity:7250000000000000001",
        "parentComment": FIRST,
        "message": {"text": "Kyllä, haku on auki."},
    }


@respx.mock
def test_remove_deletes_as_the_organisation_and_hide_is_not_offered() -> None:
    target = quote("urn:li:activity:7250000000000000001", safe="")
    route = respx.delete(f"{API}/socialActions/{target}/comments/7250000000000000101").respond(204)
    item = parse_comments(json.loads(fixture("linkedin", "kanalvakt-comments-sv-fi.json")), ORG)[0]
    connector = LinkedInConnector(http("linkedin"))
    connector.remove(PAGE, item.ref())
    assert route.calls.last.request.url.params["actor"] == ORG
    with pytest.raises(ActionNotSupported):
        connector.hide(PAGE, item.ref())


def test_little_text_escapes_and_writes_hashtags() -> None:
    assert little_text("Kesätyö (2027) @kunta #kirkkonummi #kyrkslätt_2") == (
        "Kesätyö \\(2027\\) \\@kunta {hashtag|\\#|kirkkonummi} {hashtag|\\#|kyrkslätt_2}"
    )


@respx.mock
def test_publish_uploads_the_image_then_creates_the_post() -> None:
    init_body = json.loads(fixture("linkedin", "initializeUpload.json"))
    respx.post(f"{API}/images").respond(json=init_body)
    upload = respx.put(init_body["value"]["uploadUrl"]).respond(201)
    create = respx.post(f"{API}/posts").respond(
        201, headers={"x-restli-id": "urn:li:share:7260000000000000000"}
    )
    result = LinkedInConnector(http("linkedin")).publish(
        PAGE,
        post("Sommarjobb 2027 #kyrkslätt", link="https://www.kirkkonummi.fi/k", media=(image(),)),
    )
    assert result.external_id == "urn:li:share:7260000000000000000"
    assert result.url == "https://www.linkedin.com/feed/update/urn:li:share:7260000000000000000/"
    assert upload.calls.last.request.headers["authorization"] == "Bearer li-token"
    sent = sent_json(create.calls.last)
    assert sent["author"] == ORG and sent["lifecycleState"] == "PUBLISHED"
    assert sent["content"] == {
        "media": {
            "id": init_body["value"]["image"],
            "altText": "Biblioteksbussen vid Veikkola skola",
        }
    }
    assert (
        sent["commentary"]
        == "Sommarjobb 2027 {hashtag|\\#|kyrkslätt}\n\nhttps://www.kirkkonummi.fi/k"
    )


@respx.mock
def test_publish_with_a_link_is_an_article_and_a_recorded_401_is_an_expired_token() -> None:
    recorded = yaml.safe_load(fixture("linkedin", "organization_data.yml"))
    response = recorded["http_interactions"][0]["response"]
    create = respx.post(f"{API}/posts").mock(
        side_effect=[
            httpx.Response(201, headers={"x-restli-id": "urn:li:share:1"}),
            httpx.Response(response["status"]["code"], content=response["body"]["string"].encode()),
        ]
    )
    connector = LinkedInConnector(http("linkedin"))
    connector.publish(PAGE, post(link="https://www.kirkkonummi.fi/k"))
    assert sent_json(create.calls.last)["content"] == {
        "article": {
            "source": "https://www.kirkkonummi.fi/k",
            "title": "https://www.kirkkonummi.fi/k",
        }
    }
    with pytest.raises(TokenExpired):
        connector.publish(PAGE, post())
