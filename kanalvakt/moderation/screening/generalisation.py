"""Leave-one-writer-out: how far the learned scorer carries over to a stranger's text (issue 8).

Each writer of hand-written development items (`datasets.writer_of`: w, sv1,
sv2, fi1, fi2, …) is held out in turn: a model learns from every other source
(the other writers, the template texts, the external sets) and the full
screening path (rules plus that model) screens the held-out writer's items.
"Predicted toxic" is what the issue measures: the screening suggests review
or removal. The review head's threshold for a writer is the one with the best
toxic-vs-benign F1 on all *other* held-out writers pooled, so no writer's
figures are tuned on that writer; the bundled model takes the threshold that
is best on all of them pooled.

No frozen test split is read here (`datasets.labelled` never loads one).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kanalvakt.moderation.screening.config import ScreeningConfig
from kanalvakt.moderation.screening.engine import screen_many

if TYPE_CHECKING:
    from kanalvakt.moderation.screening.datasets import Labelled
    from kanalvakt.moderation.screening.learned import Model

NOT_WRITERS = frozenset({"dkhate", "tubespam", "seed", "templates"})
NEVER = 2.0  # a threshold no probability reaches: the review head off
STEPS = [step / 100 for step in range(10, 91, 2)]


@dataclass
class Outcome:
    writer: str
    language: str
    toxic: bool
    criticism: bool
    rules: str  # the rules path's action
    base: str  # rules plus the category heads
    head: float  # the review head's probability
    full: str = "none"  # rules plus the model with the writer's threshold


@dataclass
class Folds:
    outcomes: list[Outcome]
    threshold: float
    thresholds: dict[str, float] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        """Per language and per writer: the three paths' P/R/F1, removals and reviews."""
        out: dict[str, Any] = {"threshold": self.threshold, "languages": {}, "writers": {}}
        for language in sorted({o.language for o in self.outcomes}):
            mine = [o for o in self.outcomes if o.language == language]
            out["languages"][language] = figures(mine)
        for writer in sorted({o.writer for o in self.outcomes}):
            out["writers"][writer] = figures([o for o in self.outcomes if o.writer == writer])
        return out


def prf(pairs: Iterable[tuple[bool, bool]]) -> dict[str, float]:
    tp = fp = fn = 0
    for predicted, actual in pairs:
        tp += predicted and actual
        fp += predicted and not actual
        fn += actual and not predicted
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3)}


def figures(outcomes: Sequence[Outcome]) -> dict[str, Any]:
    benign = [o for o in outcomes if not o.toxic]
    return {
        "items": len(outcomes),
        "toxic": sum(o.toxic for o in outcomes),
        "rules": prf((o.rules != "none", o.toxic) for o in outcomes),
        "rules_and_categories": prf((o.base != "none", o.toxic) for o in outcomes),
        "full": prf((o.full != "none", o.toxic) for o in outcomes),
        "benign": len(benign),
        "benign_removed": sum(o.full == "remove" for o in benign),
        "criticism_removed": sum(o.full == "remove" for o in benign if o.criticism),
        "benign_reviewed_by_learned": sum(learned_alone(o) for o in benign),
        "criticism": sum(o.criticism for o in benign),
        "criticism_reviewed_by_learned": sum(learned_alone(o) for o in benign if o.criticism),
    }


def learned_alone(outcome: Outcome) -> bool:
    """The learned scorer sends the item to review where the rules alone would not."""
    return outcome.full == "review" and outcome.rules == "none"


def at_threshold(outcomes: Sequence[Outcome], threshold: float) -> dict[str, Any]:
    """What a review head threshold does on held-out writers: toxic-vs-benign P/R/F1 of
    the path, and the share of benign items and of criticism the head alone sends to review."""
    benign = [o for o in outcomes if not o.toxic]
    criticism = [o for o in benign if o.criticism]

    def alone(o: Outcome) -> bool:
        return o.base == "none" and o.head >= threshold

    return {
        **prf(((o.base != "none" or o.head >= threshold), o.toxic) for o in outcomes),
        "benign_to_review": round(sum(map(alone, benign)) / max(1, len(benign)), 3),
        "criticism_to_review": round(sum(map(alone, criticism)) / max(1, len(criticism)), 3),
    }


def best_threshold(outcomes: Sequence[Outcome]) -> float:
    """The review head threshold with the best pooled toxic-vs-benign F1 (ties: the higher)."""
    return max(STEPS, key=lambda t: (at_threshold(outcomes, t)["f1"], t))


def _screen(items: Sequence[Labelled], model: Model | None) -> list[str]:
    config = ScreeningConfig.default(model=model, use_learned=model is not None)
    texts = [item.text for item in items]
    actions: list[str] = []
    for start in range(0, len(texts), 256):
        actions += [r.action for r in screen_many(texts[start : start + 256], config=config)]
    return actions


def _with_threshold(model: Model, threshold: float) -> Model:
    model.thresholds[-1] = threshold
    return model


def leave_one_writer_out(
    items: Sequence[Labelled], *, writers: Sequence[str] | None = None
) -> Folds:
    """Hold each writer out in turn; the outcomes on every held-out item."""
    from kanalvakt.moderation.screening import learned

    chosen = sorted(writers or {i.source for i in items if i.source not in NOT_WRITERS})
    models: dict[str, Model] = {}
    outcomes: list[Outcome] = []
    for writer in chosen:
        rest = [i for i in items if i.source != writer]
        held = [i for i in items if i.source == writer]
        model = learned.train([(i.text, i.label) for i in rest], weights=[i.weight for i in rest])
        models[writer] = model
        head = model.probabilities([i.text for i in held])[:, -1].tolist()
        rules = _screen(held, None)
        base = _screen(held, _with_threshold(model, NEVER))
        outcomes += [
            Outcome(
                writer,
                item.language,
                bool(item.labels or item.label),
                "criticism" in item.tags,
                *found,
            )
            for item, *found in zip(held, rules, base, head, strict=True)
        ]
    thresholds = {}
    for writer in chosen:
        others = [o for o in outcomes if o.writer != writer]
        thresholds[writer] = best_threshold(others) if others else 0.5
        mine = [o for o in outcomes if o.writer == writer]
        held = [i for i in items if i.source == writer]
        full = _screen(held, _with_threshold(models[writer], thresholds[writer]))
        for outcome, action in zip(mine, full, strict=True):
            outcome.full = action
    return Folds(outcomes, best_threshold(outcomes) if outcomes else 0.5, thresholds)
