"""wordfreq's figures of the guard languages, one row per word, kept on disk (issue 8).

The frequency guards read about 100,000 figures per 50,000 comments, of some
20,000 words, from wordfreq's lists of five languages (`morphology.TABLED`):
about a million words down to Zipf 1.5. Building those dicts cost a new
process 0.45 s of CPU. Instead the first process stores them in the cache
(`diskcache.py`) as one `marisa-trie` of the words and, per word, a row of
each language's figure (a code into `levels()`); later processes map that
file (a millisecond) and look up a new word in about 1 µs (`morphology._row`
keeps each answer).

The key is the wordfreq files' sizes and times, marisa-trie's, and this code's.
Without wordfreq's files, or a cache directory that can be written, the
dicts are built in memory as before: the answers are the same either way.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from functools import cache
from pathlib import Path

from kanalvakt.moderation.screening import diskcache

NAME = "frequencies"
_COUNTS = struct.Struct("<QQ")  # words, bytes of the trie


class Table:
    """A word's figures in each of `morphology.TABLED`: `row(word)`."""

    def __init__(
        self, row: Callable[[str], tuple[float, ...]], tables: list[dict[str, float]]
    ) -> None:
        self.row = row
        self.tables = tables  # the dicts, when built in memory
        self.mapped: memoryview | None = None  # the file's trie, when read from the cache


@cache
def levels() -> tuple[float, ...]:
    """Every figure a tabled word can have, ascending, 0 (under MIN_ZIPF) first."""
    from kanalvakt.moderation.screening import morphology

    figures = [0.0]
    index = 0
    while (figure := morphology._band_figure(index)) >= morphology.MIN_ZIPF:
        figures.append(figure)
        index += 1
    return tuple(sorted(figures))


def _in_memory() -> Table:
    from kanalvakt.moderation.screening import morphology

    tables = [morphology._figures(language) for language in morphology.TABLED]
    return Table(lambda word: tuple([table.get(word, 0.0) for table in tables]), tables)


def _key() -> str | None:
    import marisa_trie

    from kanalvakt.moderation.screening import morphology

    try:
        stamps = [diskcache.file_stamp(morphology._wordlist(lang)) for lang in morphology.TABLED]
    except (LookupError, OSError):
        return None  # wordfreq reads its lists itself: build in memory
    sources = diskcache.source_digest(__file__, morphology.__file__)
    library = diskcache.file_stamp(str(marisa_trie.__file__))
    return diskcache.key(NAME, morphology.TABLED, morphology.MIN_ZIPF, stamps, sources, library)


def _mapped(payload: memoryview) -> Table | None:
    import marisa_trie

    from kanalvakt.moderation.screening import morphology

    try:
        count, size = _COUNTS.unpack_from(payload)
        start = _COUNTS.size
        width = len(morphology.TABLED)
        codes = payload[start : start + 2 * width * count].cast("H")
        start += 2 * width * count
        start += -start % diskcache.ALIGN
        mapped = payload[start : start + size]  # the trie reads it: kept alive with the table
        if len(codes) != width * count or len(mapped) != size or start + size != len(payload):
            return None
        trie = marisa_trie.Trie()
        trie.map(mapped)
    except (ValueError, TypeError, RuntimeError, struct.error):
        return None
    if len(trie) != count:
        return None
    figures = levels()
    absent = (0.0,) * width
    find = trie.get

    def row(word: str) -> tuple[float, ...]:
        number = find(word)
        if number is None:
            return absent
        begin = number * width
        return tuple([figures[code] for code in codes[begin : begin + width]])

    found = Table(row, [])
    found.mapped = mapped
    return found


def _payload(tables: list[dict[str, float]]) -> list[bytes]:
    """The file's content: counts, each word's row of codes, the trie (aligned)."""
    import marisa_trie
    import numpy as np

    trie = marisa_trie.Trie(set().union(*tables))
    ascending = np.asarray(levels(), dtype=np.float64)
    codes = np.zeros((len(trie), len(tables)), dtype=np.uint16)  # 0: under MIN_ZIPF
    for column, table in enumerate(tables):
        numbers = np.fromiter(map(trie.key_id, table), dtype=np.int64, count=len(table))
        figures = np.fromiter(table.values(), dtype=np.float64, count=len(table))
        found = np.searchsorted(ascending, figures)
        if not np.array_equal(ascending[np.minimum(found, len(ascending) - 1)], figures):
            raise ValueError("a figure that is no band's figure")  # never: same formula
        codes[numbers, column] = found
    rows = codes.astype("=u2").tobytes()
    trie_bytes: bytes = trie.tobytes()
    head = _COUNTS.pack(len(trie), len(trie_bytes))
    return [head, rows, diskcache.padding(len(head) + len(rows)), trie_bytes]


@cache
def table() -> Table:
    """The figures from the cache file, built and stored first if it is not there."""
    digest = _key()
    if digest is None:
        return _in_memory()
    payload = diskcache.read(NAME, digest)
    found = _mapped(payload) if payload is not None else None
    if found is not None:
        return found
    memory = _in_memory()  # this process reads the dicts it built; the next maps the file
    diskcache.write(NAME, digest, lambda: _payload(memory.tables))
    return memory


def stored_path() -> Path | None:
    """The cache file in use (tests); None when the figures are built in memory."""
    digest, folder = _key(), diskcache.directory()
    return None if digest is None or folder is None else folder / f"{NAME}-{digest}.bin"
