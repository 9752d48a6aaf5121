"""Which of many regular expressions can match a text at all? One Aho-Corasick scan (issue 8).

Each expression is read once (Python's own regex parser) for the literal
strings any match of it must contain: "(?:jag|vi) ska(?: \\w+)? d[öo]da"
cannot match a text that holds neither "döda" nor "doda" (the longest
required piece is kept). All these strings of all expressions go into one
automaton (`pyahocorasick`); a text is scanned once, and only the
expressions whose strings occur in it are run. An expression with no
required string (or one of fewer than `MIN_ANCHOR` characters) always runs.

The derivation only ever drops conditions (lookarounds, optional parts,
character classes that are not a few letters), so it never skips an
expression that could match: the result is the same as running them all.
The expressions themselves stay as their modules write them.
"""

from __future__ import annotations

import importlib
import json
import re
from collections.abc import Iterable, Sequence
from itertools import product
from typing import Any

import ahocorasick

from kanalvakt.moderation.screening import diskcache

MIN_ANCHOR = 3
_MAX_SET = 64  # strings an exact piece may have before it becomes a requirement
_MAX_CLASS = 12  # letters a character class may have to count as exact

_parser: Any = importlib.import_module("re._parser")

Strings = frozenset[str]


class _Info:
    """What a piece of an expression can match: exactly these strings, or at least one of these."""

    __slots__ = ("exact", "required")

    def __init__(self, exact: Strings | None, required: Strings | None) -> None:
        self.exact = exact
        self.required = required

    def requirement(self) -> Strings | None:
        return self.exact if self.exact is not None else self.required


_ANY = _Info(None, None)
_EMPTY = _Info(frozenset({""}), None)


def _better(a: Strings | None, b: Strings | None) -> Strings | None:
    """The more selective of two requirements (longer shortest string, then fewer strings)."""
    if a is None or "" in a:
        return None if b is None or "" in b else b
    if b is None or "" in b:
        return a
    key_a = (min(map(len, a)), -len(a))
    key_b = (min(map(len, b)), -len(b))
    return a if key_a >= key_b else b


def _sequence(items: Iterable[tuple[Any, Any]]) -> _Info:
    exact: Strings | None = frozenset({""})
    best: Strings | None = None
    whole = True  # every node so far exact: the sequence matches exactly `exact`
    for op, arg in items:
        info = _node(op, arg)
        if exact is not None and info.exact is not None:
            joined = frozenset(a + b for a, b in product(exact, info.exact))
            if len(joined) <= _MAX_SET:
                exact = joined
                continue
        # the exact run so far is one requirement; the node may give another
        whole = False
        best = _better(best, exact)
        best = _better(best, info.requirement())
        exact = info.exact if info.exact is not None and len(info.exact) <= _MAX_SET else None
    if whole:
        return _Info(exact, None)
    return _Info(None, _better(best, exact))


def _class(items: Sequence[tuple[Any, Any]]) -> _Info:
    letters: set[str] = set()
    for op, arg in items:
        name = op.name
        if name == "LITERAL":
            letters.add(chr(arg))
        elif name == "RANGE" and arg[1] - arg[0] < _MAX_CLASS:
            letters.update(chr(code) for code in range(arg[0], arg[1] + 1))
        else:
            return _ANY  # NEGATE, CATEGORY, a wide range
    if len(letters) > _MAX_CLASS:
        return _ANY
    return _Info(frozenset(letters), None)


def _node(op: Any, arg: Any) -> _Info:
    name = op.name
    if name == "LITERAL":
        return _Info(frozenset({chr(arg)}), None)
    if name == "IN":
        return _class(arg)
    if name in ("AT", "ASSERT", "ASSERT_NOT"):
        return _EMPTY  # zero width: dropping the condition only widens
    if name == "SUBPATTERN":
        _group, add_flags, _del_flags, pattern = arg
        if add_flags & re.IGNORECASE:
            return _ANY
        return _sequence(pattern)
    if name == "ATOMIC_GROUP":
        return _sequence(arg)
    if name == "BRANCH":
        infos = [_sequence(branch) for branch in arg[1]]
        exact: set[str] | None = set()
        for info in infos:
            if info.exact is None or exact is None:
                exact = None
            else:
                exact |= info.exact
        if exact is not None and len(exact) <= _MAX_SET:
            return _Info(frozenset(exact), None)
        required: set[str] = set()
        for info in infos:
            piece = info.requirement()
            if piece is None or "" in piece:
                return _ANY
            required |= piece
        return _Info(None, frozenset(required))
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        low, high, pattern = arg
        info = _sequence(pattern)
        if low == 0:
            if high == 1 and info.exact is not None:
                return _Info(info.exact | {""}, None)
            return _ANY
        if low == high == 1:
            return info
        return _Info(None, info.requirement())
    return _ANY  # ANY, NOT_LITERAL, GROUPREF, …


def anchors(regex: re.Pattern[str], min_length: int = MIN_ANCHOR) -> Strings | None:
    """Strings one of which every match of `regex` contains; None when there are none to use."""
    if regex.flags & re.IGNORECASE:
        return None
    info = _sequence(_parser.parse(regex.pattern, regex.flags))
    found = info.requirement()
    if found is None or "" in found or min(map(len, found)) < min_length:
        return None
    return found


def stored_anchors(regexes: Sequence[re.Pattern[str]]) -> list[Strings | None]:
    """`anchors` of each of `regexes`, from the start-up cache when it has them (diskcache.py).

    Deriving them costs about 0.15 s for the patterns; the key is the
    expressions and this module's code, so a changed pattern is derived anew.
    """
    digest = diskcache.key(
        "anchors",
        MIN_ANCHOR,
        diskcache.source_digest(__file__),
        [(regex.pattern, regex.flags) for regex in regexes],
    )
    payload = diskcache.read("anchors", digest)
    if payload is not None:
        try:
            stored = json.loads(bytes(payload))
            if isinstance(stored, list) and len(stored) == len(regexes):
                return [None if strings is None else frozenset(strings) for strings in stored]
        except (ValueError, TypeError):
            pass  # not what this code writes: derived anew below
    found = [anchors(regex) for regex in regexes]
    document = [None if strings is None else sorted(strings) for strings in found]
    diskcache.write("anchors", digest, lambda: [json.dumps(document).encode("ascii")])
    return found


class Gate:
    """One scan of a text tells which of `regexes` can match it."""

    def __init__(self, regexes: Sequence[re.Pattern[str]]) -> None:
        self.count = len(regexes)
        found = stored_anchors(regexes)
        self._always = tuple(i for i, strings in enumerate(found) if strings is None)
        by_anchor: dict[str, set[int]] = {}
        for index, strings in enumerate(found):
            for anchor in strings or ():
                by_anchor.setdefault(anchor, set()).add(index)
        self._machine: Any = None
        if by_anchor:
            self._machine = ahocorasick.Automaton()
            for anchor, indices in by_anchor.items():
                self._machine.add_word(anchor, frozenset(indices))
            self._machine.make_automaton()

    def candidates(self, text: str) -> list[int]:
        """Indices of the expressions that may match `text`, in their order."""
        if self._machine is None:
            return list(self._always)
        # an anchor may occur many times: join each distinct set of indices once
        matched = {indices for _end, indices in self._machine.iter(text)}
        if not matched:  # most texts: the expressions that have no anchors, in order
            return list(self._always)
        found = set(self._always)
        found.update(*matched)
        return sorted(found)
