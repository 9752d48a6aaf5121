"""The words spelling looks for, and the guard that keeps real words as written (issue 8).

A *head* is a word screening looks for: the lexicons' single-word forms, the
insult words, harm verbs, negations and the discriminating words of the
patterns (five letters or more). `spelling.py` reads a misspelt word as the
head it almost is; `compounds.py` splits a joined word into words, one of
them a harmful head (`harmful()`: insults, swearing, harm, groups).

**The guard**: a word wordfreq knows in Swedish, Finnish, English, Danish or
Norwegian (Zipf ≥ 1.5), or that Voikko knows, is never changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache

from kanalvakt.moderation.screening import lexicon, morphology, structure, threats

MIN_WORD = 5  # shorter words are too close to too many others

MIN_HEAD = 5

KNOWN_ZIPF = 1.5  # a word wordfreq knows at least this well is a word, not a typo

GUARD_LANGUAGES = ("sv", "fi", "en", "da", "nb")

MAX_ENDING = 9

CACHE_SIZE = 100_000
# words that aim what follows at a person, and the first person of hate ("jag hatar")
AIMING = frozenset(
    "du din dina ditt dig ni er sinä sä senkin te olet oot jag vi minä mä me".split()
)


def _alphabetic(word: str) -> bool:
    return word.isalpha() and len(word) >= MIN_HEAD


@cache
def heads() -> dict[str, frozenset[str]]:
    """Each head word and the languages whose endings it may take."""
    found: dict[str, set[str]] = {}

    def add(words: Iterable[str], languages: Iterable[str]) -> None:
        for word in words:
            if _alphabetic(word):
                found.setdefault(word, set()).update(languages)

    for lex in lexicon.lexicons():
        add(
            (entry.form.casefold() for entry in lex.entries if len(entry.words) == 1),
            [lex.language],
        )
    add(structure.INSULT_NOUNS | structure.INSULT_ADJECTIVES, ["sv", "fi"])
    add(threats.SV_HARM, ["sv"])
    add(threats.FI_HARM, ["fi"])
    add(lexicon.NEGATION | {"mikään", "koskaan", "ikinä", "aldrig"}, ["sv", "fi", "en"])
    add(_pattern_words(), ["sv", "fi", "en"])
    add(AIMING, ["sv", "fi"])
    return {word: frozenset(languages) for word, languages in found.items()}


def _pattern_words() -> set[str]:
    from kanalvakt.moderation.screening import firstpass, patterns

    words: set[str] = set()
    for pattern in patterns.PATTERNS:
        words |= {word for word in firstpass._literals(pattern.source) if len(word) >= MIN_HEAD}
    return words


def deletions(word: str) -> Iterator[str]:
    for index in range(len(word)):
        yield word[:index] + word[index + 1 :]


def ending_ok(head: str, ending: str, languages: frozenset[str]) -> bool:
    if not ending:
        return True
    if len(ending) > MAX_ENDING:
        return False
    return any(lexicon._ENDINGS[language].fullmatch(ending) for language in languages)


def in_wordfreq(word: str) -> bool:
    return morphology.top_zipf(word, GUARD_LANGUAGES) >= KNOWN_ZIPF


def known(word: str) -> bool:
    """A word of some language (wordfreq or Voikko): never changed."""
    return in_wordfreq(word) or morphology.fi_known(word)


def common(word: str, languages: tuple[str, ...] = morphology.LANGUAGES, zipf: float = 3.0) -> bool:
    return morphology.top_zipf(word, languages) >= zipf


@cache
def head_starts() -> frozenset[str]:
    """Every beginning of a head: two pieces that are one may go on with a third."""
    return frozenset(head[:cut] for head in heads() for cut in range(1, len(head)))


@cache
def harmful() -> dict[str, frozenset[str]]:
    """The heads that make a joined word worth splitting: insults, swearing, harm, groups."""
    from kanalvakt.moderation.screening import firstpass, patterns

    words = {entry.form.casefold() for lex in lexicon.lexicons() for entry in lex.entries}
    words |= structure.INSULT_NOUNS | structure.INSULT_ADJECTIVES
    words |= threats.SV_HARM | threats.FI_HARM
    for name, fragment in patterns.FRAGMENTS.items():
        if name.endswith(("GROUPS", "DEHUMANISE", "VIOLENCE", "ELIMINATE")):
            words |= firstpass._literals(fragment)
    return {word: languages for word, languages in heads().items() if word in words}
