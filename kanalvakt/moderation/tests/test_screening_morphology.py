"""Screening v2: Finnish by Voikko, Swedish lemmas, the frequency guard (issue 8)."""

import pytest

from kanalvakt.moderation.screening import ScreeningConfig, masked, screen
from kanalvakt.moderation.screening.morphology import fi_analyses, more_common_elsewhere

RULES = ScreeningConfig.default(use_learned=False)


@pytest.mark.parametrize(
    "text",
    [
        "Kuka tietää milloin uimahalli aukeaa?",  # kuka is not the Swedish kuk
        "Haluaisin kuulla lisää tästä hankkeesta",  # kuulla is not kulli
        "Mikä on bussilipun hinta nykyään?",  # hinta is not hintti
        "He ovat saattaneet unohtaa koko asian",  # saattaneet is not saatana
        "Kys. milloin jäteauto tulee meidän kadulle?",  # kys. is kysymys
        "Kukaan ei vastaa puhelimeen kunnan virastossa",
        "Ring växeln på 0926-750 00 så kopplar de dig rätt",  # a switchboard
        "Kunnan vaihde 09 310 1111 palvelee arkisin kello 8-16",
        "Läs mer på https://www.overkalix.se/avfall, där kan du beställa ett nytt kärl gratis",
        "Lisätietoa löytyy osoitteesta https://www.hel.fi/kirjasto, tilaa uutiskirje",
    ],
)
def test_ordinary_words_links_and_switchboards_are_not_flagged(text: str) -> None:
    result = screen(text, config=RULES)
    assert result.findings == [], [(f.category, f.evidence) for f in result.findings]


@pytest.mark.parametrize(
    ("text", "evidence", "category"),
    [
        ("olet yksi spermaviemäri", "spermaviemäri", "personal_attack"),
        ("Kuntaidiootit taas asialla", "Kuntaidiootit", "personal_attack"),
        ("ja idiooteille ei kannata vastata", "idiooteille", "personal_attack"),
        ("senkin p*ska", "senkin p*ska", "personal_attack"),
        ("Olet i**ootti Mikko", "i**ootti", "personal_attack"),
        ("idioterna i nämnden", "idioterna", "personal_attack"),
    ],
)
def test_finnish_compounds_inflections_and_masks_are_found(
    text: str, evidence: str, category: str
) -> None:
    findings = {(f.evidence, f.category) for f in screen(text, config=RULES).findings}
    assert (evidence, category) in findings


@pytest.mark.parametrize(
    ("text", "word"),
    [("p***a päätös", "paska"), ("ihan v..tun huono", "vitun"), ("j*vla", "jävla")],
)
def test_masked_swearing_is_recovered(text: str, word: str) -> None:
    assert [hit.word for hit in masked.find(text)] == [word]


def test_mild_swearing_alone_is_how_people_stress_criticism_and_is_not_reported() -> None:
    for text in ("prkl taas myöhässä", "Ihan vitun huono päätös taas", "p***a päätös"):
        assert screen(text, config=RULES).findings == []


def test_voikko_splits_compounds_and_knows_the_pronoun() -> None:
    assert fi_analyses("spermaviemäri")[0].parts == ("sperma", "viemäri")
    assert fi_analyses("kuka")[0].baseform == "kuka"
    assert fi_analyses("suvakki") == ()  # slang: the stems and the frequency guard decide


def test_a_word_more_common_in_the_texts_language_is_that_languages_word() -> None:
    assert more_common_elsewhere("kys", "en", "fi")
    assert not more_common_elsewhere("fuck", "en", "sv")


def test_a_personal_phone_number_is_still_personal_data() -> None:
    findings = screen("Ring mig på 070-123 45 67 ikväll", config=RULES).findings
    assert [f.category for f in findings] == ["personal_data"]


def test_a_swedish_number_with_a_wrong_check_digit_is_no_henkilotunnus_in_swedish() -> None:
    from pathlib import Path

    from stdnum.fi import hetu

    numbers = (Path(__file__).parent / "fixtures" / "personnummer.txt").read_text().split()
    lookalikes = []
    for number in numbers:
        short, serial = number[2:8], number[8:]
        broken = f"{short}-{serial[:-1]}{(int(serial[-1]) + 1) % 10}"
        if hetu.is_valid(broken):
            lookalikes.append(broken)
    assert lookalikes, "the fixture should hold such a number"
    for broken in lookalikes:
        text = f"Kan ni kolla ärendet för {broken} tack"
        assert not [f for f in screen(text, config=RULES).findings if f.detector == "henkilotunnus"]
    finnish = f"Hänen henkilötunnuksensa on {lookalikes[0]}"
    assert [f.detector for f in screen(finnish, config=RULES).findings] == ["henkilotunnus"]


@pytest.mark.parametrize("language", ["sv", "fi", "en", "da", "nb"])
def test_the_frequency_guard_reads_wordfreqs_own_figures(language: str) -> None:
    """The guard reads wordfreq's list itself (start-up): the figure zipf_frequency gives.

    A word under MIN_ZIPF reads as 0, as an unknown word does; every caller
    compares with 1.5 or more, so that answers the same.
    """
    import math

    from wordfreq import get_frequency_dict, zipf_frequency

    from kanalvakt.moderation.screening import morphology

    listed = get_frequency_dict(language, wordlist="best")
    words = [word for word in listed if word.isalpha() and word.islower()]
    sample = words[::97] + [word for word in words if 1.4 <= math.log10(listed[word]) + 9 <= 1.6]
    assert len(sample) > 300
    for word in sample[::3]:  # the library's own answer, through its tokeniser
        expected = zipf_frequency(word, language)
        assert morphology.zipf(word, language) == (expected if expected >= 1.5 else 0.0), word
    figures = morphology._figures(language)
    for word in sample:
        expected = round(math.log10(listed[word]) + 9, 2)
        assert figures.get(word, 0.0) == (expected if expected >= 1.5 else 0.0), word
    assert morphology.zipf("qxzvbnmkjh", language) == 0.0


def test_wordfreqs_own_reader_stands_in_when_its_files_look_otherwise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import math

    from kanalvakt.moderation.screening import morphology

    fast = {word: morphology._figures("da")[word] for word in ("og", "hund", "skib")}

    def missing(language: str) -> None:
        raise LookupError(language)

    monkeypatch.setattr(morphology, "_wordlist", missing)
    slow = dict(zip(fast, [0.0] * 3, strict=True))
    for index, band in enumerate(morphology._bands("da")):
        for word in fast:
            if word in band:
                slow[word] = round(math.log10(10 ** (-index / 100)) + 9, 2)
    assert slow == fast and all(figure >= 1.5 for figure in fast.values())


@pytest.mark.parametrize(
    "word",
    ["idiot", "kuka", "horse", "hej", "bdgqz", "Hej", "e-post", "kissa2", "världen", ""],
)
def test_the_highest_figure_of_several_languages_is_each_languages_figure_at_most(
    word: str,
) -> None:
    from kanalvakt.moderation.screening.morphology import top_zipf, zipf

    for languages in (("sv", "fi", "en"), ("sv", "fi", "en", "da", "nb"), ("fi",)):
        assert top_zipf(word, languages) == max(zipf(word, language) for language in languages)
