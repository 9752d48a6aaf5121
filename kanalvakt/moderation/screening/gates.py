"""One scan of a normalised text answers every detector's gate (issue 8: speed).

The patterns, the self-harm signal, the media detectors and the advert
detector each run only the regular expressions whose required words occur
in the text (`prefilter.Gate`). Their anchors share one automaton here, so
a text is scanned once, not once per detector; each detector gets the same
indices its own gate would give (`test_screening_prefilter`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from kanalvakt.moderation.screening.prefilter import Gate

PATTERNS, SELF_HARM, MEDIA, ADVERTISING = range(4)


class GateGroup:
    """Several gates as one: `candidates(text)[n]` is what the n-th gate alone gives."""

    def __init__(self, groups: Sequence[Sequence[re.Pattern[str]]]) -> None:
        self._gate = Gate([regex for group in groups for regex in group])
        bounds, start = [], 0
        for group in groups:
            bounds.append((start, start + len(group)))
            start += len(group)
        self._bounds = tuple(bounds)

    def candidates(self, text: str) -> tuple[list[int], ...]:
        found = self._gate.candidates(text)
        return tuple([i - start for i in found if start <= i < end] for start, end in self._bounds)


@cache
def _group() -> GateGroup:
    from kanalvakt.moderation.screening import advertising, media, patterns, selfharm

    return GateGroup(
        [
            [pattern.regex for pattern in patterns.PATTERNS],
            [regex for _language, regex in selfharm.PATTERNS],
            [regex for _category, regex in media.DETECTORS],
            [advertising.SALES],
        ]
    )


# the last text scanned and its answer: the detectors ask about one text in turn
_last: tuple[str | None, tuple[list[int], ...]] = (None, ())


def candidates(joined: str, gate: int) -> list[int]:
    """Indices of the expressions of `gate` (PATTERNS, SELF_HARM, …) that may match `joined`."""
    global _last
    text, found = _last
    if text != joined:
        found = _group().candidates(joined)
        _last = (joined, found)
    return found[gate]
