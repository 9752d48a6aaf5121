"""Escalation triggers: one search over every pattern decides that a text fires none."""

from __future__ import annotations

import pytest

from kanalvakt.inbox.triggers import _COMPILED, Trigger, TriggerMatch, detect


def _pattern_by_pattern(text: str) -> list[TriggerMatch]:
    found = []
    for trigger, patterns in _COMPILED.items():
        words = [match.group(0) for pattern in patterns for match in pattern.finditer(text)]
        if words:
            found.append(TriggerMatch(trigger, list(dict.fromkeys(words))))
    return found


@pytest.mark.parametrize(
    "text",
    [
        "När öppnar simhallen igen?",
        "Jag vet var du bor. Akta dig.",
        "Tiedän missä asut",
        "I'll find you, and I know where she lives",
        "Sluta MOBBA min son, ni är korrupta allihop",
        "Säljer knark och köpa vapen",
        "mutor? mutade? jäv!",
        "embezzlement and bribery, bullied at work",
        "Huora. Lutka.",
        "",
    ],
)
def test_detect_finds_what_each_pattern_finds(text: str) -> None:
    assert detect(text) == _pattern_by_pattern(text)


def test_a_text_without_triggers_fires_none_and_one_with_fires_its_own() -> None:
    assert detect("Tack för en fin dag i parken!") == []
    assert [match.trigger for match in detect("Jag ska döda dig")] == [Trigger.THREAT_TO_STAFF]
