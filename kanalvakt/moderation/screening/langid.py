"""Offline language identification for sv, fi, en and other.

A small, explainable model: each language has a list of function words
(written for this project) and a few spelling cues (å for Swedish, doubled
vowels and case endings for Finnish, "th" and -ing for English). Danish and
Norwegian have their own list so that they land in `other` rather than in
Swedish. A text without enough evidence for any language is `other`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Literal

from kanalvakt.moderation.screening.normalise import Token

Language = Literal["sv", "fi", "en", "other"]

_STOPWORDS: dict[str, frozenset[str]] = {
    "sv": frozenset(
        """och i att det som en på är av för med till den har de inte om ett han men var jag
        sig från vi så kan man när år hon under också efter eller nu sin där vid mot ska
        skulle kommer ut får finns vara då hade alla andra mycket än här detta blir bara hur
        du dig din ditt ni vad varför inget nej ja tack hej mig mitt min oss vår vårt våra
        deras dem sina blev varit honom henne sedan igen aldrig något någon några måste borde
        helt fel bra dåligt kommunen kommun även ingen inga hos utan mellan över vill skall
        tycker tror jättebra dom sen också""".split()
    ),
    "fi": frozenset(
        """ja on ei se että olla oli en hän mutta kun niin kuin myös jo tai ovat sen mitä tämä
        tää sitä siitä minä mä sinä sä me te he ne nyt vain vielä sitten miksi miten missä
        mikä kaikki koska jos kunta kunnan kiitos hei joo kyllä eikä ole olen olet ollut
        tässä tuo tuon meidän teidän heidän niitä siis aina koskaan pitäisi täytyy hyvä
        huono paljon todella sinut sut mua sua teitä meille teille mun sun tätä täällä
        siellä voi voisi pitää onko eli""".split()
    ),
    "en": frozenset(
        """the and is are was were to of in that it for on with as you your this be have has
        not but they at by from or an will would can what which who we our there their if so
        do does did no yes about just like all my me he she his her them than then also
        thanks please should could why how where when here very""".split()
    ),
    # Danish and Norwegian, so that they are recognised as neither sv nor fi.
    "other": frozenset(
        """og ikke jeg er af nej mig hvordan derfor noget selv hvad hvor hvorfor være meget
        også vil skal dette blive jer hun
        ingen tak os vores jo nok ud op sgu bare nogle noget kun mere efter hvis fordi
        eller ikkje ein eit kva korleis det at en til som på med den har de var vi kan man så
        om et men han sig fra nu alle andre her der da""".split()
    ),
}

_CUES: dict[str, tuple[re.Pattern[str], float]] = {
    "sv": (re.compile(r"å|(?:arna|erna|orna|ning|heten|andet|skt)$"), 0.5),
    "fi": (
        re.compile(
            r"(?:aa|ää|ee|ii|oo|uu|yy|öö|y[^ ]*ä|ä[^ ]*y)|"
            r"(?:ssa|ssä|sta|stä|lla|llä|lta|ltä|ksi|nen|ista|istä|ssani|lle)$"
        ),
        0.5,
    ),
    "en": (re.compile(r"th|w|(?:ing|tion|ly)$"), 0.3),
    "other": (re.compile(r"[æø]|(?:ede|else|hed|lig|ige)$"), 1.0),
}

_LANGUAGES: tuple[Language, ...] = ("sv", "fi", "en", "other")


# _CUES without regular expressions, for a word without spaces or line breaks:
# the same answers (the last group of each is anchored at the end, so endswith)
_ENDS = {
    "sv": ("arna", "erna", "orna", "ning", "heten", "andet", "skt"),
    "fi": ("ssa", "ssä", "sta", "stä", "lla", "llä", "lta", "ltä", "ksi", "nen", "ista", "istä")
    + ("ssani", "lle"),
    "en": ("ing", "tion", "ly"),
    "other": ("ede", "else", "hed", "lig", "ige"),
}
_FI_PAIRS = ("aa", "ää", "ee", "ii", "oo", "uu", "yy", "öö")


def _cue(language: str, word: str) -> bool:
    """`_CUES[language]` found in `word`, a word without spaces or line breaks."""
    if word.endswith(_ENDS[language]):
        return True
    if language == "sv":
        return "å" in word
    if language == "fi":
        # y…ä or ä…y with no space between: in a word, both letters anywhere
        return any(pair in word for pair in _FI_PAIRS) or ("y" in word and "ä" in word)
    if language == "en":
        return "th" in word or "w" in word
    return "æ" in word or "ø" in word


@lru_cache(maxsize=100_000)
def _word_scores(word: str) -> tuple[float, ...]:
    """What one word says for each language (cached: words repeat)."""
    plain = " " not in word and "\n" not in word
    out = []
    for language in _LANGUAGES:
        score = 1.0 if word in _STOPWORDS[language] else 0.0
        pattern, weight = _CUES[language]
        if _cue(language, word) if plain else pattern.search(word):
            score += weight
        out.append(score)
    return tuple(out)


_SCORES: dict[str, tuple[float, ...]] = {}


def scores(tokens: Sequence[Token]) -> dict[str, float]:
    """Evidence per language: function words weigh 1, spelling cues less."""
    if len(_SCORES) > 100_000:
        _SCORES.clear()
    cache = _SCORES
    sv = fi = en = other = 0.0  # the order of _LANGUAGES
    for token in tokens:
        word = cache.get(token.form)
        if word is None:
            word = cache[token.form] = _word_scores.__wrapped__(token.form)  # this dict caches
        sv += word[0]
        fi += word[1]
        en += word[2]
        other += word[3]
    return {"sv": sv, "fi": fi, "en": en, "other": other}


def identify(tokens: Sequence[Token]) -> Language:
    """The language of a text; `other` when the evidence is thin or foreign."""
    totals = scores(tokens)
    best = max(_LANGUAGES, key=lambda language: (totals[language], -_LANGUAGES.index(language)))
    if totals[best] < 1.0:
        return "other"
    return best
