"""The field's language tools behind the lexicons: Voikko, simplemma and wordfreq.

* **Voikko** (Debian `libvoikko1` + `voikko-fi`, Python `libvoikko`) analyses a
  Finnish word: its base forms and, for a compound, its parts. "kuka" is the
  pronoun, not the Swedish "kuk"; "kuulla" is kuulla/kuu, not "kulli";
  "spermaviemäri" is sperma + viemäri.
* **simplemma** gives the Swedish lemma: "idioterna" → idiot, "hörn" → hörn.
* **wordfreq** is the frequency guard: a common word of the text's language is
  never a fuzzy (stem or compound) match for an obscene stem.

Every answer is cached per word; the libraries load lazily on first use, so a
process that never meets a doubtful word never pays for loading them.
"""

from __future__ import annotations

import importlib.util
import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from kanalvakt.moderation.screening import frequencies, voikkotable

LANGUAGES = ("sv", "fi", "en")
# A foreign list's word that is at least this common in the text's language is
# that language's word ("kys", kysymys, 3.5 in Finnish; 2.6 in English).
KNOWN_ZIPF = 3.0
# zipf 4.0 = once in 100,000 words: "hörn", "kuulla", "hinta" are far above it.
COMMON_ZIPF = 4.0
_WORDBASE = re.compile(r"\+([^+()]+)\(([^()]*)\)")


@dataclass(frozen=True)
class Analysis:
    """One reading of a Finnish word by Voikko."""

    baseform: str
    word_class: str  # nimisana, teonsana, asemosana, etunimi, …
    parts: tuple[str, ...]  # base forms of the compound's parts; one for a simple word
    person: str = ""  # verbs: 1, 2, 3 or 4 (passive)
    mood: str = ""  # indicative, conditional, imperative, A-infinitive, …
    negative: str = ""  # false | true | both
    possessive: str = ""  # 1s, 2s, 2p, 3 …: talosi is "your house"
    case: str = ""  # SIJAMUOTO: nimento, kohdanto, osanto, …
    tense: str = ""  # verbs: present_simple | past_imperfective


@cache
def _voikko() -> Any:
    import libvoikko

    return libvoikko.Voikko("fi")


@lru_cache(maxsize=65536)
def fi_analyses(word: str) -> tuple[Analysis, ...]:
    """Voikko's readings of a lower-case Finnish word; () for a word it does not know.

    A common word's readings come from the start-up cache (`voikkotable.py`).
    """
    if not word or len(word) > 60:
        return ()
    stored = voikkotable.table(_voikko_analyses)(word)
    return _voikko_analyses(word) if stored is None else stored


def _voikko_analyses(word: str) -> tuple[Analysis, ...]:
    """What Voikko itself reads in `word`."""
    out = []
    for raw in _voikko().analyze(word):
        parts = tuple(base for surface, base in _WORDBASE.findall(raw.get("WORDBASES", "")) if base)
        out.append(
            Analysis(
                baseform=str(raw.get("BASEFORM", word)).lower(),
                word_class=str(raw.get("CLASS", "")),
                parts=parts or (str(raw.get("BASEFORM", word)).lower(),),
                person=str(raw.get("PERSON") or ""),
                mood=str(raw.get("MOOD") or ""),
                negative=str(raw.get("NEGATIVE") or ""),
                possessive=str(raw.get("POSSESSIVE") or ""),
                case=str(raw.get("SIJAMUOTO") or ""),
                tense=str(raw.get("TENSE") or ""),
            )
        )
    return tuple(out)


def fi_known(word: str) -> bool:
    return bool(fi_analyses(word))


# The lowest Zipf figure any caller compares with (a word of some language,
# heads.KNOWN_ZIPF); a rarer word reads as 0, as an unknown one does. Every caller
# asks `zipf(...) >= t` with t >= 1.5, or (more_common_elsewhere) whether a figure
# of at least 3.0 beats another: both answer the same for 0 as for the true figure.
MIN_ZIPF = 1.5
# The languages whose figures the guards read, in one table (frequencies.py): the
# frequency guard's five and those of `more_common_elsewhere`.
TABLED = ("sv", "fi", "en", "da", "nb")
_POSITIONS = {language: position for position, language in enumerate(TABLED)}
_LANGUAGE_POSITIONS: dict[tuple[str, ...], tuple[int, ...] | None] = {}


def _wordlist(language: str) -> Path:
    """The file of wordfreq's "best" list for `language`: its large list, else its small one.

    Found without importing wordfreq (its tokenisers and language codes cost
    0.2 s of start-up); `test_screening_morphology` checks it reads the same
    bands as `wordfreq.get_frequency_list(language, "best")`.
    """
    spec = importlib.util.find_spec("wordfreq")
    if spec is None or not spec.submodule_search_locations:
        raise LookupError("wordfreq is not installed")
    folder = Path(next(iter(spec.submodule_search_locations))) / "data"
    for size in ("large", "small"):
        path = folder / f"{size}_{language}.msgpack.gz"
        if path.exists():
            return path
    raise LookupError(f"wordfreq has no word list for {language!r}")


def _bands(language: str) -> Iterator[list[str]]:
    """wordfreq's bands of words for `language`, most frequent first (stop when you like).

    wordfreq's cBpack (a header, then one band of words per centibel) read
    band by band, so a caller that stops early never decodes the rest. If
    wordfreq's files look otherwise than this expects, wordfreq reads them.
    """
    import gzip

    import msgpack

    try:
        path = _wordlist(language)
    except LookupError:
        path = None
    if path is not None:
        with gzip.open(path, "rb") as handle:
            unpacker = msgpack.Unpacker(handle, raw=False)
            count = unpacker.read_array_header() - 1
            header = unpacker.unpack()
            if isinstance(header, dict) and (header.get("format"), header.get("version")) == (
                "cB",
                1,
            ):
                for _ in range(count):
                    yield unpacker.unpack()
                return
    from wordfreq import get_frequency_list

    yield from get_frequency_list(language, wordlist="best")


def _band_figure(index: int) -> float:
    """The Zipf figure of wordfreq's band `index`, as `zipf_frequency` computes and rounds it."""
    # wordfreq: frequency = cB_to_freq(-index) = 10 ** (-index / 100)
    return round(math.log10(10 ** (-index / 100)) + 9, 2)


@cache
def _figures(language: str) -> dict[str, float]:
    """wordfreq's word list for `language`: each word's Zipf figure down to MIN_ZIPF.

    Stops at the first band under MIN_ZIPF, so the rarer half of the list is
    never decoded. A band's figure is computed once for all its words.
    """
    figures: dict[str, float] = {}
    for index, band in enumerate(_bands(language)):
        figure = _band_figure(index)
        if figure < MIN_ZIPF:
            break  # the bands run from the most to the least frequent
        figures.update(dict.fromkeys(band, figure))
    return figures


@lru_cache(maxsize=65536)
def zipf(word: str, language: str) -> float:
    """wordfreq's Zipf frequency of `word` in `language`; 0 for a word under MIN_ZIPF.

    A plain lower-case word is one token as wordfreq reads it: its figure is
    looked up in the word list directly, the same figure as `zipf_frequency`
    gives, without the tokeniser's cost of about 35 µs.
    """
    if word.isalpha() and word.islower():
        position = _POSITIONS.get(language)
        if position is not None:
            return _row(word)[position]
        return _figures(language).get(word, 0.0)
    from wordfreq import zipf_frequency

    figure = float(zipf_frequency(word, language))
    return figure if figure >= MIN_ZIPF else 0.0


@lru_cache(maxsize=131072)
def _row(word: str) -> tuple[float, ...]:
    """A plain lower-case word's figures in each of TABLED (0 where it is under MIN_ZIPF)."""
    return frequencies.table().row(word)


def _positions(languages: tuple[str, ...]) -> tuple[int, ...] | None:
    """Where `languages` stand in a row of TABLED; None when one of them is not there."""
    found = _LANGUAGE_POSITIONS.get(languages)
    if found is None and languages not in _LANGUAGE_POSITIONS:
        found = _LANGUAGE_POSITIONS[languages] = (
            tuple(_POSITIONS[language] for language in languages)
            if all(language in _POSITIONS for language in languages)
            else None
        )
    return found


def top_zipf(word: str, languages: tuple[str, ...]) -> float:
    """The highest `zipf(word, language)` of `languages` (one test of the word, one look-up).

    `any(zipf(word, language) >= t for language in languages)` is
    `top_zipf(word, languages) >= t`; a never-seen word costs one look-up of
    its row of figures instead of one call of `zipf` per language.
    """
    if word.isalpha() and word.islower():
        positions = _positions(languages)
        if positions is not None:
            row = _row(word)
            top = 0.0
            for position in positions:
                figure = row[position]
                if figure > top:
                    top = figure
            return top
    return max(zipf(word, language) for language in languages)


def common(word: str, language: str) -> bool:
    return language in ("sv", "fi", "en") and zipf(word, language) >= COMMON_ZIPF


@lru_cache(maxsize=65536)
def sv_lemma(word: str) -> str:
    """simplemma's Swedish lemma; the word itself when simplemma does not know it."""
    import simplemma

    return str(simplemma.lemmatize(word, lang="sv")).lower()


@cache
def _sv_table() -> dict[str, str]:
    from kanalvakt.moderation.screening.svlemmas import TABLE

    table: dict[str, str] = json.loads(TABLE.read_text(encoding="utf-8"))
    return table


def sv_lemma_asked(word: str) -> str:
    """`sv_lemma(word)` wherever screening asks about it, without loading simplemma.

    The lemma when it or the word is an insult word or a Swedish lexicon key
    (squeezed); otherwise the word itself, which answers those questions as
    the lemma does (`svlemmas.py`). A word with capitals, digits or a hyphen
    goes to simplemma (loaded then, once).
    """
    if word.isalpha() and word.lower() == word:
        return _sv_table().get(word, word)
    return sv_lemma(word)


def more_common_elsewhere(word: str, list_language: str, text_language: str) -> bool:
    """Is `word` rather a word of the text's language (or, for `other`, of any other)?"""
    others = (
        [text_language]
        if text_language in LANGUAGES
        else [language for language in LANGUAGES if language != list_language]
    )
    own = zipf(word, list_language)
    for language in others:
        frequency = zipf(word, language)
        if language == "fi" and fi_known(word):
            frequency = max(frequency, KNOWN_ZIPF)
        if frequency >= KNOWN_ZIPF and frequency > own:
            return True
    return False
