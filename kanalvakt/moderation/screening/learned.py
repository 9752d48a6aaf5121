"""The learned scorer (MOD-7): hashed n-gram logistic regression, one per category.

Pure Python, no numerical library: a comment becomes a sparse vector of
hashed features (words, word pairs, character 3–5-grams of the normalised
words, so disguises are already undone), and each category has its own
logistic regression trained with AdaGrad. A model is versioned, carries its
evaluation figures and serialises to JSON bytes (`to_bytes`/`from_bytes`)
so the lead can keep it in the database.

`retrain(current, decisions)` trains a candidate from the base data plus the
moderators' decisions and returns it only if it scores better than the
current model on a held-out share of the decisions.
"""

from __future__ import annotations

import base64
import json
import math
import random
import zlib
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from kanalvakt.moderation.screening.normalise import normalise

DIM = 1 << 16
MAX_POSITIVE_WEIGHT = 3.0
LEARNING_RATE = 0.5
L2 = 1e-6
FORMAT = "kanalvakt/learned-scorer@1"
MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "model" / "learned-v1.json"

Example = tuple[str, str | None]  # (text, category or None for acceptable)
Vector = list[tuple[int, float]]


def _hash(feature: str) -> int:
    return zlib.crc32(feature.encode("utf-8")) & (DIM - 1)


def _word_features(word: str) -> list[int]:
    indices = [_hash("w:" + word)]
    padded = f" {word} "
    for size in (3, 4, 5):
        indices.extend(
            _hash(f"c{size}:{padded[i : i + size]}") for i in range(len(padded) - size + 1)
        )
    return indices


def vectorise(text: str) -> tuple[Vector, list[list[int]]]:
    """The feature vector of a text and, per token, the features it produced."""
    tokens = normalise(text).tokens
    per_token = [_word_features(token.form) for token in tokens]
    counts: dict[int, float] = {}
    for indices in per_token:
        for index in indices:
            counts[index] = counts.get(index, 0.0) + 1.0
    for first, second in zip(tokens, tokens[1:], strict=False):
        index = _hash(f"b:{first.form} {second.form}")
        counts[index] = counts.get(index, 0.0) + 1.0
    counts[_hash("bias-length:" + str(min(len(tokens), 30) // 5))] = 1.0
    norm = math.sqrt(sum(value * value for value in counts.values())) or 1.0
    return [(index, value / norm) for index, value in counts.items()], per_token


def _sigmoid(value: float) -> float:
    if value < -35:
        return 0.0
    return 1.0 / (1.0 + math.exp(-value))


@dataclass
class Classifier:
    weights: array[float]
    bias: float
    threshold: float

    def margin(self, vector: Vector) -> float:
        weights = self.weights
        return self.bias + sum(weights[index] * value for index, value in vector)


@dataclass
class Model:
    version: str
    classifiers: dict[str, Classifier]
    evaluation: dict[str, Any] = field(default_factory=dict)
    trained_on: dict[str, Any] = field(default_factory=dict)

    def predict(self, text: str) -> dict[str, float]:
        vector, _ = vectorise(text)
        return {
            category: _sigmoid(classifier.margin(vector))
            for category, classifier in self.classifiers.items()
        }

    def score(self, text: str) -> list[tuple[str, float, int | None]]:
        """Categories at or over their threshold: (category, probability, token index).

        The token is the word that pushed the score up most: the evidence shown.
        """
        vector, per_token = vectorise(text)
        found: list[tuple[str, float, int | None]] = []
        for category, classifier in self.classifiers.items():
            probability = _sigmoid(classifier.margin(vector))
            if probability < classifier.threshold:
                continue
            weights = classifier.weights
            best: int | None = None
            best_weight = 0.0
            for number, indices in enumerate(per_token):
                weight = sum(weights[index] for index in indices)
                if weight > best_weight:
                    best, best_weight = number, weight
            found.append((category, probability, best))
        return found

    def to_bytes(self) -> bytes:
        document = {
            "format": FORMAT,
            "version": self.version,
            "dim": DIM,
            "evaluation": self.evaluation,
            "trained_on": self.trained_on,
            "classifiers": {
                category: {
                    "bias": classifier.bias,
                    "threshold": classifier.threshold,
                    "weights": base64.b64encode(
                        zlib.compress(classifier.weights.tobytes(), 9)
                    ).decode("ascii"),
                }
                for category, classifier in self.classifiers.items()
            },
        }
        return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")

    @classmethod
    def from_bytes(cls, data: bytes) -> Model:
        document = json.loads(data)
        if document.get("format") != FORMAT or document.get("dim") != DIM:
            raise ValueError("not a kanalvakt learned-scorer model of this format")
        classifiers = {}
        for category, raw in document["classifiers"].items():
            weights = array("f")
            weights.frombytes(zlib.decompress(base64.b64decode(raw["weights"])))
            classifiers[category] = Classifier(weights, float(raw["bias"]), float(raw["threshold"]))
        return cls(
            version=str(document["version"]),
            classifiers=classifiers,
            evaluation=dict(document.get("evaluation", {})),
            trained_on=dict(document.get("trained_on", {})),
        )


def _fit(
    vectors: Sequence[Vector], labels: Sequence[bool], *, epochs: int, seed: int
) -> tuple[array[float], float]:
    """Binary logistic regression by AdaGrad with class weights and light L2."""
    weights = array("f", bytes(4 * DIM))
    squares = array("f", [1e-6]) * DIM
    bias, bias_square = 0.0, 1e-6
    positives = sum(labels) or 1
    positive_weight = min(MAX_POSITIVE_WEIGHT, max(1.0, (len(labels) - positives) / positives))
    rate, l2 = LEARNING_RATE, L2
    order = list(range(len(vectors)))
    shuffle = random.Random(seed).shuffle  # noqa: S311 - reproducible order, not secrecy
    for _ in range(epochs):
        shuffle(order)
        for number in order:
            vector = vectors[number]
            target = 1.0 if labels[number] else 0.0
            margin = bias + sum(weights[index] * value for index, value in vector)
            error = (_sigmoid(margin) - target) * (positive_weight if target else 1.0)
            for index, value in vector:
                gradient = error * value + l2 * weights[index]
                squares[index] += gradient * gradient
                weights[index] -= rate * gradient / math.sqrt(squares[index])
            bias_square += error * error
            bias -= rate * error / math.sqrt(bias_square)
    return weights, bias


def _best_threshold(probabilities: Sequence[float], labels: Sequence[bool]) -> float:
    """The threshold with the best F0.5 (precision weighs double) on held-out data."""
    best, best_score = 0.5, -1.0
    for step in range(30, 81, 5):  # a ceiling: the tuning share is small
        threshold = step / 100
        figures = _figures([p >= threshold for p in probabilities], labels)
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
    version: str = "v1",
    epochs: int = 4,
    seed: int = 1,
    categories: Iterable[str] | None = None,
) -> Model:
    """A model with one classifier per category present in `examples`."""
    wanted = sorted(set(categories or {c for _, c in examples if c is not None}))
    fit_part, tune_part = _split(examples, 0.15, seed)
    fit_vectors = [vectorise(text)[0] for text, _ in fit_part]
    tune_vectors = [vectorise(text)[0] for text, _ in tune_part]
    classifiers: dict[str, Classifier] = {}
    for category in wanted:
        labels = [label == category for _, label in fit_part]
        weights, bias = _fit(fit_vectors, labels, epochs=epochs, seed=seed)
        classifier = Classifier(weights, bias, 0.5)
        tune_labels = [label == category for _, label in tune_part]
        if sum(tune_labels) >= 5:
            probabilities = [_sigmoid(classifier.margin(vector)) for vector in tune_vectors]
            classifier.threshold = _best_threshold(probabilities, tune_labels)
        # the final weights use every example, the threshold stays as tuned
        all_labels = labels + tune_labels
        classifier.weights, classifier.bias = _fit(
            fit_vectors + tune_vectors, all_labels, epochs=epochs, seed=seed
        )
        classifiers[category] = classifier
    counts: dict[str, int] = {}
    for _, label in examples:
        counts[label or "none"] = counts.get(label or "none", 0) + 1
    return Model(version=version, classifiers=classifiers, trained_on={"examples": counts})


def evaluate(model: Model, examples: Sequence[Example]) -> dict[str, Any]:
    """Precision, recall and F1 per category at the model's thresholds, and their mean."""
    predictions = [dict(model.predict(text)) for text, _ in examples]
    result: dict[str, Any] = {"examples": len(examples), "categories": {}}
    f1s = []
    for category, classifier in model.classifiers.items():
        predicted = [p[category] >= classifier.threshold for p in predictions]
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
    categories = set(current.classifiers) | {c for _, c in decisions if c is not None}
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
