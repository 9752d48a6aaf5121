from datetime import UTC, datetime

import httpx
import pytest
import respx

from kanalvakt.connectors.base import AccountConfig, ActionNotSupported, ItemKind, PayloadError
from kanalvakt.connectors.facebook.client import FacebookConnector
from kanalvakt.connectors.facebook.parse import parse_comment_node, parse_comments_page
from kanalvakt.connectors.http import HttpClient, RetryPolicy, TokenExpired
from kanalvakt.connectors.meta import GRAPH_URL
from kanalvakt.connectors.tests.helpers import fixture, meta_signature

connector = FacebookConnector()


def parse(name: str):  # type: ignore[no-untyped-def]
    return connector.parse_webhook(fixture("facebook", name))


def test_new_comment_in_current_form() -> None:
    [item] = parse("feed-comment-add-211.json")
    assert item.platform == "facebook"
    assert item.kind == ItemKind.COMMENT
    assert item.external_id == "901097836652708_903438993085259"
    assert item.thread_id == "1234567890321_901097836652708"
    assert item.parent_external_id == "1234567890321_901097836652708"
    assert item.text == "and the next one"
    assert item.author_name == "Tester"
    assert item.created_at == datetime(2015, 12, 3, 9, 30, 3, tzinfo=UTC)
    assert item.account_external_id == "1234567890321"
    assert item.raw == fixture("facebook", "feed-comment-add-211.json")


def test_old_and_new_form_give_the_same_item() -> None:
    [old] = parse("feed-comment-add-25.json")
    [new] = parse("feed-comment-add-211.json")
    for field in ("external_id", "text", "author_name", "author_external_id", "created_at"):
        assert getattr(old, field) == getattr(new, field)


def test_swedish_and_finnish_thread_with_our_own_reply() -> None:
    question, answer_fi, ours = parse("kanalvakt-feed-sv-fi.json")
    assert question.text == (
        "Hej! När öppnar återvinningscentralen igen efter helgen? Tack på förhand 🙏"
    )
    assert question.author_name == "Åsa Öberg"
    assert question.kind == ItemKind.COMMENT
    assert answer_fi.text.startswith("Kysyin samaa – kierrätyskeskus")
    assert answer_fi.kind == ItemKind.REPLY
    assert answer_fi.parent_external_id == question.external_id
    assert answer_fi.thread_id == question.thread_id
    assert not answer_fi.by_account
    assert ours.by_account


def test_photo_comment_keeps_the_photo_url() -> None:
    [item] = parse("feed-comment-add-with-photo.json")
    assert item.attachments[0].startswith("https://scontent-fra3-1.xx.fbcdn.net/")


def test_edit_hide_unhide_and_remove_are_reported_not_lost() -> None:
    [edited] = parse("feed-comment-edited-25.json")
    assert edited.edited_at is not None
    assert edited.text == "Let's see the Webhooks in action :D"
    [hidden] = parse("feed-comment-hide.json")
    assert hidden.hidden is True
    [unhidden] = parse("feed-comment-unhide.json")
    assert unhidden.hidden is False
    [removed] = parse("feed-comment-remove-25.json")
    assert removed.deleted
    assert removed.external_id == "905578656204626_905579239537901"
    assert removed.created_at == datetime.fromtimestamp(1452107182, tz=UTC)


def test_visitor_post_and_mentions() -> None:
    [post] = parse("feed-post-add-25.json")
    assert post.kind == ItemKind.POST
    assert post.external_id == "1234567890321_7293787835232"
    assert post.hidden is False
    [comment_mention] = parse("mention-comment-add.json")
    assert comment_mention.kind == ItemKind.MENTION
    assert comment_mention.external_id == "7363534231324_3754798971271444"
    [post_mention] = parse("mention-post-add-real.json")
    assert post_mention.kind == ItemKind.MENTION
    assert post_mention.text == "A test post message"


def test_reactions_and_page_settings_give_no_items() -> None:
    assert parse("feed-reaction-add-comment.json") == []
    assert parse("feed-two-entries-25.json") == []


def test_messenger_messages() -> None:
    [dm] = parse("messaging-message-basic.json")
    assert dm.kind == ItemKind.DIRECT_MESSAGE
    assert dm.external_id == "mid.1457764197618:41d102a3e1ae206a38"
    assert dm.text == "hello, world!"
    assert dm.author_external_id == "987654321432"
    assert dm.thread_id == "987654321432"
    assert dm.created_at == datetime(2016, 3, 12, 6, 29, 57, 627000, tzinfo=UTC)
    [edited] = parse("messaging-message-edits.json")
    assert edited.external_id == dm.external_id and edited.edited_at is not None
    [deleted] = parse("messaging-message-isdeleted.json")
    assert deleted.deleted
    [image] = parse("messaging-message-media-attachment.json")
    assert image.attachments == ("IMAGE_URL",)


def test_graph_comment_nodes() -> None:
    import json

    node = json.loads(fixture("facebook", "comment_node.json"))
    item = parse_comment_node(node, "2121008874780932")
    assert item.external_id == "2954961744718970_2966313500250461"
    assert item.author_name == "Kun Liu"
    assert item.hidden is False
    assert item.created_at == datetime(2021, 7, 23, 8, 35, 18, tzinfo=UTC)
    items, after = parse_comments_page(json.loads(fixture("facebook", "comments_p1.json")))
    assert items[0].external_id == "10158407654328553_10158407835073553"
    assert items[0].thread_id == "19292868552_10158407654328553"
    assert items[0].text.startswith("Boa noite peço ajuda")
    assert all(i.created_at.tzinfo is not None for i in items)


@pytest.mark.parametrize(
    "body", [b"not json", b"[]", b'{"object":"instagram","entry":[]}', b'{"object":"page"}']
)
def test_malformed_deliveries_are_refused_with_a_reason(body: bytes) -> None:
    with pytest.raises(PayloadError):
        connector.parse_webhook(body)


def test_signature() -> None:
    body = fixture("facebook", "feed-comment-add-211.json")
    good = {"X-Hub-Signature-256": meta_signature("app-secret", body)}
    assert connector.verify_webhook(good, body, "app-secret")
    assert connector.verify_webhook(
        {"x-hub-signature-256": good["X-Hub-Signature-256"]}, body, "app-secret"
    )
    assert not connector.verify_webhook(good, body + b" ", "app-secret")
    assert not connector.verify_webhook(good, body, "other-secret")
    assert not connector.verify_webhook({}, body, "app-secret")
    assert not connector.verify_webhook({"X-Hub-Signature-256": "sha1=abc"}, body, "app-secret")
    assert not connector.verify_webhook(good, body, "")


def test_handshake() -> None:
    query = {"hub.mode": "subscribe", "hub.verify_token": "tok", "hub.challenge": "1158201444"}
    assert connector.webhook_handshake(query, "tok") == "1158201444"
    assert connector.webhook_handshake(query, "wrong") is None
    assert connector.webhook_handshake({**query, "hub.mode": "unsubscribe"}, "tok") is None
    assert connector.webhook_handshake(query, "") is None


ACCOUNT = AccountConfig(external_id="104857600123456", access_token="page-token")


def make_connector() -> FacebookConnector:
    return FacebookConnector(HttpClient(platform="facebook", retry=RetryPolicy(attempts=1)))


@respx.mock
def test_reply_hide_unhide_remove_call_the_graph_api() -> None:
    fb = make_connector()
    comment = parse("kanalvakt-feed-sv-fi.json")[0].ref()
    reply = respx.post(f"{GRAPH_URL}/{comment.external_id}/comments").mock(
        return_value=httpx.Response(200, json={"id": "777000111222333_999"})
    )
    assert fb.reply(ACCOUNT, comment, "Hej Åsa! Måndag kl. 7.") == "777000111222333_999"
    assert reply.calls.last.request.headers["Authorization"] == "Bearer page-token"
    assert b"message=Hej+%C3%85sa" in reply.calls.last.request.content

    hide = respx.post(f"{GRAPH_URL}/{comment.external_id}").mock(
        return_value=httpx.Response(200, json={"success": True})
    )
    fb.hide(ACCOUNT, comment)
    fb.unhide(ACCOUNT, comment)
    assert [c.request.content for c in hide.calls] == [b"is_hidden=true", b"is_hidden=false"]

    delete = respx.delete(f"{GRAPH_URL}/{comment.external_id}").mock(
        return_value=httpx.Response(200, json={"success": True})
    )
    fb.remove(ACCOUNT, comment)
    assert delete.called


@respx.mock
def test_direct_message_reply_goes_through_the_send_api() -> None:
    fb = make_connector()
    [dm] = parse("messaging-message-basic.json")
    send = respx.post(f"{GRAPH_URL}/{ACCOUNT.external_id}/messages").mock(
        return_value=httpx.Response(200, json={"recipient_id": "987654321432", "message_id": "m_1"})
    )
    assert fb.reply(ACCOUNT, dm.ref(), "Tack för ditt meddelande!") == "m_1"
    assert b'"recipient":{"id":"987654321432"}' in send.calls.last.request.content.replace(
        b" ", b""
    )
    with pytest.raises(ActionNotSupported):
        fb.hide(ACCOUNT, dm.ref())


@respx.mock
def test_expired_page_token_is_reported_as_such() -> None:
    fb = make_connector()
    comment = parse("feed-comment-add-211.json")[0].ref()
    respx.post(f"{GRAPH_URL}/{comment.external_id}").mock(
        return_value=httpx.Response(
            400,
            json={
                "error": {
                    "message": "Error validating access token: Session has expired",
                    "type": "OAuthException",
                    "code": 190,
                    "error_subcode": 463,
                }
            },
        )
    )
    with pytest.raises(TokenExpired):
        fb.hide(ACCOUNT, comment)


@respx.mock
def test_poll_finds_comments_and_deleted_ids() -> None:
    fb = make_connector()
    respx.get(f"{GRAPH_URL}/{ACCOUNT.external_id}/feed").mock(
        return_value=httpx.Response(
            200,
            json={
                "data": [
                    {
                        "id": "19292868552_10158407654328553",
                        "updated_time": "2021-08-11T07:13:42+0000",
                    },
                ]
            },
        )
    )
    respx.get(f"{GRAPH_URL}/19292868552_10158407654328553/comments").mock(
        return_value=httpx.Response(200, content=fixture("facebook", "comments_p1.json"))
    )
    respx.get(f"{GRAPH_URL}/gone_1").mock(
        return_value=httpx.Response(
            400,
            json={
                "error": {
                    "message": "Unsupported get request. Object with ID 'gone_1' does not exist",
                    "type": "GraphMethodException",
                    "code": 100,
                    "error_subcode": 33,
                }
            },
        )
    )
    respx.get(f"{GRAPH_URL}/still_here").mock(
        return_value=httpx.Response(200, json={"id": "still_here"})
    )
    result = fb.poll(ACCOUNT, None, known_external_ids=["gone_1", "still_here"])
    assert len(result.items) > 0
    assert result.next_cursor == "2021-08-11T07:13:42+0000"
    assert result.deleted_external_ids == ["gone_1"]
    again = fb.poll(ACCOUNT, result.next_cursor)
    assert again.items == []
