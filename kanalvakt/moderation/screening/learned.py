"""The learned scorer (MOD-7): hashed features, a head per category and a review head.

numpy and scikit-learn (issue 8). A comment becomes hashed features
(`hashing.py`: words, five-letter prefixes, letter 3–5-grams inside words,
word pairs, link, length band). Each category has a logistic regression whose
threshold is tuned for F0.5 (precision weighs double); a binary **review
head**, trained on every label but self-harm pooled against acceptable text,
says whether a moderator should look at a comment at all. Its threshold is
chosen for toxic-vs-benign F1 on writers held out of training
(`datasets.build_bundled`). scikit-learn is loaded for training only
(`training.py`); scoring is numpy alone, a batch at a time.

A model is linear and each feature's value is its count over the square root
of the text's number of features, so the model caches, per distinct word, the
summed weights of the word's own features for every head (and its feature
count): a batch is one gather of word rows and one of the pairs' buckets.

A model is versioned, carries its evaluation and training counts, and
serialises to JSON bytes (`to_bytes`/`from_bytes`: float16 weights, pruned
and zlib-compressed) so the moderation app can keep it in the database. A
model of an earlier format is refused (ValueError), not misread.
`retrain(current, decisions)` trains a candidate from the base data plus
moderators' decisions and returns it only when it scores better than the
current model on a held-out share of the decisions.
"""

from __future__ import annotations

import base64
import json
import threading
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from kanalvakt.moderation.screening.hashing import (
    _HAS_LINK,
    _LENGTHS,
    _LINK,
    DIM,
    _words,
    pair_ends,
    word_buckets,
)
from kanalvakt.moderation.screening.hashing import Batch as Batch  # the API before the split
from kanalvakt.moderation.screening.hashing import features as features
from kanalvakt.moderation.screening.ngrams import batch_buckets
from kanalvakt.moderation.screening.normalise import normalise

if TYPE_CHECKING:
    import numpy as np

SELF_HARM = "self_harm"
REVIEW = "review"  # the binary head's name in `predict` and in stored thresholds
PRUNE = 1e-2
FORMAT = "kanalvakt/learned-scorer@3"
MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "model" / "learned-v3.json"
WORD_CACHE = 200_000
BATCH_HASHING = 64  # this many new words or more are hashed at once (ngrams.py)

Example = tuple[str, str | None]  # (text, category or None for acceptable)


class Assessment(NamedTuple):
    """What the scorer says of one text."""

    found: list[tuple[str, float, int | None]]  # categories over their thresholds
    review: tuple[str, float, int | None] | None  # the review head's finding, when no category


@dataclass(eq=False)
class Model:
    version: str
    categories: list[str]
    weights: np.ndarray  # float32, (categories + the review head) × DIM
    biases: np.ndarray  # float32, one per category, then the review head's
    thresholds: np.ndarray  # float32, likewise
    evaluation: dict[str, Any] = field(default_factory=dict)
    trained_on: dict[str, Any] = field(default_factory=dict)
    _cache: dict[str, tuple[int, int, bytes]] = field(default_factory=dict, repr=False)
    _pending: list[str] = field(default_factory=list, repr=False)  # new words, hashed by _flush
    _vectors: Any = field(default=None, repr=False)
    _columns: Any = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def classifiers(self) -> dict[str, float]:
        """The categories and their thresholds."""
        return {c: float(t) for c, t in zip(self.categories, self.thresholds, strict=False)}

    @property
    def review_threshold(self) -> float:
        return float(self.thresholds[-1])

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """texts × (categories + review head) probabilities."""
        import numpy as np

        heads = len(self.categories) + 1
        if not texts:
            return np.zeros((0, heads), dtype=np.float32)
        margins = self._margins(texts)
        return np.asarray(1.0 / (1.0 + np.exp(-np.clip(margins, -35, 35))), dtype=np.float32)

    def predict(self, text: str) -> dict[str, float]:
        row = self.probabilities([text])[0]
        return {name: float(p) for name, p in zip([*self.categories, REVIEW], row, strict=True)}

    def assess_batch(self, texts: Sequence[str]) -> list[Assessment]:
        """Per text, the categories over their thresholds, else the review head's finding.

        A finding's score is its probability rescaled so that the head's
        threshold sits at 0.5 and certainty at 1. The evidence is the index of
        the token of `normalise(text)` whose own features push the head up most.
        """
        import numpy as np

        probabilities = self.probabilities(texts)
        over = probabilities >= self.thresholds
        scores = 0.5 + 0.5 * (probabilities - self.thresholds) / np.maximum(
            1e-6, 1.0 - self.thresholds
        )
        out = [Assessment([], None) for _ in texts]
        review = len(self.categories)
        rows, columns = np.nonzero(over)
        for row, number in zip(rows.tolist(), columns.tolist(), strict=True):
            if number != review:
                out[row].found.append(
                    (
                        self.categories[number],
                        float(scores[row, number]),
                        self._evidence(texts[row], number),
                    )
                )
        likely = self._likely(probabilities)
        for row in np.nonzero(over[:, review])[0].tolist():
            if not out[row].found and likely[row] is not None:
                category = str(likely[row])
                finding = (category, float(scores[row, review]), self._evidence(texts[row], review))
                out[row] = Assessment([], finding)
        return out

    def score_batch(self, texts: Sequence[str]) -> list[list[tuple[str, float, int | None]]]:
        """Per text, its findings: the categories over their thresholds, else the review head's."""
        return [
            found.found or ([found.review] if found.review else [])
            for found in self.assess_batch(texts)
        ]

    def score(self, text: str) -> list[tuple[str, float, int | None]]:
        return self.score_batch([text])[0]

    def _likely(self, probabilities: np.ndarray) -> list[str | None]:
        """Each text's most likely category but self-harm (which the review head leaves out)."""
        import numpy as np

        named = [c for c in self.categories if c != SELF_HARM]
        if not named:
            return [None] * len(probabilities)
        columns = [self.categories.index(c) for c in named]
        best = np.argmax(probabilities[:, columns], axis=1).tolist()
        return [named[number] for number in best]

    def _margins(self, texts: Sequence[str]) -> np.ndarray:
        """texts × heads: the words' cached sums plus the pairs', link and length buckets."""
        import numpy as np

        with self._lock:
            if self._vectors is None or len(self._cache) > WORD_CACHE:
                self._reset()
            known = self._cache.get
            learn = self._learn
            mask = DIM - 1
            crc32 = zlib.crc32
            rows: list[int] = []
            word_starts: list[int] = []
            others: list[int] = []
            other_starts: list[int] = []
            for text in texts:
                entries = [known(word) or learn(word) for word in _words(text)]
                word_starts.append(len(rows))
                rows.append(0)  # a row of zeros: no text's segment is empty
                rows += [entry[0] for entry in entries]
                other_starts.append(len(others))
                if len(entries) > 1:
                    others += [
                        crc32(second[2], first[1]) & mask
                        for first, second in zip(entries, entries[1:], strict=False)
                    ]
                if ("." in text or "http" in text) and _LINK.search(text):
                    others.append(_HAS_LINK)
                others.append(_LENGTHS[min(len(entries), 30) // 5])
            if self._pending:
                self._flush()
            words = np.add.reduceat(self._vectors[rows], word_starts, axis=0)
            other = np.add.reduceat(self._columns[others], other_starts, axis=0)
        counts = words[:, -1] + np.diff(np.asarray([*other_starts, len(others)], dtype=np.float32))
        result: np.ndarray = (words[:, :-1] + other) / np.sqrt(counts)[:, None] + self.biases
        return result

    def _reset(self) -> None:
        import numpy as np

        self._cache.clear()
        self._pending.clear()
        self._vectors = np.zeros((1024, len(self.biases) + 1), dtype=np.float32)
        self._columns = np.ascontiguousarray(self.weights.T)

    def _learn(self, word: str) -> tuple[int, int, bytes]:
        """A new word: a row of its own, filled in by `_flush` before the batch is summed."""
        entry = self._cache[word] = (len(self._cache) + 1, *pair_ends(word))
        self._pending.append(word)
        return entry

    def _flush(self) -> None:
        """The pending words' rows: summed weights per head and their number of features."""
        import numpy as np

        if len(self._pending) >= BATCH_HASHING:
            flat, sizes = batch_buckets(self._pending)
        else:
            found = [word_buckets(word) for word in self._pending]
            flat = [bucket for buckets in found for bucket in buckets]
            sizes = [len(buckets) for buckets in found]
        starts = np.cumsum([0, *sizes[:-1]])
        first = len(self._cache) + 1 - len(sizes)
        needed = first + len(sizes)
        if needed > len(self._vectors):  # grow by doubling, not a copy per batch
            shape = (max(needed, 2 * len(self._vectors)), self._vectors.shape[1])
            grown = np.zeros(shape, dtype=np.float32)
            grown[:first] = self._vectors[:first]
            self._vectors = grown
        self._vectors[first:needed, :-1] = np.add.reduceat(self._columns[flat], starts, axis=0)
        self._vectors[first:needed, -1] = sizes
        self._pending.clear()

    def _evidence(self, text: str, head: int) -> int | None:
        forms = [token.form for token in normalise(text).tokens]
        with self._lock:
            rows = [(self._cache.get(form) or self._learn(form))[0] for form in forms]
            if self._pending:
                self._flush()
            values: list[float] = self._vectors[rows, head].tolist() if rows else []
        best: int | None = None
        best_weight = 0.0
        for number, weight in enumerate(values):
            if weight > best_weight:
                best, best_weight = number, weight
        return best

    def to_bytes(self) -> bytes:
        import numpy as np

        pruned = stored(self.weights).astype(np.float16)
        document = {
            "format": FORMAT,
            "version": self.version,
            "dim": DIM,
            "categories": self.categories,
            "heads": [*self.categories, REVIEW],
            "biases": [float(b) for b in self.biases],
            "thresholds": [float(t) for t in self.thresholds],
            "weights": base64.b64encode(zlib.compress(pruned.tobytes(), 9)).decode("ascii"),
            "evaluation": self.evaluation,
            "trained_on": self.trained_on,
        }
        return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")

    @classmethod
    def from_bytes(cls, data: bytes) -> Model:
        import numpy as np

        document = json.loads(data)
        if document.get("format") != FORMAT or document.get("dim") != DIM:
            raise ValueError("not a kanalvakt learned-scorer model of this format")
        categories = [str(c) for c in document["categories"]]
        raw = zlib.decompress(base64.b64decode(document["weights"]))
        weights = np.frombuffer(raw, dtype=np.float16).astype(np.float32)
        return cls(
            version=str(document["version"]),
            categories=categories,
            weights=weights.reshape(len(categories) + 1, DIM),
            biases=np.asarray(document["biases"], dtype=np.float32),
            thresholds=np.asarray(document["thresholds"], dtype=np.float32),
            evaluation=dict(document.get("evaluation", {})),
            trained_on=dict(document.get("trained_on", {})),
        )


def stored(weights: np.ndarray) -> np.ndarray:
    """Weights as they are stored (pruned, float16), so a round trip changes nothing."""
    import numpy as np

    pruned = np.where(np.abs(weights) < PRUNE, 0, weights)
    return np.asarray(pruned.astype(np.float16), dtype=np.float32)


def train(
    examples: Sequence[Example],
    *,
    version: str = "v3",
    epochs: int = 0,  # kept for callers of the first scorer; the solver runs to convergence
    seed: int = 1,
    categories: Sequence[str] | None = None,
    weights: Sequence[float] | None = None,
    thresholds: dict[str, float] | None = None,
) -> Model:
    """A model with a head per category present in `examples` and a review head (`training`)."""
    from kanalvakt.moderation.screening import training

    return training.train(
        examples,
        version=version,
        seed=seed,
        categories=categories,
        weights=weights,
        thresholds=thresholds,
    )


def evaluate(model: Model, examples: Sequence[Example]) -> dict[str, Any]:
    """Precision, recall and F1 per category and of the review head, and the categories' mean."""
    from kanalvakt.moderation.screening import training

    return training.evaluate(model, examples)


def retrain(
    current: Model,
    decisions: Sequence[Example],
    *,
    base: Sequence[Example] | None = None,
    base_weights: Sequence[float] | None = None,
    holdout_share: float = 0.3,
    seed: int = 7,
) -> Model | None:
    """A new model from the base data plus moderators' decisions, if it measures better.

    `decisions` are (text, category or None) pairs from people's moderation
    decisions. A stable share of them is held out; the candidate replaces the
    current model only when its mean F1 there is higher. The candidate keeps
    the current review head's threshold (chosen on held-out writers).
    """
    from kanalvakt.moderation.screening import training

    return training.retrain(
        current,
        decisions,
        base=base,
        base_weights=base_weights,
        holdout_share=holdout_share,
        seed=seed,
    )


@cache
def bundled() -> Model:
    """The model shipped with Kanalvakt (its arrays from the start-up cache: modelcache.py)."""
    from kanalvakt.moderation.screening import modelcache

    return modelcache.load(MODEL_PATH.read_bytes())


def base_examples() -> tuple[list[Example], list[float]]:
    """The labelled data the bundled model was trained from, with each example's weight."""
    from kanalvakt.moderation.screening import datasets

    return datasets.weighted_training()
