"""The regex prefilter never skips an expression that would match (issue 8, speed)."""

import re
from collections.abc import Callable

import pytest

from kanalvakt.moderation.screening import (
    advertising,
    datasets,
    gates,
    gold,
    harassment,
    media,
    patterns,
    secrecy,
    selfharm,
)
from kanalvakt.moderation.screening.normalise import normalise
from kanalvakt.moderation.screening.prefilter import Gate, anchors


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            r"(?<!\w)(?:jag|vi) ska d[öo]da(?!\w)",
            {"jag ska döda", "jag ska doda", "vi ska döda", "vi ska doda"},
        ),
        (r"(?:a|b)\w+ (?:tappaa|ampua)", {" tappaa", " ampua"}),
        (r"x(?: \w+)? kill", {" kill"}),
        (r"(?:döda|\w+) dig", {" dig"}),
        (r"sinut (?:tapetaan)?", {"sinut ", "sinut tapetaan"}),
    ],
)
def test_anchors_are_what_every_match_must_contain(source: str, expected: set[str]) -> None:
    assert anchors(re.compile(source)) == frozenset(expected)


@pytest.mark.parametrize("source", [r"\w+", r"(?:ab|\w)c", r"(?i)idiot", r"a?b?c?", r"[^x]{5}"])
def test_an_expression_without_a_usable_anchor_always_runs(source: str) -> None:
    regex = re.compile(source)
    assert anchors(regex) is None
    assert Gate([regex]).candidates("nothing to see") == [0]


def _joined_texts() -> list[str]:
    texts = [item.text for item in gold.load()]
    for language in ("sv", "fi"):
        texts += [case.text for case in gold.hatecheck(language)]
    texts += [text for text, _ in datasets.dkhate("test") + datasets.tubespam("test")]
    texts += [text for text, _ in datasets.seed()]
    return [normalise(text).joined for text in texts]


@pytest.mark.parametrize(
    ("regexes", "least"),
    [
        ([pattern.regex for pattern in patterns.PATTERNS], 500),
        ([regex for _language, regex in selfharm.PATTERNS], 50),
    ],
    ids=["patterns", "self_harm"],
)
def test_the_gate_lets_through_every_expression_that_matches(
    regexes: list[re.Pattern[str]], least: int
) -> None:
    gate = Gate(regexes)
    missed = []
    matched = 0
    for joined in _joined_texts():
        candidates = set(gate.candidates(joined))
        for index, regex in enumerate(regexes):
            if regex.search(joined):
                matched += 1
                if index not in candidates:
                    missed.append((regex.pattern[:40], joined))
    assert matched > least  # the data sets do exercise the expressions
    assert missed == []


def test_one_scan_answers_each_detector_as_its_own_look_would() -> None:
    regexes = [
        [pattern.regex for pattern in patterns.PATTERNS],
        [regex for _language, regex in selfharm.PATTERNS],
        [regex for _category, regex in media.DETECTORS],
        [advertising.SALES],
    ]
    own: list[Callable[[str], list[int]]] = [Gate(group).candidates for group in regexes]

    def anywhere(words: tuple[str, ...]) -> Callable[[str], list[int]]:
        return lambda joined: [0] if any(word in joined for word in words) else []

    def word_start(stems: tuple[str, ...]) -> Callable[[str], list[int]]:
        return lambda joined: [0] if any(f" {stem}" in f" {joined}" for stem in stems) else []

    own += [
        anywhere(tuple(media.TRIGGERS)),  # MEDIA_TRIGGERS
        word_start(tuple(secrecy.SENSITIVE_STEMS)),  # SECRECY
        word_start(harassment.KITCHEN_STARTS),  # KITCHEN
        word_start(harassment.SEXUAL_STARTS),  # SEXUAL
    ]
    opened = [0] * len(own)
    for joined in _joined_texts():
        for number, look in enumerate(own):
            expected = look(joined)
            assert gates.candidates(joined, number) == expected, (number, joined)
            opened[number] += bool(expected)
    assert min(opened) > 0  # every detector's look found something in some text
