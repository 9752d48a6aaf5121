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
