"""Phrase patterns: threats, calls to crime, hate against groups, and more.

The patterns are data: `kanalvakt/moderation/data/patterns.yaml`, read once
(named fragments such as the groups, and each pattern's name, category,
score and regular expression). Patterns run over the normalised words of a
comment joined by single spaces (`Normalised.joined`): lower case, no
punctuation, leetspeak and look-alikes resolved. Swedish å ä ö may have been
folded in a disguised word, so the patterns accept both ("d[öo]da"). A match
whose words, or the three words before it, contain a negation ("are not
vermin", "I never said that …") is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from kanalvakt.moderation.screening import gates, regexcache
from kanalvakt.moderation.screening.normalise import Normalised


@dataclass(frozen=True)
class Pattern:
    name: str
    category: str
    score: float
    regex: re.Pattern[str]
    source: str = ""  # the expression as written, its word lists not factored (words are read)


@dataclass(frozen=True)
class PatternHit:
    pattern: Pattern
    start: int  # offsets into the original text
    end: int


_NEGATION = frozenset(
    "inte aldrig icke ej ei eivät eikä ikinä koskaan not never no t nothing isnt arent dont".split()
)
# Words that report or condemn what follows ("threatening to kill all X will get
# you thrown in jail", "att hota att döda …", "uhkailu tappaa …").
_REPORTED = frozenset(
    """threatening threaten threatened threats saying calling said claiming
    hota hotar hotade hotet säga säger sa sade kalla kallar kallade skriva skriver skrev
    påstå påstår uhata uhkaa uhkasi uhkailu uhkailla sanoi sanoa sanot kutsua kutsut
    kirjoittaa kirjoitti väittää väität sanoisi sanoisin sanoisit""".split()
)

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "patterns.yaml"
_PLACEHOLDER = re.compile(r"\{=(\w+)\}")


def _expand(parts: list[str], fragments: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda found: fragments[found.group(1)], "".join(parts))


def _structure(body: str) -> Iterator[tuple[int, str, int]]:
    """(index, character, depth after it) of each "(", ")" and "|" of a regex body that
    is neither escaped nor inside a character class."""
    depth, klass, index = 0, False, 0
    while index < len(body):
        char = body[index]
        if char == "\\":
            index += 2
            continue
        if klass:
            klass = char != "]"
        elif char == "[":
            klass = True
        elif char in "()|":
            depth += {"(": 1, ")": -1, "|": 0}[char]
            yield index, char, depth
        index += 1


def _top_level(body: str) -> list[str]:
    """The alternatives of a regex body, split at the "|" outside brackets and groups."""
    out, start = [], 0
    for index, char, depth in _structure(body):
        if char == "|" and depth == 0:
            out.append(body[start:index])
            start = index + 1
    out.append(body[start:])
    return out


def _close(fragment: str) -> int:
    """The index of the ")" that closes the group opened at index 0, or -1."""
    for index, char, depth in _structure(fragment):
        if char == ")" and depth == 0:
            return index
    return -1


def factor(fragment: str) -> str:
    """A long list of words "(?:ab|ac|b…)…" as "(?:a(?:b|c)|b…)…": the same matches, faster.

    Python's engine tries every alternative at every word start; grouped by
    their first letter, a word start tries one group (fifth round, issue 8).
    Alternatives keep their order within a letter; those starting with a
    class or a group come last, in their order.
    """
    close = _close(fragment) if fragment.startswith("(?:") else -1
    if close < 0:
        return fragment
    alternatives = _top_level(fragment[3:close])
    buckets: dict[str, list[str]] = {}
    others = []
    for alternative in alternatives:
        if alternative[:1].isalpha():
            buckets.setdefault(alternative[0], []).append(alternative[1:])
        else:
            others.append(alternative)
    grouped = [
        f"{first}(?:{'|'.join(rests)})" if len(rests) > 1 else first + rests[0]
        for first, rests in buckets.items()
    ]
    return "(?:" + "|".join(grouped + others) + ")" + fragment[close + 1 :]


def _load() -> tuple[dict[str, str], tuple[Pattern, ...]]:
    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    document = yaml.load(DATA_FILE.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506
    fragments: dict[str, str] = {}  # as written: other modules read their words
    compiled: dict[str, str] = {}  # the long word lists factored for speed
    for name, parts in document["fragments"].items():
        fragments[name] = _expand(parts, fragments)  # a fragment may use those before it
        compiled[name] = _expand(parts, compiled)
        if name.endswith("GROUPS"):
            compiled[name] = factor(compiled[name])
    regexes = regexcache.compile_all(  # compiled once, then read from the start-up cache
        [(rf"(?<!\w){_expand(raw['regex'], compiled)}(?!\w)", 0) for raw in document["patterns"]]
    )
    patterns = tuple(
        Pattern(
            str(raw["name"]),
            str(raw["category"]),
            float(raw["score"]),
            regex,
            _expand(raw["regex"], fragments),
        )
        for raw, regex in zip(document["patterns"], regexes, strict=True)
    )
    return fragments, patterns


FRAGMENTS, PATTERNS = _load()


# Verbs whose negation is part of the word: "can't stand", "står inte ut med".
_THEN = re.compile(r" (?:så|då|niin) ")
_LEXICAL_NEGATION = re.compile(
    r"can t stand|cannot stand|can t bear|cannot bear|st[åa]r inte ut|t[åa]l inte"
    r"|inte (?:riktiga )?m[äa]nniskor$|not (?:even )?human$"
)

# A claim about a group refuted right after it ("att alla X är terrorister är
# bara fel", "se että X on … ei pidä paikkaansa"): counter-speech, not hate.
_REFUTED = re.compile(
    r"(?: \w+){0,3}? (?:(?:[äa]r|e) (?:ju |bara |helt |s[åa]klart )?(?:fel|l[öo]gn|rasism"
    r"|rasistiskt|f[öo]rdomar|skitsnack|nonsens|inte sant)|st[äa]mmer inte"
    r"|ei pid[äa] paikkaansa|ei ole totta|on (?:ihan |t[äa]ysin )?(?:v[äa][äa]rin|rasismia"
    r"|valhetta|paskapuhetta|ennakkoluulo)|is (?:just |simply )?(?:wrong|racist|false|bullshit))"
)


def _refuted(pattern: Pattern, text: str, end: int) -> bool:
    return pattern.category == "hate_speech" and bool(_REFUTED.match(text, end, end + 60))


def match(normalised: Normalised) -> Iterator[PatternHit]:
    text = normalised.joined
    if not text:
        return
    for index in gates.candidates(text, gates.PATTERNS):  # those whose words are there
        pattern = PATTERNS[index]
        for found in pattern.regex.finditer(text):
            before = set(text[: found.start()].split()[-3:])
            inside = set(_LEXICAL_NEGATION.sub(" ", found.group(0)).split())
            if pattern.name.endswith((":exclude", ":nothuman")):
                inside = set()  # "ei enää yhtään X", "inga fler X": the negation is the call
            if pattern.name.endswith(":if"):
                # "om ni inte … så …": the negation is the condition; what follows is the threat
                inside = set(_THEN.split(found.group(0))[-1].split())
            if pattern.name.endswith((":they", ":exclude")):
                before &= _REPORTED  # the group is named before; a negation there is another clause
            if inside & _NEGATION or before & (_NEGATION | _REPORTED):
                continue
            if _refuted(pattern, text, found.end()):
                continue
            start, end = normalised.span(found.start(), found.end())
            yield PatternHit(pattern, start, end)
