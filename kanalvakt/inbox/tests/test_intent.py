"""The intent classifier in Swedish, Finnish and English, with the words that decided it."""

from __future__ import annotations

import pytest

from kanalvakt.inbox.intent import Classification, Intent, classify


@pytest.mark.parametrize(
    ("text", "intent", "word"),
    [
        ("Hej! När öppnar återvinningscentralen efter helgen?", Intent.QUESTION, "när"),
        ("Milloin kirjasto avautuu taas?", Intent.QUESTION, "milloin"),
        ("Where can I renew my parking permit?", Intent.QUESTION, "where"),
        (
            "Varför har ni inte plogat Storgatan? Bussen kom inte fram.",
            Intent.FACTUAL_CRITICISM,
            "inte plogat",
        ),
        (
            "Katuvalo ei toimi Kirkkotiellä, odottanut jo viikon.",
            Intent.FACTUAL_CRITICISM,
            "ei toimi",
        ),
        ("Värdelös kommun, alltid lika inkompetenta.", Intent.UNFAIR_CRITICISM, "värdelös"),
        ("Surkea palvelu. Hyödytön kunta.", Intent.UNFAIR_CRITICISM, "hyödytön"),
        ("Tack för en fantastisk dag i parken!", Intent.PRAISE, "tack"),
        ("Kiitos hienosta tapahtumasta!", Intent.PRAISE, "kiitos"),
        ("Ni jävla idioter förstör allt.", Intent.HATEFUL_NEGATIVE, "jävla"),
        ("Vittu mitä ääliöitä", Intent.HATEFUL_NEGATIVE, "vittu"),
        ("Haha typiskt, värdelös snöröjning igen 😂", Intent.JOKING_NEGATIVE, "haha"),
        ("Jag har hört att simhallen stänger för gott.", Intent.MISINFORMATION, "har hört att"),
        ("Kuulin että koulu lakkautetaan.", Intent.MISINFORMATION, "kuulin että"),
    ],
)
def test_intent_and_why(text: str, intent: Intent, word: str) -> None:
    result = classify(text)
    assert result.intent == intent
    assert word in result.words
    assert word in result.explanation()


def test_nothing_to_go_on_is_other() -> None:
    result = classify("Storgatan 5")
    assert result.intent == Intent.OTHER
    assert result.words == []


def test_a_joke_alone_is_not_negative() -> None:
    assert classify("Haha vilken fin bild, tack!").intent == Intent.PRAISE


def _cue_by_cue(text: str) -> Classification:
    """The classifier read plainly: every cue tested against the text, one after another."""
    import re

    from kanalvakt.inbox.intent import CUES, decide

    lowered = text.lower()
    tokens = re.findall(r"[\w']+|[😂🤣]", lowered)
    found: list[tuple[Intent, int, list[str]]] = []
    for intent, cues in CUES.items():
        for cue, weight in cues:
            if cue.endswith("*"):
                words = [token for token in tokens if token.startswith(cue[:-1])]
            elif " " in cue or not cue.isalnum():
                phrase = re.compile(r"(?<!\w)" + re.escape(cue) + r"(?!\w)")
                words = [cue] if phrase.search(lowered) else []
            else:
                words = [cue] if cue in tokens else []
            if words:
                found.append((intent, weight, words))
    return decide(text, found)


def test_the_fast_reading_finds_what_testing_every_cue_finds() -> None:
    """`classify` skips cues whose letters are not in the text; it must not miss one."""
    import random

    from kanalvakt.inbox.intent import CUES

    cues = [cue for group in CUES.values() for cue, _weight in group]
    extra = ["Hej", "KOMMUNEN", "?", "!", "hurra", "xhur", "när?", "😂😂", "Rykten:", "don't"]
    rng = random.Random(12)
    for _ in range(3000):
        words = rng.sample(cues, rng.randint(0, 6)) + rng.sample(extra, 3)
        rng.shuffle(words)
        text = " ".join(word.replace("*", rng.choice(["", "a", "en", "'s"])) for word in words)
        assert classify(text) == _cue_by_cue(text), text
