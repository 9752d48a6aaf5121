"""Labelled data shipped in `kanalvakt/moderation/data/` (see ORIGIN.md there).

DKHate's OFF label (offensive: insults, profanity, hate) is mapped to
`personal_attack`, TubeSpam's spam to `advertising`; everything else is
acceptable (None). Kanalvakt's own gold set (`gold.py`) gives its train and
dev splits: the template-generated texts (dev: the retired first test split)
and the hand-written items of every writer. Its frozen test splits (v2, v3,
v4) are never read here: the lead measures them with `bench/screening/run.py`.

Each example has a weight: a hand-written or external item 1, a template's
texts together `TEMPLATE_WEIGHT` (a template expands into up to 14 near
duplicates, which would otherwise teach its wording rather than its meaning).
"""

from __future__ import annotations

import csv
import html
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from kanalvakt.moderation.screening.learned import Example

LEARNED_DIR = Path(__file__).resolve().parent.parent / "data" / "learned"
TEMPLATE_WEIGHT = 2.0  # a template's texts together weigh like this many hand-written items
DKHATE_WEIGHT = 1.0


def dkhate(split: str) -> list[Example]:
    """DKHate (Danish) 'training' or 'test' split."""
    path = LEARNED_DIR / f"offenseval-da-{split}-v1.tsv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [
            (row["tweet"], "personal_attack" if row["subtask_a"] == "OFF" else None)
            for row in rows
            if row.get("tweet")
        ]


def tubespam(split: str) -> list[Example]:
    """TubeSpam (English YouTube comments) 'train', 'val' or 'test' split."""
    path = LEARNED_DIR / f"TubeSpam_{split}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            (
                html.unescape(row["text"]).replace("\ufeff", ""),
                "advertising" if row["label"] == "1" else None,
            )
            for row in csv.DictReader(handle)
        ]


def seed() -> list[Example]:
    document = json.loads((LEARNED_DIR / "seed-sv-fi.json").read_text(encoding="utf-8"))
    return [(str(text), label) for text, label in document["examples"]]


def gold_examples(split: str) -> list[Example]:
    """Kanalvakt's own Swedish and Finnish set (`gold.py`); an item's first label."""
    from kanalvakt.moderation.screening import gold

    return [(item.text, item.labels[0] if item.labels else None) for item in gold.load(split)]


def training_examples() -> list[Example]:
    """Everything the bundled model learns from: never the gold set's frozen test splits."""
    return [(item.text, item.label) for item in labelled()]


def weighted_training() -> tuple[list[Example], list[float]]:
    """`training_examples()` and each example's weight."""
    items = labelled()
    return [(item.text, item.label) for item in items], [item.weight for item in items]


@dataclass(frozen=True)
class Labelled:
    text: str
    label: str | None
    source: str  # dkhate | tubespam | seed | templates | a writer (w, sv1, fi2, …)
    language: str  # sv | fi for the gold set, else da | en | mixed
    weight: float
    tags: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()


def writer_of(template: str) -> str | None:
    """The writer of a hand-written development item ("sv1-a001" → sv1, "wc01" → w)."""
    if "-" in template:
        return template.split("-", 1)[0]
    return "w" if template.startswith("w") else None


def labelled() -> list[Labelled]:
    """The training data with its sources; a template's texts weigh like a few items."""
    from kanalvakt.moderation.screening import gold

    items = [
        Labelled(text, label, "dkhate", "da", DKHATE_WEIGHT) for text, label in dkhate("training")
    ]
    items += [
        Labelled(text, label, "tubespam", "en", 1.0)
        for text, label in tubespam("train") + tubespam("val")
    ]
    items += [Labelled(text, label, "seed", "mixed", 1.0) for text, label in seed()]
    kept = gold.load("train") + gold.load("dev")  # never a frozen test split
    sizes = Counter((item.language, item.template) for item in kept)
    for item in kept:
        writer = writer_of(item.template)
        share = TEMPLATE_WEIGHT / sizes[item.language, item.template]
        items.append(
            Labelled(
                item.text,
                item.labels[0] if item.labels else None,
                writer or "templates",
                item.language,
                1.0 if writer else min(1.0, share),
                item.tags,
                item.labels,
            )
        )
    return items


def build_bundled(path: Path | None = None) -> dict[str, object]:
    """Train the bundled model, measure it, write it; return figures.

    The review head's threshold is the one that gives the best toxic-vs-benign
    F1 of the full screening path on writers held out of training
    (`generalisation.leave_one_writer_out`); the figures it gives are stored
    with the model. Run with `python -m kanalvakt.moderation.screening.datasets`.
    """
    from kanalvakt.moderation.screening import generalisation, learned

    items = labelled()
    folds = generalisation.leave_one_writer_out(items)
    model = learned.train(
        [(item.text, item.label) for item in items],
        version="v3",
        weights=[item.weight for item in items],
        thresholds={learned.REVIEW: folds.threshold},
    )
    model.evaluation = {
        "dkhate_test": learned.evaluate(model, dkhate("test")),
        "tubespam_test": learned.evaluate(model, tubespam("test")),
        "leave_one_writer_out": folds.summary(),
    }
    target = path or learned.MODEL_PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(model.to_bytes())
    return model.evaluation


if __name__ == "__main__":
    import pprint

    pprint.pprint(build_bundled())  # noqa: T203
