"""The pure helpers of publishing: post text, titles, captions."""

from kanalvakt.connectors.publishing import post_text, title_of, vtt_to_srt
from kanalvakt.connectors.tests.publish_helpers import post


def test_the_link_follows_the_text_once() -> None:
    assert (
        post_text(post("Läs mer.", link="https://a.example/")) == "Läs mer.\n\nhttps://a.example/"
    )
    assert post_text(post("Läs mer på https://a.example/", link="https://a.example/")) == (
        "Läs mer på https://a.example/"
    )
    assert post_text(post("", link="https://a.example/")) == "https://a.example/"


def test_title_is_the_first_line_cut_at_a_word() -> None:
    assert title_of("\n  Nya öppettider <i jul>\nMer text") == "Nya öppettider i jul"
    long = "Biblioteket " * 12
    title = title_of(long, 40)
    assert len(title) <= 40 and title.endswith("…") and "  " not in title


def test_webvtt_becomes_subrip() -> None:
    vtt = (
        "WEBVTT\n\nNOTE made by hand\n\n"
        "intro\n01:02:03.456 --> 01:02:05.000 align:start\nHej!\nHei!\n\n"
        "00:07.000 --> 00:08.250\n<v Tiina>Tervetuloa</v> <i>kaikki</i>\n"
    )
    assert vtt_to_srt(vtt) == (
        "1\n01:02:03,456 --> 01:02:05,000\nHej!\nHei!\n\n"
        "2\n00:00:07,000 --> 00:00:08,250\nTervetuloa <i>kaikki</i>\n"
    )


def test_api_addresses_follow_the_setting(settings: object) -> None:
    from kanalvakt.connectors.endpoints import api_base, is_loopback, parse_base_urls
    from kanalvakt.connectors.facebook.client import FacebookConnector

    assert api_base("facebook") == "https://graph.facebook.com/v23.0"
    settings.PLATFORM_API_BASE_URLS = parse_base_urls(  # type: ignore[attr-defined]
        "facebook=http://127.0.0.1:8000/standin/graph/, x = http://127.0.0.1:8000/standin/x"
    )
    assert api_base("facebook") == "http://127.0.0.1:8000/standin/graph"
    assert FacebookConnector().api_base == "http://127.0.0.1:8000/standin/graph"
    assert api_base("x") == "http://127.0.0.1:8000/standin/x"
    assert api_base("youtube") == "https://www.googleapis.com"
    assert is_loopback("http://127.0.0.1:8000/standin/mastodon")
    assert not is_loopback("http://mastodon.example")
