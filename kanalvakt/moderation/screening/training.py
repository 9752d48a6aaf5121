"""Training the learned scorer (issue 8): scikit-learn, loaded only here.

Every head is an l2-regularised logistic regression (liblinear) over the
hashed features of `hashing.py`, with a weight per example (`datasets`
weighs a template's near-duplicate texts down to a few hand-written items)
and positives weighted up to three times. A category's threshold is tuned for
F0.5 on a stable held-out 15 %; the review head's (toxic but self-harm
against acceptable) for F1, unless the caller gives thresholds chosen on
held-out writers. The final weights of each head use every example.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from kanalvakt.moderation.screening.hashing import DIM, vectorise
from kanalvakt.moderation.screening.learned import (
    REVIEW,
    SELF_HARM,
    Example,
    Model,
    base_examples,
    stored,
)

if TYPE_CHECKING:
    import numpy as np
    from scipy import sparse

MAX_POSITIVE_WEIGHT = 3.0
C = 4.0


def toxic(label: str | None) -> bool:
    """What the review head learns to find: any label but self-harm (which has its own path)."""
    return label is not None and label != SELF_HARM


def _fit(
    matrix: sparse.csr_matrix, labels: np.ndarray, weights: np.ndarray
) -> tuple[np.ndarray, float]:
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    positives = float(weights[labels == 1].sum()) or 1.0
    negatives = float(weights[labels == 0].sum())
    weight = min(MAX_POSITIVE_WEIGHT, max(1.0, negatives / positives))
    regression = LogisticRegression(
        C=C,
        solver="liblinear",
        dual=True,
        class_weight={0: 1.0, 1: weight},
        max_iter=200,
        random_state=0,  # liblinear shuffles: the same data gives the same model
    )
    regression.fit(matrix, labels, sample_weight=weights)
    return regression.coef_[0].astype(np.float32), float(regression.intercept_[0])


def best_threshold(probabilities: np.ndarray, labels: np.ndarray, beta: float = 0.5) -> float:
    """The threshold with the best F-beta on held-out data (0.5 weighs precision double)."""
    best, best_score = 0.5, -1.0
    for step in range(10, 91, 2):
        threshold = step / 100
        figures = figures_of(list(probabilities >= threshold), list(labels))
        precision, recall = figures["precision"], figures["recall"]
        b2 = beta * beta
        score = (1 + b2) * precision * recall / (b2 * precision + recall) if precision else 0.0
        if score > best_score:
            best, best_score = threshold, score
    return best


def figures_of(predicted: Sequence[bool], actual: Sequence[bool]) -> dict[str, float]:
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


def _held(examples: Sequence[Example], share: float, seed: int) -> np.ndarray:
    """A stable split by text hash: the same text always falls on the same side."""
    import numpy as np

    return np.array(
        [zlib.crc32(f"{seed}:{text}".encode()) % 1000 < share * 1000 for text, _ in examples]
    )


def train(
    examples: Sequence[Example],
    *,
    version: str = "v3",
    seed: int = 1,
    categories: Sequence[str] | None = None,
    weights: Sequence[float] | None = None,
    thresholds: dict[str, float] | None = None,
) -> Model:
    """A model with a head per category present in `examples` and a review head."""
    import numpy as np

    wanted = sorted(set(categories or {c for _, c in examples if c is not None}))
    given = thresholds or {}
    matrix = vectorise([text for text, _ in examples]).matrix()
    matrix.sum_duplicates()
    sample = np.asarray(weights if weights is not None else [1.0] * len(examples), np.float64)
    held = _held(examples, 0.15, seed)
    heads = [*wanted, REVIEW]
    coefficients = np.zeros((len(heads), DIM), dtype=np.float32)
    biases = np.zeros(len(heads), dtype=np.float32)
    chosen = np.full(len(heads), 0.5, dtype=np.float32)
    for number, head in enumerate(heads):
        if head == REVIEW:
            labels = np.array([toxic(label) for _, label in examples], dtype=np.int8)
            use = np.array([label != SELF_HARM for _, label in examples])
        else:
            labels = np.array([label == head for _, label in examples], dtype=np.int8)
            use = np.ones(len(examples), dtype=bool)
        if labels[use].sum() == 0 or labels[use].sum() == use.sum():
            biases[number] = -10.0
            continue
        if head in given:
            chosen[number] = given[head]
        elif labels[use & held].sum() >= 5 and labels[use & ~held].sum() > 0:
            part = use & ~held
            coef, intercept = _fit(matrix[part], labels[part], sample[part])
            margins = matrix[use & held] @ coef + intercept
            chosen[number] = best_threshold(
                1 / (1 + np.exp(-margins)), labels[use & held], 1.0 if head == REVIEW else 0.5
            )
        coefficients[number], biases[number] = _fit(matrix[use], labels[use], sample[use])
    counts: dict[str, int] = {}
    for _, label in examples:
        counts[label or "none"] = counts.get(label or "none", 0) + 1
    return Model(
        version=version,
        categories=wanted,
        weights=stored(coefficients),
        biases=biases,
        thresholds=chosen,
        trained_on={"examples": counts},
    )


def evaluate(model: Model, examples: Sequence[Example]) -> dict[str, Any]:
    """P, R and F1 per category present and of the review head; the categories' mean."""
    probabilities = model.probabilities([text for text, _ in examples])
    result: dict[str, Any] = {"examples": len(examples), "categories": {}}
    f1s = []
    for number, category in enumerate(model.categories):
        predicted = list(probabilities[:, number] >= model.thresholds[number])
        figures = figures_of(predicted, [label == category for _, label in examples])
        if figures["support"]:  # a category absent from the examples says nothing
            result["categories"][category] = figures
            f1s.append(figures["f1"])
    result["macro_f1"] = round(sum(f1s) / len(f1s), 4) if f1s else 0.0
    flagged = list(probabilities[:, -1] >= model.thresholds[-1])
    result[REVIEW] = figures_of(flagged, [toxic(label) for _, label in examples])
    return result


def retrain(
    current: Model,
    decisions: Sequence[Example],
    *,
    base: Sequence[Example] | None = None,
    base_weights: Sequence[float] | None = None,
    holdout_share: float = 0.3,
    seed: int = 7,
) -> Model | None:
    """See `learned.retrain`."""
    held_out = _held(decisions, holdout_share, seed)
    learn = [example for example, out in zip(decisions, held_out, strict=True) if not out]
    held = [example for example, out in zip(decisions, held_out, strict=True) if out]
    if not held:
        return None
    if base is None:
        base, base_weights = base_examples()
    weights = [*(base_weights or [1.0] * len(base)), *[1.0] * len(learn)]
    categories = set(current.categories) | {c for _, c in decisions if c is not None}
    candidate = train(
        [*base, *learn],
        version=_next_version(current.version),
        categories=sorted(categories),
        weights=weights,
        thresholds={REVIEW: current.review_threshold},
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
