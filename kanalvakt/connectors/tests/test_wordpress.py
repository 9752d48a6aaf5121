"""Blogs through the WordPress REST API: comments, replies, moderation and posts."""

import base64
import json
from datetime import UTC, datetime

import pytest
import respx

from kanalvakt.connectors.base import AccountConfig, ItemKind, PayloadError
from kanalvakt.connectors.http import TokenExpired
from kanalvakt.connectors.tests.helpers import fixture
from kanalvakt.connectors.tests.publish_helpers import http, image, post, sent_json
from kanalvakt.connectors.wordpress.client import WordPressConnector
from kanalvakt.connectors.wordpress.parse import parse_comments

BLOG = AccountConfig(
    external_id="7",
    access_token="kanalvakt:abcd efgh ijkl mnop",
    base_url="https://blogg.degerfors.se",
)
API = "https://blogg.degerfors.se/wp-json/wp/v2"


def ours() -> list:  # type: ignore[type-arg]
    return parse_comments(json.loads(fixture("wordpress", "kanalvakt-comments-sv.json")), "7")


def test_real_comments_parse_as_plain_text_in_utc() -> None:
    items = parse_comments(json.loads(fixture("wordpress", "post-60-comments.json")), "")
    reply = next(i for i in items if i.external_id == "129")
    assert reply.kind == ItemKind.REPLY and reply.parent_external_id == "124"
    assert reply.thread_id == "60" and reply.text == "Hola Mario"
    assert reply.created_at == datetime(2019, 2, 8, 15, 28, 33, tzinfo=UTC)
    assert reply.hidden is False and not reply.deleted


def test_swedish_comments_held_and_our_own() -> None:
    question, answer, spam = ours()
    assert question.kind == ItemKind.COMMENT and question.author_name == "Åsa Öberg"
    assert (
        answer.by_account
        and answer.text == "Hej Åsa! Torsdagar har vi öppet till 19.00 – välkommen då."
    )
    assert spam.hidden is True and "<" not in spam.text


@respx.mock
def test_poll_reads_approved_and_held_comments_with_basic_auth() -> None:
    body = fixture("wordpress", "kanalvakt-comments-sv.json")
    route = respx.get(f"{API}/comments").respond(content=body)
    result = WordPressConnector(http("wordpress")).poll(BLOG, "2026-11-27T08:30:00+00:00")
    assert {c.request.url.params["status"] for c in route.calls} == {"approve", "hold"}
    expected = "Basic " + base64.b64encode(b"kanalvakt:abcd efgh ijkl mnop").decode()
    assert route.calls.last.request.headers["authorization"] == expected
    assert {i.external_id for i in result.items} == {"413", "414"}
    assert result.next_cursor == "2026-11-28T20:40:00+00:00"


@respx.mock
def test_reply_hold_approve_and_trash() -> None:
    question = ours()[0]
    connector = WordPressConnector(http("wordpress"))
    create = respx.post(f"{API}/comments").respond(201, json={"id": 415, "status": "approved"})
    assert connector.reply(BLOG, question.ref(), "Hej Åsa! Välkommen på torsdag.") == "415"
    assert sent_json(create.calls.last) == {
        "post": 88,
        "parent": 412,
        "content": "Hej Åsa! Välkommen på torsdag.",
    }
    status = respx.post(f"{API}/comments/412").respond(json={"id": 412})
    connector.hide(BLOG, question.ref())
    connector.unhide(BLOG, question.ref())
    assert [sent_json(c)["status"] for c in status.calls] == ["hold", "approve"]
    trash = respx.delete(f"{API}/comments/412").respond(json={"id": 412, "status": "trash"})
    connector.remove(BLOG, question.ref())
    assert "force" not in trash.calls.last.request.url.params  # to the trash, restorable


@respx.mock
def test_publish_uploads_images_with_alt_text_and_schedules() -> None:
    media = respx.post(f"{API}/media").respond(
        201, json={"id": 90, "source_url": "https://blogg.degerfors.se/wp-content/uploads/b.png"}
    )
    posts = respx.post(f"{API}/posts").respond(
        201, json={"id": 91, "link": "https://blogg.degerfors.se/?p=91", "status": "future"}
    )
    result = WordPressConnector(http("wordpress")).publish(
        BLOG,
        post(
            "Nya öppettider i jul\nBiblioteket har <öppet> längre på torsdagar.",
            link="https://www.degerfors.se/bibliotek",
            media=(image(),),
            scheduled_at=datetime(2026, 12, 1, 7, tzinfo=UTC),
        ),
    )
    assert result.external_id == "91" and result.url.endswith("?p=91")
    assert media.calls.last.request.url.params["alt_text"] == "Biblioteksbussen vid Veikkola skola"
    assert media.calls.last.request.headers["content-disposition"].endswith("bussen.png")
    sent = sent_json(posts.calls.last)
    assert sent["title"] == "Nya öppettider i jul"
    assert sent["status"] == "future" and sent["date_gmt"] == "2026-12-01T07:00:00"
    assert sent["featured_media"] == 90
    assert "&lt;öppet&gt;" in sent["content"] and 'alt="Biblioteksbussen' in sent["content"]


@respx.mock
def test_revoked_application_password_and_missing_blog_address() -> None:
    respx.get(f"{API}/users/me").respond(
        401,
        json={
            "code": "rest_not_logged_in",
            "message": "You are not currently logged in.",
            "data": {"status": 401},
        },
    )
    with pytest.raises(TokenExpired):
        WordPressConnector(http("wordpress")).token_expires_at(BLOG)
    with pytest.raises(PayloadError):
        WordPressConnector(http("wordpress")).poll(
            AccountConfig(external_id="7", access_token="a:b", base_url="http://blogg.example"),
            None,
        )


def test_a_wordpress_blog_follows_the_packs_rules_for_blogs() -> None:
    from pathlib import Path

    from django.conf import settings

    from kanalvakt.inbox.services import deadline_for
    from kanalvakt.policies.pack import Pack
    from kanalvakt.policies.validation import validate_pack_file

    parsed = validate_pack_file(Path(settings.POLICY_PACK_DIR) / "degerfors.yaml")
    assert parsed.document is not None
    pack = Pack(parsed.document)
    assert deadline_for(pack, platform="wordpress", intent="question") == (
        "response_times.platforms.blog",
        {"kind": "working_days", "amount": 1},
    )
