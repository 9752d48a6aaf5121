"""Hashed features of a comment for the learned scorer (issue 8), split from learned.py.

A comment becomes hashed features (CRC-32 into 2¹⁸ buckets): its words, the
first five letters of each longer word, the letter 3-, 4- and 5-grams inside
each word of four letters or more (with its start and end marked: "<idiot>"
gives "<id", "idi", …, "ot>"; they carry inflection, compounds and spelling
variants to a stranger's words), word pairs, whether it holds a link, and its
length band. Each feature counts its occurrences divided by the square root
of the text's number of features, so a word's share of a text's score is its
features' summed weights, the same for every text: the scorer caches that sum
per distinct word (`learned.Model`).

`features` gives the feature strings; `vectorise` the same features as
buckets, without building the strings: each word's buckets are computed once,
and a word pair's CRC-32 continues the first word's.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from kanalvakt.moderation.screening.normalise import ZERO_WIDTH

if TYPE_CHECKING:
    import numpy as np
    from scipy import sparse

DIM = 1 << 18
_WORD = re.compile(r"[^\W_]+")
_LINK = re.compile(r"https?:|www\.|\.(?:com|se|fi|net|org|xyz|shop|store|online|site)\b")
_ZERO_WIDTH = {ord(char): None for char in ZERO_WIDTH}


NGRAMS = (3, 4, 5)
NGRAM_MIN_WORD = 4  # a shorter word is its own feature
NGRAM_MAX_WORD = 24  # a longer "word" is a link or a keyboard smash: its start and end


def _word_features(word: str) -> list[str]:
    features = ["w:" + word]
    if len(word) > 5:
        features.append("p:" + word[:5])
    if len(word) >= NGRAM_MIN_WORD:
        marked = f"<{word}>"
        if len(word) > NGRAM_MAX_WORD:
            marked = marked[: NGRAM_MAX_WORD // 2] + marked[-NGRAM_MAX_WORD // 2 :]
        features.extend(
            "c:" + marked[start : start + size]
            for size in NGRAMS
            for start in range(len(marked) - size + 1)
        )
    return features


_ZERO_WIDTH_CHAR = re.compile("[" + "".join(sorted(ZERO_WIDTH)) + "]")


def _words(text: str) -> list[str]:
    folded = text.casefold()
    if _ZERO_WIDTH_CHAR.search(folded):
        folded = folded.translate(_ZERO_WIDTH)
    words: list[str] = _WORD.findall(folded)
    return words


def features(text: str) -> list[str]:
    """The feature strings of one text."""
    words = _words(text)
    out: list[str] = []
    for word in words:
        out.extend(_word_features(word))
    out.extend("b:" + first + " " + second for first, second in zip(words, words[1:], strict=False))
    if _LINK.search(text):
        out.append("has:link")
    out.append(f"len:{min(len(words), 30) // 5}")
    return out


def _hash_of(feature: str) -> int:
    return zlib.crc32(feature.encode("utf-8")) & (DIM - 1)


_HAS_LINK = _hash_of("has:link")
_LENGTHS = tuple(_hash_of(f"len:{band}") for band in range(7))


@dataclass(frozen=True)
class Batch:
    """A batch of texts as a sparse matrix in CSR arrays (numpy only, for a fast start).

    Each stored value is a feature's count over the square root of the
    text's number of features.
    """

    indices: np.ndarray  # int64 bucket of each stored value
    values: np.ndarray  # float32, a count over √(the row's number of features)
    indptr: np.ndarray  # int64 row starts, len(texts) + 1

    def margins(self, weights: np.ndarray, biases: np.ndarray) -> np.ndarray:
        """texts × categories: weights · row + bias (every row has a value)."""
        import numpy as np

        products = weights[:, self.indices] * self.values
        result: np.ndarray = np.add.reduceat(products, self.indptr[:-1], axis=1).T + biases
        return result

    def matrix(self) -> sparse.csr_matrix:
        from scipy import sparse

        rows = len(self.indptr) - 1
        return sparse.csr_matrix((self.values, self.indices, self.indptr), shape=(rows, DIM))


class _Word(NamedTuple):
    """The hashed features a word brings, computed once per word (words repeat)."""

    buckets: tuple[int, ...]  # w:word, p:prefix for a longer word, c:letter n-grams
    pair_start: int  # CRC-32 of "b:word ", the start of each pair it begins
    encoded: bytes  # the word in UTF-8, the end of each pair it ends


_WORDS: dict[str, _Word] = {}
_CRC_W, _CRC_P, _CRC_C = (zlib.crc32(prefix) for prefix in (b"w:", b"p:", b"c:"))


def word_buckets(word: str) -> list[int]:
    """The buckets of `_word_features(word)`, in order: each CRC-32 continues its prefix's."""
    crc32 = zlib.crc32
    mask = DIM - 1
    out = [crc32(word.encode(), _CRC_W) & mask]
    if len(word) > 5:
        out.append(crc32(word[:5].encode(), _CRC_P) & mask)
    if len(word) >= NGRAM_MIN_WORD:
        marked = f"<{word}>"
        if len(word) > NGRAM_MAX_WORD:
            marked = marked[: NGRAM_MAX_WORD // 2] + marked[-NGRAM_MAX_WORD // 2 :]
        if marked.isascii():  # a byte is a letter: slice the bytes
            data = marked.encode()
            out += [
                crc32(data[start : start + size], _CRC_C) & mask
                for size in NGRAMS
                for start in range(len(data) - size + 1)
            ]
        else:
            out += [
                crc32(marked[start : start + size].encode(), _CRC_C) & mask
                for size in NGRAMS
                for start in range(len(marked) - size + 1)
            ]
    return out


def _word(word: str) -> _Word:
    found = _WORDS.get(word)
    if found is None:
        if len(_WORDS) > 200_000:
            _WORDS.clear()
        found = _WORDS[word] = new_word(word)
    return found


def new_word(word: str) -> _Word:
    """A word's hashed features, not cached here (the scorer keeps its own cache)."""
    return _Word(tuple(word_buckets(word)), *pair_ends(word))


def pair_ends(word: str) -> tuple[int, bytes]:
    """CRC-32 of "b:word ", the start of each pair it begins; its UTF-8, the end of each it ends."""
    return zlib.crc32(f"b:{word} ".encode()), word.encode("utf-8")


def _buckets(text: str) -> list[int]:
    """The buckets of `features(text)`, in the same order, without building the strings.

    A pair's CRC-32 continues the first word's "b:word " with the second
    word's bytes, which is the CRC-32 of the whole "b:first second".
    """
    known = _WORDS.get
    words = [known(word) or _word(word) for word in _words(text)]
    out = [bucket for word in words for bucket in word[0]]
    if len(words) > 1:
        mask = DIM - 1
        crc32 = zlib.crc32
        out += [
            crc32(second[2], first[1]) & mask
            for first, second in zip(words, words[1:], strict=False)
        ]
    if ("." in text or "http" in text) and _LINK.search(text):  # a link has one or the other
        out.append(_HAS_LINK)
    out.append(_LENGTHS[min(len(words), 30) // 5])
    return out


def vectorise(texts: Sequence[str]) -> Batch:
    """The hashed features of a batch of texts, each count over √(number of features)."""
    import numpy as np

    indices: list[int] = []
    values: list[float] = []
    indptr = [0]
    for text in texts:
        buckets = _buckets(text)
        scale = 1.0 / (float(len(buckets)) ** 0.5 or 1.0)
        counts: dict[int, float] = {}
        for bucket in buckets:
            counts[bucket] = counts.get(bucket, 0.0) + scale
        indices.extend(counts)
        values.extend(counts.values())
        indptr.append(len(indices))
    return Batch(
        np.asarray(indices, dtype=np.int64),
        np.asarray(values, dtype=np.float32),
        np.asarray(indptr, dtype=np.int64),
    )
