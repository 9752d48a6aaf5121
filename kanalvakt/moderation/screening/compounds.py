"""Joined and split words (issue 8): "dinhycklare", "dödåtmuslimer", "id iot".

* An unknown word (not in wordfreq) splits into two or three words that
  exist, one of them a harmful head, also inflected ("din jävla", "död åt
  muslimer", "kvinnor är ohyra"); the reading with the most heads wins. A
  word screening looks for as it is ("korkskalle") is never split, and a
  compound Voikko knows only into a pronoun and heads ("senkinpässi").
* Two or three short pieces, not all common words of the text's language,
  that make a head together are joined ("id iot", "hyck lare").
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from kanalvakt.moderation.screening import morphology
from kanalvakt.moderation.screening.heads import (
    AIMING,
    CACHE_SIZE,
    MIN_HEAD,
    common,
    ending_ok,
    harmful,
    head_starts,
    heads,
    in_wordfreq,
)
from kanalvakt.moderation.screening.normalise import Token

MAX_PIECE = 6  # a piece of a split word ("id iootti")

JOIN_ZIPF = 3.5  # pieces all this common are words of their own, not a split word


def _word_like(part: str) -> bool:
    if part in AIMING or part in heads():
        return True
    # a two-letter piece only when it is among the commonest words ("är", "åt", "on")
    return common(part) if len(part) >= 3 else len(part) == 2 and common(part, zipf=5.0)


_SPLIT: dict[str, tuple[str, ...]] = {}


def split_word(word: str) -> tuple[str, ...]:
    """The words an unknown joined word is made of, or () (cached per word)."""
    found = _SPLIT.get(word)
    if found is not None:
        return found
    if len(_SPLIT) > CACHE_SIZE:
        _SPLIT.clear()
    found = _SPLIT[word] = _split(word)
    return found


def _split(word: str) -> tuple[str, ...]:
    if len(word) < 6 or not word.isalpha() or not _has_head_inside(word) or in_wordfreq(word):
        return ()
    if _head_like(word):
        return ()  # a word screening looks for as it is ("korkskalle"): nothing to split
    found = [
        parts
        for parts, _ in zip(_segmentations(word, 3), range(24), strict=False)
        if len(parts) > 1 and any(_head_like(part) for part in parts)
    ]
    if not found:
        return ()
    # the reading with the most heads, then the fewest pieces: "kvinnor är ohyra"
    parts = max(found, key=lambda p: (sum(_head_like(part) for part in p), -len(p)))
    # a compound Voikko knows splits only into a pronoun and heads: "senkinpässi"
    if morphology.fi_known(word) and not (
        parts[0] in AIMING and all(_head_like(part) for part in parts[1:])
    ):
        return ()
    return parts


def _head_like(part: str) -> bool:
    """A harmful head, or one with an ending ("muslimer", "idiooteille")."""
    targets = harmful()
    if part in targets:
        return True
    for cut in range(MIN_HEAD, len(part)):
        head = part[:cut]
        if head in targets and ending_ok(head, part[cut:], targets[head]):
            return True
    return False


def _segmentations(word: str, limit: int) -> Iterator[tuple[str, ...]]:
    if _word_like(word):
        yield (word,)
    if limit == 1:
        return
    for cut in range(len(word) - 2, 1, -1):
        first = word[:cut]
        if not _word_like(first):
            continue
        for rest in _segmentations(word[cut:], limit - 1):
            yield (first, *rest)


@cache
def _inside() -> frozenset[str]:
    return frozenset(head[:5] for head in heads() if len(head) >= 5)


def _has_head_inside(word: str) -> bool:
    """Does a head start somewhere inside `word` (after its first letters)?"""
    inside = _inside()
    return any(word[i : i + 5] in inside for i in range(2, len(word) - 4))


def join(
    tokens: tuple[Token, ...],
    index: int,
    all_heads: dict[str, frozenset[str]],
    languages: tuple[str, ...],
) -> tuple[str, int]:
    """Two or three short pieces from `index` that make a head together ("id iot").

    At least one piece must not be a common word of the text's language.
    """
    joined = tokens[index].form + tokens[index + 1].form
    count = 2
    if joined not in all_heads:
        if index + 2 >= len(tokens) or joined not in head_starts():
            return "", 0
        third = tokens[index + 2].form
        if len(third) > MAX_PIECE or joined + third not in all_heads:
            return "", 0
        joined, count = joined + third, 3
    if all(common(piece.form, languages, JOIN_ZIPF) for piece in tokens[index : index + count]):
        return "", 0
    return joined, count
