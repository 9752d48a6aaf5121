"""The stand-in platform answers the real connectors over HTTP (a live server)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from pytest_django.live_server_helper import LiveServer

from kanalvakt.connectors.base import (
    AccountConfig,
    ActionNotSupported,
    ItemKind,
    ItemRef,
    MediaKind,
    OutgoingMedia,
    OutgoingPost,
)
from kanalvakt.connectors.http import HttpClient, RetryPolicy
from kanalvakt.connectors.registry import connector_for
from kanalvakt.demo.standin.addresses import standin_account_base_url, standin_api_base_urls
from kanalvakt.demo.standin.models import StandinEvent, StandinObject, StandinState
from kanalvakt.demo.standin.views import BANNER

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("kanalvakt.demo.tests.standin_urls"),
]

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def standin(live_server: LiveServer, settings: Any) -> str:
    settings.PLATFORM_API_BASE_URLS = standin_api_base_urls(live_server.url)
    settings.OUTBOUND_ALLOW_HOSTS = [live_server.url.split("//", 1)[1]]
    return live_server.url


def connector(platform: str):  # type: ignore[no-untyped-def]
    return connector_for(platform, HttpClient(platform=platform, retry=RetryPolicy(attempts=1)))


def state(platform: str, external_id: str) -> str:
    return StandinObject.objects.get(platform=platform, external_id=external_id).state


def test_facebook_reply_and_hide_reach_the_standin(standin: str) -> None:
    page = AccountConfig(external_id="overkalixkommun", access_token="standin")
    comment = ItemRef(external_id="demo-4711", kind=ItemKind.COMMENT)
    facebook = connector("facebook")
    new_id = facebook.reply(page, comment, "Hej! Återvinningscentralen öppnar kl. 7.")
    assert new_id.startswith("demo-4711_")
    reply = StandinObject.objects.get(platform="facebook", external_id=new_id)
    assert reply.parent_external_id == "demo-4711" and reply.text.startswith("Hej!")
    facebook.hide(page, comment)
    assert state("facebook", "demo-4711") == StandinState.HIDDEN
    facebook.unhide(page, comment)
    facebook.remove(page, comment)
    assert state("facebook", "demo-4711") == StandinState.REMOVED
    assert facebook.poll(page, None, known_external_ids=["demo-4711"]).deleted_external_ids == [
        "demo-4711"
    ]
    actions = list(StandinEvent.objects.order_by("pk").values_list("action", flat=True))
    assert actions == ["reply", "hide", "unhide", "remove"]


def test_publishing_on_every_platform_reaches_the_standin(standin: str) -> None:
    image = OutgoingMedia(
        kind=MediaKind.IMAGE,
        filename="a.png",
        content_type="image/png",
        data=PNG,
        alt_text="Älven i midnattssol",
        url=f"{standin}/static/a.png",
    )
    post = OutgoingPost(
        text="Välkommen till öppet hus! #kyrkslätt",
        idempotency_key="post-1-a",
        link="https://www.kirkkonummi.fi/",
        media=(image,),
    )
    accounts = {
        "facebook": AccountConfig(external_id="kyrkslatt", access_token="t"),
        "instagram": AccountConfig(external_id="kyrkslatt", access_token="t"),
        "x": AccountConfig(external_id="1", access_token="t", handle="kyrkslatt"),
        "mastodon": AccountConfig(
            external_id="1",
            access_token="t",
            base_url=standin_account_base_url(standin, "mastodon", "k"),
        ),
        "bluesky": AccountConfig(
            external_id="did:plc:kyrkslatt",
            access_token="t",
            base_url=standin_account_base_url(standin, "bluesky", "k"),
        ),
        "linkedin": AccountConfig(external_id="10001234", access_token="t"),
        "wordpress": AccountConfig(
            external_id="1",
            access_token="kanalvakt:pw",
            base_url=standin_account_base_url(standin, "wordpress", "blogg"),
        ),
    }
    for platform, account in accounts.items():
        result = connector(platform).publish(account, post)
        assert result.external_id, platform
        published = StandinObject.objects.filter(platform=platform, kind="post")
        assert published.count() == 1, platform
        assert "öppet hus" in published.get().text, platform
    # A retry with the same key returns the first post (Mastodon key, Bluesky record key).
    for platform in ("mastodon", "bluesky"):
        again = connector(platform).publish(accounts[platform], post)
        assert StandinObject.objects.filter(platform=platform, kind="post").count() == 1
        assert (
            again.external_id
            == StandinObject.objects.get(platform=platform, kind="post").external_id
        )


def test_replies_and_moderation_on_the_other_platforms(standin: str) -> None:
    x = AccountConfig(external_id="1", access_token="t")
    connector("x").hide(x, ItemRef(external_id="1500"))
    assert state("x", "1500") == StandinState.HIDDEN
    blog = AccountConfig(
        external_id="1",
        access_token="kanalvakt:pw",
        base_url=standin_account_base_url(standin, "wordpress", "strommtorpsbloggen"),
    )
    comment = ItemRef(external_id="412", platform_data={"post": "88"})
    wordpress = connector("wordpress")
    assert wordpress.reply(blog, comment, "Välkommen på torsdag!")
    wordpress.hide(blog, comment)
    assert state("wordpress", "412") == StandinState.HIDDEN
    wordpress.remove(blog, comment)
    assert state("wordpress", "412") == StandinState.REMOVED
    linkedin = AccountConfig(external_id="10001234", access_token="t")
    urn = "urn:li:comment:(urn:li:activity:7250000000000000001,7250000000000000101)"
    new = connector("linkedin").reply(linkedin, ItemRef(external_id=urn), "Kyllä!")
    assert new.startswith("urn:li:comment:(urn:li:activity:7250000000000000001,")
    connector("linkedin").remove(linkedin, ItemRef(external_id=urn))
    assert state("linkedin", urn) == StandinState.REMOVED
    with pytest.raises(ActionNotSupported):
        connector("linkedin").hide(linkedin, ItemRef(external_id=urn))
    sky = AccountConfig(
        external_id="did:plc:kyrkslatt",
        access_token="t",
        base_url=standin_account_base_url(standin, "bluesky", "k"),
    )
    root = "at://did:plc:kyrkslatt/app.bsky.feed.post/3abc"
    reply_uri = "at://did:plc:someone/app.bsky.feed.post/3xyz"
    ref = ItemRef(external_id=reply_uri, platform_data={"root_uri": root, "cid": "bafy"})
    connector("bluesky").hide(sky, ref)
    assert state("bluesky", reply_uri) == StandinState.HIDDEN
    connector("bluesky").unhide(sky, ref)
    assert state("bluesky", reply_uri) == StandinState.VISIBLE
    channel = AccountConfig(external_id="UCdemo", access_token="t")
    youtube = connector("youtube")
    youtube.remove(channel, ItemRef(external_id="UgxDemo1"))
    assert state("youtube", "UgxDemo1") == StandinState.REMOVED
    gone = youtube.poll(channel, None, known_external_ids=["UgxDemo1", "UgxDemo2"])
    assert gone.deleted_external_ids == ["UgxDemo1"]


def test_pages_carry_the_banner(standin: str, client: Client) -> None:
    response = client.get("/standin/")
    assert response.status_code == 200 and str(BANNER) in response.content.decode()
    assert client.get("/standin/p/facebook/ingen-sadan/").status_code == 404


def test_demo_inbox_reply_and_moderation_go_through_the_standin(
    standin: str, settings: Any
) -> None:
    """`make demo` end to end without internet: seeded accounts connected to the
    stand-in, a demo comment answered from the inbox and hidden by a moderation action."""
    from django.core.management import call_command

    from kanalvakt.demo.traffic import demo_traffic_generate
    from kanalvakt.inbox.models import InboxEntry, Item
    from kanalvakt.inbox.services import reply_send
    from kanalvakt.moderation.models import DecisionKind, PlatformStatus
    from kanalvakt.moderation.platform import carry_out
    from kanalvakt.organisations.models import User
    from kanalvakt.register.models import Account

    settings.STANDIN_ENABLED = True
    settings.SITE_URL = standin
    call_command("demo")
    demo_traffic_generate(count=6, slugs=("degerfors",), seed=4)
    item = Item.objects.filter(account__platform="facebook", by_account=False).first()
    assert item is not None
    entry = InboxEntry.objects.get(item=item)
    reply = reply_send(
        actor=User.objects.get(username="demo"), entry=entry, text="Hej! Vi tittar på det."
    )
    assert reply.state == "sent"
    sent = StandinObject.objects.get(
        platform="facebook", kind="reply", parent_external_id=item.external_id
    )
    assert sent.text.startswith("Hej! Vi tittar på det.")
    assert carry_out(item=item, kind=DecisionKind.HIDE).status == PlatformStatus.DONE
    assert state("facebook", item.external_id) == StandinState.HIDDEN
    # The stand-in shows what happened, under its banner.
    page = Client().get("/standin/").content.decode()
    assert str(BANNER) in page and "Vi tittar på det." in page
    assert item.account.url.removeprefix(standin) in page  # a link to each account's page
    # A published post appears on the account's public page (what a snapshot captures).
    from kanalvakt.inbox.connection import account_config_for

    for account in (item.account, Account.objects.get(platform="x", handle="degerforskommun")):
        config = account_config_for(account)
        assert config is not None
        post = OutgoingPost(
            text=f"Öppet hus på {account.platform}!", idempotency_key=f"p-{account.pk}"
        )
        connector(account.platform).publish(config, post)
        public = Client().get(account.url.removeprefix(standin))
        assert public.status_code == 200
        assert f"Öppet hus på {account.platform}!" in public.content.decode()


def test_a_lapsed_demo_token_gets_each_platforms_answer(standin: str) -> None:
    from kanalvakt.connectors.http import TokenExpired
    from kanalvakt.demo.standin.api import EXPIRED_TOKEN

    for platform in ("facebook", "x", "linkedin"):
        account = AccountConfig(external_id="1", access_token=EXPIRED_TOKEN)
        with pytest.raises(TokenExpired):
            connector(platform).reply(
                account,
                ItemRef(external_id="urn:li:comment:(urn:li:activity:1,2)"),
                "Hej!",
            )
    with pytest.raises(TokenExpired):
        connector("facebook").token_expires_at(
            AccountConfig(external_id="1", access_token=EXPIRED_TOKEN)
        )


def test_every_connector_can_poll_the_standin(standin: str) -> None:
    """Polling is off for the demo's connections, but a poll by hand finds nothing new."""
    for platform in (
        "facebook",
        "instagram",
        "x",
        "youtube",
        "mastodon",
        "bluesky",
        "linkedin",
        "wordpress",
    ):
        account = AccountConfig(
            external_id="did:plc:k" if platform == "bluesky" else "1",
            access_token="kanalvakt:pw" if platform == "wordpress" else "t",
            base_url=standin_account_base_url(standin, platform, "blogg"),
        )
        result = connector(platform).poll(account, None)
        assert result.items == [] and result.deleted_external_ids == [], platform
