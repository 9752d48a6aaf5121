"""Masked swearing: "p***a", "v..tun", "f*n", "j#vla".

A word with masking characters (* # . _ or a run of them) between or after
letters is compared with the lexicons' single-word forms (and a few common
inflected forms): each * or # stands for one letter, a run of dots for one or
two. The first letter must be written, and at least two letters in all. The
match with the lowest severity wins (s**t is shit); the detector names the
lexicon it came from (`masked:fi`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from kanalvakt.moderation.screening import lexicon

_MASKED = re.compile(
    r"(?<![\w*#.])([^\W\d_]{1,8})((?:[*#]{1,5}|\.{2,4}|_{1,4})[^\W\d_]{0,8})+(?![\w*#])"
)
_PIECE = re.compile(r"([*#]+|\.+|_+)|([^\W\d_]+)")
EXTRA_FORMS = {
    "fi": ("vitun", "vittua", "vittuun", "perkele", "saatana", "helvetti", "paska", "paskaa"),
    "sv": ("jävla", "jävlar", "fitta", "helvete", "knulla", "horan"),
    "en": ("fuck", "fucking", "shit", "cunt", "bitch"),
}


@dataclass(frozen=True)
class MaskedHit:
    start: int
    end: int
    word: str
    language: str
    category: str
    severity: int


@cache
def _targets() -> tuple[tuple[str, str, str, int], ...]:
    """(word, language, category, severity) for every single-word form."""
    out: dict[tuple[str, str], tuple[str, str, str, int]] = {}
    for lex in lexicon.lexicons():
        for entry in lex.entries:
            if len(entry.words) == 1:
                word = entry.form.lower()
                out[(word, lex.language)] = (word, lex.language, entry.category, entry.severity)
    for language, words in EXTRA_FORMS.items():
        for word in words:
            out.setdefault((word, language), (word, language, "obscenity", 1))
    return tuple(out.values())


def _regex(masked: str) -> re.Pattern[str] | None:
    parts: list[str] = []
    letters = 0
    for mask, written in _PIECE.findall(masked.lower()):
        if written:
            letters += len(written)
            parts.append(re.escape(written))
        elif mask[0] in "*#":
            parts.append(f"\\w{{{len(mask)}}}")
        else:
            parts.append(f"\\w{{1,{max(2, len(mask))}}}")
    if letters < 2:
        return None
    return re.compile("".join(parts))


def find(text: str) -> Iterator[MaskedHit]:
    for found in _MASKED.finditer(text):
        masked = found.group(0)
        if not any(char in "*#._" for char in masked[1:]):
            continue
        pattern = _regex(masked)
        if pattern is None:
            continue
        matches = [target for target in _targets() if pattern.fullmatch(target[0])]
        if not matches:
            continue
        # an ambiguous mask is read as the mildest word it can be (s**t: shit, not slut)
        word, language, category, severity = min(matches, key=lambda target: target[3])
        yield MaskedHit(found.start(), found.end(), word, language, category, severity)
