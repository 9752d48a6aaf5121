"""Readability: LIX for Swedish, and a sentence/word-length measure for Finnish.

LIX (Björnsson 1968) = words per sentence + 100 × share of words longer than
six letters. Finnish words are long by construction (cases, compounds), so
LIX says little about Finnish; Kanalvakt reports for Finnish the *Finnish
readability index* documented in `docs/publishing.md`: words per sentence +
100 × share of words of four or more syllables (syllables counted as vowel
nuclei; a long vowel or a Finnish diphthong is one nucleus).
"""

from __future__ import annotations

import re

_SENTENCE_END = re.compile(r"[.!?:]+(?:\s|$)|\n\s*\n")
_WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*")
_URL = re.compile(r"https?://\S+|www\.\S+|[#@]\w+")
_VOWELS = frozenset("aeiouyäöå")
_DIPHTHONGS = frozenset("ai ei oi ui yi äi öi au eu iu ou ey iy äy öy ie uo yö".split())


def _strip(text: str) -> str:
    return _URL.sub(" ", text)


def _counts(text: str) -> tuple[list[str], int]:
    text = _strip(text)
    words = _WORD.findall(text)
    sentences = max(1, len([part for part in _SENTENCE_END.split(text) if _WORD.search(part)]))
    return words, sentences


def lix(text: str) -> float | None:
    """LIX of a text, or None when it has no words."""
    words, sentences = _counts(text)
    if not words:
        return None
    long_words = sum(1 for word in words if len(word) > 6)
    return len(words) / sentences + 100 * long_words / len(words)


def syllables_fi(word: str) -> int:
    """Vowel nuclei of a Finnish word: a long vowel or a diphthong counts once."""
    word = word.lower()
    count = 0
    previous = ""
    for char in word:
        if char in _VOWELS:
            if previous and (previous == char or previous + char in _DIPHTHONGS):
                previous = ""  # the nucleus is complete; a third vowel starts a new one
                continue
            count += 1
            previous = char
        else:
            previous = ""
    return max(count, 1)


def finnish_index(text: str) -> float | None:
    """Words per sentence + 100 × share of words of four or more syllables."""
    words, sentences = _counts(text)
    if not words:
        return None
    long_words = sum(1 for word in words if syllables_fi(word) >= 4)
    return len(words) / sentences + 100 * long_words / len(words)


MIN_WORDS = 15
"""Below this a score says nothing: one long word in a two-word post gives LIX 50."""


def judgeable(text: str) -> bool:
    return len(_WORD.findall(_strip(text))) >= MIN_WORDS
