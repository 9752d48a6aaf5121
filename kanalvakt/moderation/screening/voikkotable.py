"""Voikko's readings of the common Finnish words, kept on disk (issue 8: speed).

Voikko reads a word it knows in about 30 µs, and most of the Finnish words
in comments are common ones. The first process that needs a reading reads
every word of wordfreq's Finnish list down to `TABLE_ZIPF` (about 60,000
words, 1.5–2 s, once) and leaves the readings in the start-up cache
(`diskcache.py`); later processes map the file and find a word's readings in
a few µs. A word that is not in the table goes to Voikko as before, so the
answers are Voikko's either way (`test_screening_voikkotable` compares them).

The key is the Voikko library and its dictionary files (sizes and times),
wordfreq's Finnish list, and the code that reads and stores the readings.
Without a cache directory that can be written, nothing is stored and every
word goes to Voikko.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Callable, Iterator
from functools import cache
from glob import glob
from typing import TYPE_CHECKING

from kanalvakt.moderation.screening import diskcache

if TYPE_CHECKING:
    from kanalvakt.moderation.screening.morphology import Analysis

NAME = "voikko"
TABLE_ZIPF = 3.0
_COUNTS = struct.Struct("<QQQ")  # words, bytes of the readings, bytes of the trie
# separators of the stored text (never in a word or a reading Voikko gives)
_READING, _FIELD, _PART = "\x1e", "\x1f", "\x1d"

Readings = tuple["Analysis", ...]
Lookup = Callable[[str], "Readings | None"]


def _dictionary_files() -> list[tuple[str, int, int]]:
    """The stamps of every Voikko dictionary where libvoikko looks for one."""
    roots = [os.environ.get("VOIKKO_DICTIONARY_PATH", ""), os.path.expanduser("~/.voikko")]
    roots += ["/etc/voikko", "/usr/lib/voikko", "/usr/share/voikko", "/usr/local/lib/voikko"]
    found = []
    for root in roots:
        for path in sorted(glob(os.path.join(root, "*", "mor-*", "*"))) if root else ():
            found.append(diskcache.file_stamp(path))
    return found


def _library_files() -> list[tuple[str, int, int]]:
    """The stamps of the loaded libvoikko (Linux: from the process's maps) and its Python API."""
    import libvoikko

    stamps = [diskcache.file_stamp(str(libvoikko.__file__))]
    try:
        with open("/proc/self/maps", encoding="utf-8") as maps:
            paths = {line.split()[-1] for line in maps if "libvoikko" in line}
    except OSError:
        paths = set()
    stamps += [diskcache.file_stamp(path) for path in sorted(paths) if os.path.isfile(path)]
    return stamps


def _key() -> str | None:
    from kanalvakt.moderation.screening import morphology

    morphology._voikko()  # loaded, so its library is in the process's maps
    try:
        wordlist = diskcache.file_stamp(morphology._wordlist("fi"))
    except (LookupError, OSError):
        return None
    sources = diskcache.source_digest(__file__, morphology.__file__)
    stamps = [_library_files(), _dictionary_files(), wordlist]
    return diskcache.key(NAME, TABLE_ZIPF, morphology.MIN_ZIPF, stamps, sources)


def _words() -> Iterator[str]:
    from kanalvakt.moderation.screening import morphology

    for index, band in enumerate(morphology._bands("fi")):
        if morphology._band_figure(index) < TABLE_ZIPF:
            return
        yield from band


def _encode(readings: Readings) -> str:
    out = []
    for reading in readings:
        fields = (
            reading.baseform,
            reading.word_class,
            _PART.join(reading.parts),
            reading.person,
            reading.mood,
            reading.negative,
            reading.possessive,
            reading.case,
            reading.tense,
        )
        out.append(_FIELD.join(fields))
    return _READING.join(out)


def _decode(stored: str) -> Readings:
    from kanalvakt.moderation.screening.morphology import Analysis

    if not stored:
        return ()
    out = []
    for reading in stored.split(_READING):
        base, word_class, parts, person, mood, negative, possessive, case, tense = reading.split(
            _FIELD
        )
        out.append(
            Analysis(
                base, word_class, tuple(parts.split(_PART)), person, mood, negative, possessive,
                case, tense,
            )
        )  # fmt: skip
    return tuple(out)


def _storable(word: str, text: str, readings: Readings) -> bool:
    """Does `text` (`_encode(readings)`) read back as `readings`?"""
    separators = (_READING, _FIELD, _PART)
    return not any(mark in word for mark in separators) and _decode(text) == readings


def _payload(analyse: Callable[[str], Readings]) -> list[bytes]:
    """The file: counts, each word's offset into the readings, the readings, the trie."""
    import marisa_trie
    import numpy as np

    stored = {}
    for word in _words():
        found = analyse(word)
        text = _encode(found)
        if _storable(word, text, found):
            stored[word] = text.encode("utf-8")
    trie = marisa_trie.Trie(stored)
    ends = np.zeros(len(trie) + 1, dtype=np.uint64)
    chunks = [b""] * len(trie)
    for word, number in trie.items():
        chunks[number] = stored[word]
    ends[1:] = np.cumsum([len(chunk) for chunk in chunks], dtype=np.uint64)
    readings = b"".join(chunks)
    trie_bytes: bytes = trie.tobytes()
    head = _COUNTS.pack(len(trie), len(readings), len(trie_bytes))
    body = [head, ends.astype("<u8").tobytes(), readings]
    size = sum(map(len, body))
    return [*body, diskcache.padding(size), trie_bytes]


def _mapped(payload: memoryview) -> Lookup | None:
    import marisa_trie

    try:
        count, size, trie_size = _COUNTS.unpack_from(payload)
        start = _COUNTS.size
        ends = payload[start : start + 8 * (count + 1)].cast("Q")
        start += 8 * (count + 1)
        readings = payload[start : start + size]
        start += size
        start += -start % diskcache.ALIGN
        trie = marisa_trie.Trie()
        trie.map(payload[start : start + trie_size])
    except (ValueError, TypeError, RuntimeError, struct.error):
        return None
    if len(trie) != count or len(ends) != count + 1 or ends[count] != size:
        return None
    find = trie.get

    def lookup(word: str) -> Readings | None:
        number = find(word)
        if number is None:
            return None
        return _decode(str(readings[ends[number] : ends[number + 1]], "utf-8"))

    return lookup


@cache
def table(analyse: Callable[[str], Readings]) -> Lookup:
    """Stored readings by word (None for a word not in the table); built and stored if absent.

    `analyse` is Voikko's reading of one word (`morphology._voikko_analyses`).
    """
    digest = _key()
    if digest is None:
        return _none
    payload = diskcache.read(NAME, digest)
    found = _mapped(payload) if payload is not None else None
    if found is not None:
        return found
    if not diskcache.write(NAME, digest, lambda: _payload(analyse)):
        return _none  # nowhere to keep it (nothing was built): Voikko reads every word
    payload = diskcache.read(NAME, digest)
    return (_mapped(payload) if payload is not None else None) or _none


def _none(word: str) -> Readings | None:
    return None
