"""The draft checker on its own: pure functions over a draft and a pack."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from django.conf import settings

from kanalvakt.policies.pack import Pack
from kanalvakt.publishing.checker import AccountInfo, Draft, MediaInfo, Severity, check
from kanalvakt.publishing.checker.limits import graphemes, x_length
from kanalvakt.publishing.checker.readability import finnish_index, lix, syllables_fi
from kanalvakt.publishing.tests.conftest import GOOD_TEXT


def pack(name: str) -> Pack:
    return Pack(yaml.safe_load((Path(settings.POLICY_PACK_DIR) / f"{name}.yaml").read_text()))


FB = AccountInfo(label="Facebook kirkkonummenkunta", platform="facebook", main=True)
X = AccountInfo(label="X kirkkonummi", platform="x", main=True)


def codes(draft: Draft, name: str) -> set[str]:
    return {finding.code for finding in check(draft, pack(name)).findings}


def test_a_swedish_only_kyrkslatt_post_with_an_id_number_and_a_bare_image_is_stopped() -> None:
    draft = Draft(
        text="Välkommen till biblioteket på lördag! Frågor: ring 131052-308T.",
        media=(MediaInfo(kind="image", name="bild.jpg"),),
        accounts=(FB, X),
    )
    report = check(draft, pack("kyrkslatt"))
    blocking = {finding.code for finding in report.blocking}
    assert {"languages_required", "hashtags", "personal_id_number", "alt_text"} <= blocking
    assert not report.ok
    language = next(f for f in report.findings if f.code == "languages_required")
    assert language.clause.file == "003_c812241455402087.txt"
    assert "tvåspråkig" in language.clause.quote
    assert "finska" in language.message and language.fix


def test_the_fixed_post_passes() -> None:
    draft = Draft(
        text=GOOD_TEXT,
        media=(
            MediaInfo(
                kind="image",
                name="bild.jpg",
                alt_text="Barn läser",
                rights_confirmed=True,
                rights_holder="Kommunen",
            ),
        ),
        accounts=(FB, X),
    )
    report = check(draft, pack("kyrkslatt"))
    assert report.ok, [finding.message for finding in report.blocking]


def test_on_x_the_other_language_may_be_its_own_post_but_not_on_facebook() -> None:
    text = "Biblioteket har öppet hus på lördag. #kirkkonummi #kyrkslätt #yhdessätillsammans"
    draft = Draft(text=text, accounts=(FB, X), other_language_separately=True)
    missing = [
        f.account
        for f in check(draft, pack("kyrkslatt")).findings
        if f.code == "languages_required"
    ]
    assert missing == [FB.label]


def test_a_silent_pack_checks_nothing_and_says_so() -> None:
    draft = Draft(text="Ni får ringa 811218-9876. Rösta på Moderaterna!", accounts=(FB,))
    report = check(draft, pack("exempel"))
    assert "address_du" not in {f.code for f in report.findings}
    assert "publishing.address_du" in {rule.path for rule in report.silent}
    assert "publishing.political_neutrality" in {rule.path for rule in report.silent}


def test_du_not_ni_where_the_pack_asks() -> None:
    draft = Draft(text="Ni som bor i Överkalix kan hämta era kärl på torsdag.")
    findings = [f for f in check(draft, pack("overkalix")).findings if f.code == "address_du"]
    assert findings and findings[0].severity == Severity.REVIEW
    assert draft.text[findings[0].start : findings[0].end] == "Ni"


def test_link_to_the_packs_own_domain() -> None:
    without = Draft(text="Läs mer på vår sida.")
    with_link = Draft(text="Läs mer på https://www.overkalix.se/nyheter/1.")
    assert "website_link" in codes(without, "overkalix")
    assert "website_link" not in codes(with_link, "overkalix")


def test_children_and_adults_need_recorded_consent_in_overkalix() -> None:
    children = Draft(text="Förskolan firar.", people="children")
    assert "children_consent" in codes(children, "overkalix")
    assert "children_consent" not in codes(
        Draft(text="Förskolan firar.", people="children", consent_recorded=True), "overkalix"
    )
    assert "adults_consent" in codes(Draft(text="Personalen firar.", people="adults"), "overkalix")
    # Skellefteå Kraft's guideline says nothing about consent.
    assert "children_consent" not in codes(children, "skelleftea-kraft")


def test_party_names_and_voting_advice_are_flagged_where_neutrality_is_asked() -> None:
    draft = Draft(text="Rösta på Socialdemokraterna i valet!")
    found = codes(draft, "skelleftea-kraft")
    assert {"neutrality_vote", "neutrality_party"} <= found
    assert "neutrality_party" not in codes(draft, "overkalix")


def test_secret_looking_content_and_private_contact_details() -> None:
    draft = Draft(text="Här är det sekretessbelagda protokollet. Mejla anna.privat@gmail.com.")
    found = codes(draft, "overkalix")
    assert "secret_information" in found and "private_email" in found
    own = Draft(text="Mejla kommun@overkalix.se.")
    assert "private_email" not in codes(own, "overkalix")


def test_image_rights_video_captions_and_alt_text() -> None:
    draft = Draft(
        text="Se filmen.",
        media=(
            MediaInfo(kind="image", name="a.jpg", alt_text="Ett torg"),
            MediaInfo(kind="video", name="film.mp4"),
        ),
    )
    assert "image_rights" in codes(draft, "overkalix")
    assert "video_captions" in codes(draft, "kyrkslatt")
    captioned = Draft(
        text="Se filmen.", media=(MediaInfo(kind="video", name="f", has_captions=True),)
    )
    assert "video_captions" not in codes(captioned, "kyrkslatt")


def test_signature_where_the_pack_asks_for_one() -> None:
    draft = Draft(text="Hej!", organisation="Exempelkommunen", writer="Sara Holm")
    assert "signature" in codes(draft, "exempel")
    form = pack("exempel").value("publishing.signature")["format"]
    signature = (
        form.replace("{name}", "Sara Holm")
        .replace("{organisation}", "Exempelkommunen")
        .replace("{role}", "publicist")
    )
    signed = Draft(text=f"Hej!\n{signature}", organisation="Exempelkommunen", writer="Sara Holm")
    assert "signature" not in codes(signed, "exempel")


@pytest.mark.parametrize(
    ("platform", "size", "stopped"),
    [
        ("x", 280, False),
        ("x", 281, True),
        ("bluesky", 300, False),
        ("bluesky", 301, True),
        ("mastodon", 501, True),
        ("linkedin", 3000, False),
        ("linkedin", 3001, True),
        ("facebook", 63206, False),
        ("facebook", 63207, True),
    ],
)
def test_platform_limits(platform: str, size: int, stopped: bool) -> None:
    draft = Draft(text="a" * size, accounts=(AccountInfo(label=platform, platform=platform),))
    assert ("platform_length" in {f.code for f in check(draft, None).findings}) is stopped


def test_instagram_allows_thirty_hashtags() -> None:
    account = AccountInfo(label="ig", platform="instagram")
    image = (MediaInfo(kind="image", name="a", alt_text="x"),)
    tags = " ".join(f"#tag{n}" for n in range(31))
    assert "platform_hashtags" in {
        f.code for f in check(Draft(text=tags, media=image, accounts=(account,)), None).findings
    }
    tags = " ".join(f"#tag{n}" for n in range(30))
    assert "platform_hashtags" not in {
        f.code for f in check(Draft(text=tags, media=image, accounts=(account,)), None).findings
    }


def test_x_weighs_urls_and_emoji_and_bluesky_counts_graphemes() -> None:
    assert x_length("hej https://www.kirkkonummi.fi/a/very/long/path/indeed/yes") == 4 + 23
    assert x_length("👍🏽") == 2
    assert graphemes("🇸🇪👨‍👩‍👧e\u0301") == 3


def test_lix_and_the_finnish_index() -> None:
    easy = "Vi har öppet i dag. Du är välkommen. Kom hit."
    hard = (
        "Kommunfullmäktigesammanträdets protokollsjusteringsförfarande "
        "genomfördes enligt förvaltningsdomstolens rekommendationer."
    )
    assert (lix(easy) or 0) < 20 < (lix(hard) or 0)
    assert (
        syllables_fi("kirjasto") == 3
        and syllables_fi("tervetuloa") == 5
        and syllables_fi("auto") == 2
    )
    assert (finnish_index("Tule kylään. Me olemme täällä.") or 0) < (
        finnish_index("Kunnanvaltuuston kokouspöytäkirjan tarkastusmenettely toteutettiin.") or 0
    )


def test_replies_get_only_the_reply_rules() -> None:
    draft = Draft(text="Ni kan ringa 811218-9876.", reply=True)
    found = codes(draft, "overkalix")
    assert {"address_du", "personal_id_number"} <= found
    assert "website_link" not in found and "hashtags" not in codes(draft, "kyrkslatt")


def test_unfriendly_tone_is_flagged_where_the_pack_asks_for_a_friendly_one() -> None:
    draft = Draft(text="Ja, visst. DET HÄR ÄR FEL!!! Du är en idiot 🙄", reply=True)
    found = [f.code for f in check(draft, pack("degerfors")).findings if f.code.startswith("tone")]
    assert sorted(set(found)) == ["tone_insult", "tone_sarcasm", "tone_shouting"]
    assert found.count("tone_insult") == 1
    assert not [f for f in check(draft, pack("overkalix")).findings if f.code.startswith("tone")]
    polite = Draft(text="Tack för din fråga! Vi återkommer i morgon. Läs mer hos SMHI.", reply=True)
    assert not [f for f in check(polite, pack("degerfors")).findings if f.code.startswith("tone")]


def test_kyrkslatt_suggests_the_main_account_and_facebook_for_web_news() -> None:
    library = AccountInfo(label="Facebook kirkkonummenkirjasto", platform="facebook")
    only_unit = Draft(text=GOOD_TEXT, accounts=(library,))
    advice = [
        f
        for f in check(only_unit, pack("kyrkslatt")).findings
        if f.code == "cross_post_main_account"
    ]
    assert advice and advice[0].severity == Severity.ADVICE and "5.1" in advice[0].clause.section
    assert "cross_post_main_account" not in codes(
        Draft(text=GOOD_TEXT, accounts=(library, FB)), "kyrkslatt"
    )
    news_on_x = Draft(text=GOOD_TEXT, accounts=(X,), web_news=True)
    assert {"web_news_facebook", "web_news_pin"} <= codes(news_on_x, "kyrkslatt")
    assert "web_news_facebook" not in codes(
        Draft(text=GOOD_TEXT, accounts=(FB,), web_news=True), "kyrkslatt"
    )
    assert "web_news_facebook" not in codes(news_on_x, "overkalix")


def test_a_signature_placeholder_the_checker_cannot_fill_matches_what_the_writer_wrote() -> None:
    from kanalvakt.publishing.checker.rules import fill_signature, signature_pattern

    filled = fill_signature("{name}, {role}, {organisation}", "Exempelkommunen", "Sara Holm")
    assert signature_pattern(filled).search("Hej!\nSara Holm, publicist, Exempelkommunen")
    assert not signature_pattern(filled).search("Hej!\nExempelkommunen")


def test_findings_speak_the_readers_language() -> None:
    from django.utils import translation

    draft = Draft(text="Biblioteket har öppet i dag.", accounts=(FB,))
    with translation.override("fi"):
        messages = {f.code: f.message for f in check(draft, pack("kyrkslatt")).findings}
    assert messages["hashtags"].startswith("Aihetunnisteita puuttuu")
    assert (
        "suomi" in messages["languages_required"]
        or "Tekstistä puuttuu" in messages["languages_required"]
    )
