"""Misspelt, joined and split words are read as meant; real words are never changed."""

from __future__ import annotations

import pytest

from kanalvakt.moderation.screening import ScreeningConfig, screen, spelling

CONFIG = ScreeningConfig.default(use_learned=False)


def _finding(text: str, category: str) -> str:
    """The evidence of the text's finding of `category`, as the case page highlights it."""
    result = screen(text, config=CONFIG)
    found = [f for f in result.findings if f.category == category]
    assert found, f"no {category} in {text!r}: {result}"
    assert text[found[0].start : found[0].end] == found[0].evidence
    return found[0].evidence


@pytest.mark.parametrize(
    ("text", "category", "evidence"),
    [
        # a letter swapped with its neighbour, left out, added or replaced
        ("Du borde skämmas, din hcyklare", "personal_attack", "din hcyklare"),
        ("du e en sån idoit asså", "personal_attack", "idoit"),
        ("Du är en pukco", "personal_attack", "pukco"),
        ("sä oot iha valhetelija hei", "personal_attack", "valhetelija"),
        ("Miten joku voi olla yhtä aivokoullut kuin sinä?", "personal_attack", "aivokoullut"),
        ("Hiträn sut", "threat", "Hiträn sut"),
        ("Jag ska brnäna ner ditt hus", "threat", "Jag ska brnäna ner ditt hus"),
        ("Tiedeätän missä asut Anna", "threat", "Tiedeätän missä asut"),
        # joined words
        ("Tyst dinhycklare", "personal_attack", "dinhycklare"),
        ("Tyst dinidiot", "personal_attack", "idiot"),
        ("Hävetkää senkinpässi", "personal_attack", "senkinpässi"),
        ("Jaghatarkvinnor", "hate_speech", "Jaghatarkvinnor"),
        ("Dödåtmuslimer", "hate_speech", "Dödåtmuslimer"),
        # split words
        ("Du är en id iot", "personal_attack", "id iot"),
        ("sinä olet id iootti", "personal_attack", "id iootti"),
        ("Du är en hyck lare", "personal_attack", "hyck lare"),
    ],
)
def test_misspelt_joined_and_split_words_are_found_where_written(
    text: str, category: str, evidence: str
) -> None:
    assert _finding(text, category) == evidence
    assert screen(text, config=CONFIG).action == "remove"


@pytest.mark.parametrize(
    "text",
    [
        "Det där är ett bra idiom",  # idiom is a word, not a typo of idiot
        "Hästen heter Horse och är snäll",
        "Dinosaurier är coola, tack för utställningen",
        "Duschen är trasig i simhallen",
        "Erbjudandet gäller till fredag",
        "Kiitos vastauksesta, hyvä tietää",
        "Mää en ymmärrä yhtää miks te ootte lopettamas tori, ihan hölmöö touhuu",
        "för att det är så",
    ],
)
def test_real_words_and_dialect_are_left_alone(text: str) -> None:
    assert screen(text, config=CONFIG).action != "remove"


def test_a_misspelt_negation_still_negates() -> None:
    # "ignen" is "ingen": the writer says the opposite of an insult
    assert screen("Du är ignen tönt, du har bara fel i sakfrågan", config=CONFIG).action == "none"


@pytest.mark.parametrize(
    ("word", "meant"),
    [("löganre", "lögnare"), ("psäsi", "pässi"), ("ignen", "ingen"), ("idoit", "idiot")],
)
def test_a_typo_reads_as_the_word_it_almost_is(word: str, meant: str) -> None:
    assert spelling.correct_word(word) == meant


@pytest.mark.parametrize("word", ["idiom", "horse", "kommunen", "hälsningar", "bdgqv"])
def test_a_known_or_faraway_word_is_never_changed(word: str) -> None:
    assert spelling.correct_word(word) == ""
