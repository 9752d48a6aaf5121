"""Labelled data shipped in `kanalvakt/moderation/data/` (see ORIGIN.md there).

DKHate's OFF label (offensive: insults, profanity, hate) is mapped to
`personal_attack`, TubeSpam's spam to `advertising`; everything else is
acceptable (None). Kanalvakt's own gold set (`gold.py`) gives its train and
dev splits (dev: the retired first test split); its frozen test split v2 is
only ever used for evaluation.
"""

from __future__ import annotations

import csv
import html
import json
from pathlib import Path

from kanalvakt.moderation.screening.learned import Example

LEARNED_DIR = Path(__file__).resolve().parent.parent / "data" / "learned"


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
    """Everything the bundled model learns from: never the gold set's frozen test split."""
    return (
        dkhate("training")
        + tubespam("train")
        + tubespam("val")
        + seed()
        + gold_examples("train")
        + gold_examples("dev")
    )


def build_bundled(path: Path | None = None) -> dict[str, object]:
    """Train the bundled model, evaluate it on the test splits, write it; return figures.

    Run with `python -m kanalvakt.moderation.screening.datasets`.
    """
    from kanalvakt.moderation.screening import learned

    model = learned.train(training_examples(), version="v2")
    model.evaluation = {
        "dkhate_test": learned.evaluate(model, dkhate("test")),
        "tubespam_test": learned.evaluate(model, tubespam("test")),
        "gold_test": learned.evaluate(model, gold_examples("test")),
    }
    target = path or learned.MODEL_PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(model.to_bytes())
    return model.evaluation


if __name__ == "__main__":
    import pprint

    pprint.pprint(build_bundled())  # noqa: T203
