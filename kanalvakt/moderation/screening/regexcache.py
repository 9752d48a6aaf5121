"""Many regular expressions compiled at once, their compiled form kept on disk (issue 8).

Python compiles a regular expression in Python (`re._parser`, `re._compiler`):
the phrase patterns cost a new process about 0.08 s. The compiled program is
a list of integers that `_sre.compile` turns into a pattern object; the first
process stores those lists in the start-up cache (`diskcache.py`) and later
processes hand them to `_sre.compile` directly.

Only what this very interpreter compiled is ever stored: the key holds the
Python version, `_sre`'s magic number and the digest of `re`'s compiler
sources, and each stored pattern was first checked equal (same program) to
what `re.compile` gives. Anything unexpected, and the expressions are
compiled with `re.compile` as usual.
"""

from __future__ import annotations

import array
import importlib
import json
import re
import struct
import sys
from collections.abc import Sequence
from typing import Any

from kanalvakt.moderation.screening import diskcache

NAME = "regexes"
_sre: Any = importlib.import_module("_sre")
_parser: Any = importlib.import_module("re._parser")
_compiler: Any = importlib.import_module("re._compiler")

Source = tuple[str, int]  # the expression and its flags, as given to re.compile
Program = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]
_HEAD = struct.Struct("<Q")  # bytes of the JSON part; then the programs as 32-bit words


def _program(pattern: str, flags: int) -> Program:
    """What `re._compiler.compile` hands to `_sre.compile` for `pattern`."""
    parsed = _parser.parse(pattern, flags)
    code = [int(number) for number in _compiler._code(parsed, flags)]  # opcodes: int subclasses
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, number in groupindex.items():
        indexgroup[number] = name
    flags = int(flags | parsed.state.flags)
    return (flags, code, int(parsed.state.groups) - 1, groupindex, tuple(indexgroup))


def _key(sources: Sequence[Source]) -> str:
    compiler = diskcache.source_digest(__file__, _parser.__file__, _compiler.__file__)
    return diskcache.key(NAME, sys.version, _sre.MAGIC, _sre.CODESIZE, compiler, list(sources))


def _stored(payload: memoryview, sources: Sequence[Source]) -> list[re.Pattern[str]] | None:
    try:
        (size,) = _HEAD.unpack_from(payload)
        start = _HEAD.size + size
        described = json.loads(bytes(payload[_HEAD.size : start]))
        words = array.array("I")
        words.frombytes(payload[start + -start % 4 :])
        if len(described) != len(sources) or sum(entry[1] for entry in described) != len(words):
            return None
        out, offset = [], 0
        for (pattern, _flags), (flags, length, groups, groupindex, indexgroup) in zip(
            sources, described, strict=True
        ):
            code = words[offset : offset + length].tolist()
            offset += length
            out.append(_sre.compile(pattern, flags, code, groups, groupindex, tuple(indexgroup)))
        return out
    except (ValueError, TypeError, KeyError, IndexError, RuntimeError, OverflowError, struct.error):
        return None  # _sre validates a program: a damaged one raises RuntimeError


def _stored_form(programs: list[Program]) -> list[bytes]:
    described = [
        [flags, len(code), groups, groupindex, list(indexgroup)]
        for flags, code, groups, groupindex, indexgroup in programs
    ]
    head = json.dumps(described).encode("ascii")
    words = array.array("I", [number for program in programs for number in program[1]])
    start = _HEAD.size + len(head)
    return [_HEAD.pack(len(head)), head, bytes(-start % 4), words.tobytes()]


def compile_all(sources: Sequence[Source]) -> list[re.Pattern[str]]:
    """`[re.compile(pattern, flags) for pattern, flags in sources]`, from the cache if it can."""
    digest = _key(sources)
    payload = diskcache.read(NAME, digest)
    found = _stored(payload, sources) if payload is not None else None
    if found is not None:
        return found
    compiled = [re.compile(pattern, flags) for pattern, flags in sources]
    try:
        programs = [_program(pattern, flags) for pattern, flags in sources]
        same = all(
            _sre.compile(pattern, *program) == regex
            for (pattern, _flags), program, regex in zip(sources, programs, compiled, strict=True)
        )
        stored = _stored_form(programs)
    except (AttributeError, ValueError, TypeError, RuntimeError, OverflowError):
        return compiled  # another Python's compiler: no cache
    if same:
        diskcache.write(NAME, digest, lambda: stored)
    return compiled
