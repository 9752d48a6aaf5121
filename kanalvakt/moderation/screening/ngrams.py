"""The learned scorer's word buckets for many new words at once (issue 8).

`hashing.word_buckets(word)` hashes a word's letter n-grams one CRC-32 call
each: about twenty calls for an ordinary word, the larger part of what a
never-seen word costs the learned scorer. `batch_buckets(words)` gives the
same buckets in the same order for a whole batch's new words, running
CRC-32's table steps over all their n-grams at once in numpy (zlib's CRC-32
is the reflected table algorithm, so every bucket is the same integer).
Words with letters outside ASCII, whose n-grams are characters of varying
length in UTF-8, keep `word_buckets`.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING

from kanalvakt.moderation.screening.hashing import (
    _CRC_C,
    DIM,
    NGRAM_MAX_WORD,
    NGRAM_MIN_WORD,
    NGRAMS,
    word_buckets,
)

if TYPE_CHECKING:
    import numpy as np

_CRC_W, _CRC_P = (zlib.crc32(prefix) for prefix in (b"w:", b"p:"))


@cache
def _table() -> np.ndarray:
    """CRC-32's byte table (polynomial 0xEDB88320, reflected), as zlib computes it."""
    import numpy as np

    table = np.arange(256, dtype=np.uint32)
    for _ in range(8):
        table = np.where(table & 1, (table >> 1) ^ np.uint32(0xEDB88320), table >> 1)
    return table.astype(np.uint32)


def _marked(word: str) -> str:
    marked = f"<{word}>"
    if len(word) > NGRAM_MAX_WORD:
        marked = marked[: NGRAM_MAX_WORD // 2] + marked[-NGRAM_MAX_WORD // 2 :]
    return marked


def batch_buckets(words: Sequence[str]) -> tuple[list[int], list[int]]:
    """Every word's `word_buckets`, one after another, and how many each word has."""
    import numpy as np

    mask = DIM - 1
    crc32 = zlib.crc32
    own: list[int] = []  # per word: w: and p:, or all of word_buckets for a slow word
    own_counts: list[int] = []
    data: list[bytes] = []
    lengths: list[int] = []  # the marked word's length, 0 for a slow word
    for word in words:
        marked = _marked(word) if len(word) >= NGRAM_MIN_WORD else ""
        if marked and marked.isascii():
            own.append(crc32(word.encode(), _CRC_W) & mask)
            if len(word) > 5:
                own.append(crc32(word[:5].encode(), _CRC_P) & mask)
                own_counts.append(2)
            else:
                own_counts.append(1)
            data.append(marked.encode())
            lengths.append(len(marked))
        else:
            found = word_buckets(word)
            own += found
            own_counts.append(len(found))
            lengths.append(0)
    sizes = np.asarray(lengths, dtype=np.int64)
    counts = [np.where(sizes > 0, np.maximum(sizes - size + 1, 0), 0) for size in NGRAMS]
    own_number = np.asarray(own_counts, dtype=np.int64)
    totals = own_number + sum(counts)
    starts = np.concatenate(([0], np.cumsum(totals)[:-1]))
    out = np.empty(int(totals.sum()), dtype=np.int64)
    out[_spread(starts, own_number)] = own
    if data:
        buffer = np.frombuffer(b"".join(data), dtype=np.uint8).astype(np.uint32)
        offsets = np.concatenate(([0], np.cumsum(sizes)[:-1]))  # a slow word has no bytes
        before = starts + own_number
        for size, count in zip(NGRAMS, counts, strict=True):
            at = _spread(before, count)
            first = _spread(offsets, count)
            out[at] = _hashed(buffer, first, size)
            before = before + count
    return out.tolist(), totals.tolist()


def _spread(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """starts[i], starts[i] + 1, … counts[i] of them, for every i in order."""
    import numpy as np

    owner = np.repeat(np.arange(len(counts)), counts)
    firsts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    result: np.ndarray = starts[owner] + np.arange(int(counts.sum())) - firsts[owner]
    return result


def _hashed(buffer: np.ndarray, starts: np.ndarray, size: int) -> np.ndarray:
    """The bucket of each n-gram buffer[start : start + size]: zlib.crc32(…, "c:")'s steps."""
    import numpy as np

    table = _table()
    state = np.full(len(starts), ~np.uint32(_CRC_C), dtype=np.uint32)
    for step in range(size):
        state = table[(state ^ buffer[starts + step]) & 0xFF] ^ (state >> np.uint32(8))
    result: np.ndarray = ~state & np.uint32(DIM - 1)
    return result
