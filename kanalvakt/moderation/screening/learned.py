"""The learned scorer (MOD-7): hashed features and one logistic regression per category.

numpy and scikit-learn (issue 8). A comment becomes a sparse vector of
hashed features (CRC-32 into 2¹⁸ buckets, l2-normalised): its words,
the first five letters of each longer word (a cheap stem, which carries
Finnish and Swedish inflection), word pairs, and whether it holds a link or
digits. Each category has a logistic regression (liblinear, positives
weighted up to three times) whose threshold is tuned for F0.5 (precision
weighs double) on a held-out 15 % of the training data (scikit-learn is
loaded for training only). Scoring is numpy alone, a batch at a time: one
gather and one segmented sum over the weight matrix.

A model is versioned, carries its evaluation and training counts, and
serialises to JSON bytes (`to_bytes`/`from_bytes`: float16 weights, pruned
and zlib-compressed) so the moderation app can keep it in the database.
`retrain(current, decisions)` trains a candidate from the base data plus
moderators' decisions and returns it only when it scores better than the
current model on a held-out share of the decisions.
"""

from __future__ import annotations

import base64
import json
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kanalvakt.moderation.screening.hashing import DIM, _word, vectorise
from kanalvakt.moderation.screening.hashing import Batch as Batch  # the API before the split
from kanalvakt.moderation.screening.hashing import features as features
from kanalvakt.moderation.screening.normalise import normalise

if TYPE_CHECKING:
    import numpy as np
    from scipy import sparse

MAX_POSITIVE_WEIGHT = 3.0
PRUNE = 1e-3
FORMAT = "kanalvakt/learned-scorer@2"
MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "model" / "learned-v2.json"

Example = tuple[str, str | None]  # (text, category or None for acceptable)


@dataclass
class Model:
    version: str
    categories: list[str]
    weights: np.ndarray  # float32, categories × DIM
    biases: np.ndarray  # float32, one per category
    thresholds: np.ndarray  # float32, one per category
    evaluation: dict[str, Any] = field(default_factory=dict)
    trained_on: dict[str, Any] = field(default_factory=dict)

    @property
    def classifiers(self) -> dict[str, float]:
        """The categories and their thresholds."""
        return {c: float(t) for c, t in zip(self.categories, self.thresholds, strict=True)}

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """texts × categories probabilities, in one matrix product."""
        import numpy as np

        if not texts or not self.categories:
            return np.zeros((len(texts), len(self.categories)), dtype=np.float32)
        margins = vectorise(texts).margins(self.weights, self.biases)
        return np.asarray(1.0 / (1.0 + np.exp(-np.clip(margins, -35, 35))), dtype=np.float32)

    def predict(self, text: str) -> dict[str, float]:
        row = self.probabilities([text])[0]
        return {category: float(p) for category, p in zip(self.categories, row, strict=True)}

    def score_batch(self, texts: Sequence[str]) -> list[list[tuple[str, float, int | None]]]:
        """Per text, the categories at or over their threshold with the evidence word.

        The evidence is the index of the token of `normalise(text)` whose own
        features push the category up most.
        """
        import numpy as np

        probabilities = self.probabilities(texts)
        out: list[list[tuple[str, float, int | None]]] = [[] for _ in texts]
        # one comparison for the whole batch; most texts have no category over its threshold
        rows, columns = np.nonzero(probabilities >= self.thresholds)
        for row, number in zip(rows.tolist(), columns.tolist(), strict=True):
            out[row].append(
                (
                    self.categories[number],
                    float(probabilities[row, number]),
                    self._evidence(texts[row], number),
                )
            )
        return out

    def score(self, text: str) -> list[tuple[str, float, int | None]]:
        return self.score_batch([text])[0]

    def _evidence(self, text: str, category: int) -> int | None:
        per_token = [_word(token.form).buckets for token in normalise(text).tokens]
        flat = [bucket for buckets in per_token for bucket in buckets]
        # one gather for the text, then each word's weights summed as floats, in order
        values: list[float] = self.weights[category][flat].tolist() if flat else []
        best: int | None = None
        best_weight = 0.0
        position = 0
        for number, buckets in enumerate(per_token):
            weight = sum(values[position : position + len(buckets)])
            position += len(buckets)
            if weight > best_weight:
                best, best_weight = number, weight
        return best

    def to_bytes(self) -> bytes:
        import numpy as np

        pruned = _stored(self.weights).astype(np.float16)
        document = {
            "format": FORMAT,
            "version": self.version,
            "dim": DIM,
            "categories": self.categories,
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
            weights=weights.reshape(len(categories), DIM),
            biases=np.asarray(document["biases"], dtype=np.float32),
            thresholds=np.asarray(document["thresholds"], dtype=np.float32),
            evaluation=dict(document.get("evaluation", {})),
            trained_on=dict(document.get("trained_on", {})),
        )


def _stored(weights: np.ndarray) -> np.ndarray:
    """Weights as they are stored (pruned, float16), so a round trip changes nothing."""
    import numpy as np

    pruned = np.where(np.abs(weights) < PRUNE, 0, weights)
    return np.asarray(pruned.astype(np.float16), dtype=np.float32)


def _fit(matrix: sparse.csr_matrix, labels: np.ndarray) -> tuple[np.ndarray, float]:
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    positives = int(labels.sum()) or 1
    weight = min(MAX_POSITIVE_WEIGHT, max(1.0, (len(labels) - positives) / positives))
    regression = LogisticRegression(
        C=4.0, solver="liblinear", class_weight={0: 1.0, 1: weight}, max_iter=200
    )
    regression.fit(matrix, labels)
    return regression.coef_[0].astype(np.float32), float(regression.intercept_[0])


def _best_threshold(probabilities: np.ndarray, labels: np.ndarray) -> float:
    """The threshold with the best F0.5 (precision weighs double) on held-out data."""
    best, best_score = 0.5, -1.0
    for step in range(30, 91, 5):
        threshold = step / 100
        figures = _figures(list(probabilities >= threshold), list(labels))
        precision, recall = figures["precision"], figures["recall"]
        score = 1.25 * precision * recall / (0.25 * precision + recall) if precision else 0.0
        if score > best_score:
            best, best_score = threshold, score
    return best


def _figures(predicted: Sequence[bool], actual: Sequence[bool]) -> dict[str, float]:
    true_pos = sum(1 for p, a in zip(predicted, actual, strict=True) if p and a)
    false_pos = sum(1 for p, a in zip(predicted, actual, strict=True) if p and not a)
    false_neg = sum(1 for p, a in zip(predicted, actual, strict=True) if a and not p)
    precision = true_pos / (true_pos + false_pos) if true_pos + false_pos else 0.0
    recall = true_pos / (true_pos + false_neg) if true_pos + false_neg else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "support": float(true_pos + false_neg),
    }


def _split(
    examples: Sequence[Example], share: float, seed: int
) -> tuple[list[Example], list[Example]]:
    """A stable split by text hash: the same text always falls on the same side."""
    kept: list[Example] = []
    held: list[Example] = []
    for example in examples:
        bucket = zlib.crc32(f"{seed}:{example[0]}".encode()) % 1000
        (held if bucket < share * 1000 else kept).append(example)
    return kept, held


def train(
    examples: Sequence[Example],
    *,
    version: str = "v2",
    epochs: int = 0,  # kept for callers of the first scorer; liblinear runs to convergence
    seed: int = 1,
    categories: Iterable[str] | None = None,
) -> Model:
    """A model with one classifier per category present in `examples`."""
    import numpy as np

    wanted = sorted(set(categories or {c for _, c in examples if c is not None}))
    fit_part, tune_part = _split(examples, 0.15, seed)
    from scipy import sparse

    fit_matrix = vectorise([text for text, _ in fit_part]).matrix()
    tune_matrix = vectorise([text for text, _ in tune_part]).matrix()
    all_matrix = sparse.vstack([fit_matrix, tune_matrix]).tocsr()
    weights = np.zeros((len(wanted), DIM), dtype=np.float32)
    biases = np.zeros(len(wanted), dtype=np.float32)
    thresholds = np.full(len(wanted), 0.5, dtype=np.float32)
    for number, category in enumerate(wanted):
        labels = np.array([label == category for _, label in fit_part], dtype=np.int8)
        tune_labels = np.array([label == category for _, label in tune_part], dtype=np.int8)
        if labels.sum() == 0 or labels.sum() == len(labels):
            biases[number] = -10.0
            continue
        coef, intercept = _fit(fit_matrix, labels)
        if tune_labels.sum() >= 5:
            margins = tune_matrix @ coef + intercept
            thresholds[number] = _best_threshold(1 / (1 + np.exp(-margins)), tune_labels)
        # the final weights use every example; the threshold stays as tuned
        weights[number], biases[number] = _fit(all_matrix, np.concatenate([labels, tune_labels]))
    counts: dict[str, int] = {}
    for _, label in examples:
        counts[label or "none"] = counts.get(label or "none", 0) + 1
    return Model(
        version=version,
        categories=wanted,
        weights=_stored(weights),
        biases=biases,
        thresholds=thresholds,
        trained_on={"examples": counts},
    )


def evaluate(model: Model, examples: Sequence[Example]) -> dict[str, Any]:
    """Precision, recall and F1 per category at the model's thresholds, and their mean."""

    probabilities = model.probabilities([text for text, _ in examples])
    result: dict[str, Any] = {"examples": len(examples), "categories": {}}
    f1s = []
    for number, category in enumerate(model.categories):
        predicted = list(probabilities[:, number] >= model.thresholds[number])
        actual = [label == category for _, label in examples]
        figures = _figures(predicted, actual)
        result["categories"][category] = figures
        if figures["support"]:
            f1s.append(figures["f1"])
    result["macro_f1"] = round(sum(f1s) / len(f1s), 4) if f1s else 0.0
    return result


def retrain(
    current: Model,
    decisions: Sequence[Example],
    *,
    base: Sequence[Example] | None = None,
    holdout_share: float = 0.3,
    seed: int = 7,
) -> Model | None:
    """A new model from the base data plus moderators' decisions, if it measures better.

    `decisions` are (text, category or None) pairs from people's moderation
    decisions. A stable share of them is held out; the candidate replaces the
    current model only when its mean F1 there is higher.
    """
    learn, held = _split(decisions, holdout_share, seed)
    if not held:
        return None
    categories = set(current.categories) | {c for _, c in decisions if c is not None}
    candidate = train(
        list(base if base is not None else base_examples()) + learn,
        version=_next_version(current.version),
        categories=categories,
    )
    before = evaluate(current, held)
    after = evaluate(candidate, held)
    if after["macro_f1"] <= before["macro_f1"]:
        return None
    candidate.evaluation = {"holdout": after, "previous_holdout": before}
    return candidate


def _next_version(version: str) -> str:
    digits = version.lstrip("v")
    return f"v{int(digits) + 1}" if digits.isdigit() else f"{version}.1"


@cache
def bundled() -> Model:
    """The model shipped with Kanalvakt."""
    return Model.from_bytes(MODEL_PATH.read_bytes())


def base_examples() -> list[Example]:
    """The labelled data the bundled model was trained from."""
    from kanalvakt.moderation.screening import datasets

    return datasets.training_examples()
