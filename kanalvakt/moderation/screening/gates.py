"""One scan of a normalised text answers every detector's first look (issue 8: speed).

Several detectors look for words in the normalised text before they run
their regular expressions:

* the patterns, the self-harm signal, the media and the advert detectors run
  only the expressions whose required words are there (`prefilter.Gate`);
* the media detectors need one of their triggers anywhere;
* secrecy and sexual harassment need a word that starts with one of their
  stems (`(?<!\\w)stem`).

All those words share one automaton here, so a text is scanned once, not
eight times, and each detector gets the answer its own scan gave
(`test_screening_prefilter` compares them on every data set).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import Literal

import ahocorasick

from kanalvakt.moderation.screening.prefilter import stored_anchors

Kind = Literal["regexes", "word starts", "anywhere"]
(
    PATTERNS,
    SELF_HARM,
    MEDIA,
    ADVERTISING,
    MEDIA_TRIGGERS,
    SECRECY,
    KITCHEN,
    SEXUAL,
) = range(8)


class GateGroup:
    """Several first looks as one scan.

    A group of regular expressions answers with the indices of those that may
    match (as `prefilter.Gate`); a group of words (a word start, or anywhere)
    answers `[0]` when one is there and `[]` when none is.
    """

    def __init__(self, groups: Sequence[tuple[Kind, Sequence[re.Pattern[str]] | Sequence[str]]]):
        keys: dict[str, set[tuple[int, int]]] = {}
        always: list[list[int]] = []
        starts: list[tuple[int, tuple[str, ...]]] = []
        for number, (kind, members) in enumerate(groups):
            pairs: list[tuple[str, int]]
            if kind == "regexes":
                found = stored_anchors([m for m in members if isinstance(m, re.Pattern)])
                always.append([i for i, strings in enumerate(found) if strings is None])
                pairs = [(anchor, i) for i, strings in enumerate(found) for anchor in strings or ()]
            else:
                words = tuple(m for m in members if isinstance(m, str))
                always.append([])
                # " stem" inside the text, or the stem at its very start
                pairs = [(f" {word}" if kind == "word starts" else word, 0) for word in words]
                if kind == "word starts":
                    starts.append((number, words))
            for anchor, index in pairs:
                keys.setdefault(anchor, set()).add((number, index))
        self.always = tuple(always)
        self._starts = tuple(starts)
        self._any_start = tuple(stem for _number, stems in starts for stem in stems)
        self._machine = ahocorasick.Automaton()
        for anchor, found_in in keys.items():
            self._machine.add_word(anchor, tuple(sorted(found_in)))
        self._machine.make_automaton()

    def candidates(self, text: str) -> dict[int, list[int]]:
        """The groups `text` opens, each with its indices; a group not named answers `always`."""
        matched = {found_in for _end, found_in in self._machine.iter(text)}
        if text.startswith(self._any_start):  # rare: one test for every group of word starts
            matched.update(((n, 0),) for n, stems in self._starts if text.startswith(stems))
        if not matched:
            return {}
        found: dict[int, set[int]] = {}
        for found_in in matched:
            for number, index in found_in:
                found.setdefault(number, set(self.always[number])).add(index)
        return {number: sorted(indices) for number, indices in found.items()}


@cache
def _group() -> GateGroup:
    from kanalvakt.moderation.screening import (
        advertising,
        harassment,
        media,
        patterns,
        secrecy,
        selfharm,
    )

    return GateGroup(
        [
            ("regexes", [pattern.regex for pattern in patterns.PATTERNS]),
            ("regexes", [regex for _language, regex in selfharm.PATTERNS]),
            ("regexes", [regex for _category, regex in media.DETECTORS]),
            ("regexes", [advertising.SALES]),
            ("anywhere", media.TRIGGERS),
            ("word starts", secrecy.SENSITIVE_STEMS),
            ("word starts", harassment.KITCHEN_STARTS),
            ("word starts", harassment.SEXUAL_STARTS),
        ]
    )


# the last text scanned and its answer: the detectors ask about one text in turn
_last: tuple[str | None, dict[int, list[int]]] = (None, {})


def candidates(joined: str, gate: int) -> list[int]:
    """What `gate` (PATTERNS, SELF_HARM, …, SEXUAL) finds in `joined` (do not change the list)."""
    global _last
    text, found = _last
    if text != joined:
        found = _group().candidates(joined)
        _last = (joined, found)
    return found.get(gate) or _group().always[gate]
