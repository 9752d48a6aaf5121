"""JSON from strangers with a bound on nesting.

`json.loads` recurses once per level: a webhook body of a few hundred
kilobytes of `[[[[…` ends in RecursionError (a 500) and whatever walks the
result later recurses again. `nesting_depth` measures the depth without
parsing (strings removed, then a running sum over the brackets, all in C),
so a body can be refused before it is parsed.
"""

from __future__ import annotations

import json
import re
from itertools import accumulate
from typing import Any

MAX_DEPTH = 64
_STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_STEP = bytes.maketrans(b"[{]}", b"\x01\x01\x02\x02")


class TooDeep(ValueError):
    """The JSON is nested deeper than allowed."""


def nesting_depth(data: bytes) -> int:
    """The deepest nesting of arrays and objects in `data` (0 for a scalar)."""
    brackets = _STRINGS.sub(b"", data).translate(None, _NOT_BRACKETS).translate(_STEP)
    if not brackets:
        return 0
    return max(accumulate(1 if step == 1 else -1 for step in brackets))


def loads(data: bytes | str, *, max_depth: int = MAX_DEPTH) -> Any:
    """`json.loads`, refusing documents nested deeper than `max_depth` with TooDeep."""
    raw = data.encode() if isinstance(data, str) else data
    depth = nesting_depth(raw)
    if depth > max_depth:
        raise TooDeep(f"JSON nested {depth} levels deep; at most {max_depth} are accepted")
    try:
        return json.loads(raw)
    except RecursionError as error:  # pragma: no cover - the depth check comes first
        raise TooDeep("JSON nested too deeply") from error
