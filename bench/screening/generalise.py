"""Leave-one-writer-out figures of the full screening path (issue 8), never a frozen split.

    KANALVAKT_INSECURE_DEV_KEY=1 .venv/bin/python bench/screening/generalise.py [WRITER ...]

Each writer of hand-written development items is held out in turn; a learned
scorer is trained on every other source and the full path (rules plus that
model) screens the held-out writer's items (`screening/generalisation.py`).
Prints Markdown: toxic-vs-benign P/R/F1 per language and per writer for the
rules path, rules plus the category heads, and the full path with the review
head (its threshold for a writer chosen on the other writers only), plus
benign items removed, criticism removed and benign items the learned scorer
alone sends to review.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("KANALVAKT_INSECURE_DEV_KEY", "1")

from kanalvakt.moderation.screening import datasets, generalisation  # noqa: E402


def _cells(figures: dict[str, float]) -> str:
    return f"{figures['precision']:.3f} / {figures['recall']:.3f} / **{figures['f1']:.3f}**"


def main() -> None:
    started = time.perf_counter()
    items = datasets.labelled()
    folds = generalisation.leave_one_writer_out(items, writers=sys.argv[1:] or None)
    summary = folds.summary()
    print(f"Review head threshold (all held-out writers pooled): {summary['threshold']:.2f}")
    print(f"Per writer (chosen on the others): {folds.thresholds}\n")
    print(
        "| held out | items | toxic | rules P / R / F1 | rules + categories | full path |"
        " benign removed | criticism removed | benign (criticism) to review by learned alone |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    rows = [(f"language {k}", v) for k, v in summary["languages"].items()]
    rows += [(f"writer {k}", v) for k, v in summary["writers"].items()]
    for name, f in rows:
        print(
            f"| {name} | {f['items']} | {f['toxic']} | {_cells(f['rules'])} |"
            f" {_cells(f['rules_and_categories'])} | {_cells(f['full'])} |"
            f" {f['benign_removed']}/{f['benign']} | {f['criticism_removed']} |"
            f" {f['benign_reviewed_by_learned']}/{f['benign']}"
            f" ({f['criticism_reviewed_by_learned']}/{f['criticism']}) |"
        )
    print("\nThe review head's threshold on held-out writers (its own alone to review):\n")
    print("| language | threshold | P / R / F1 | benign to review | criticism to review |")
    print("|---|---|---|---|---|")
    for language in sorted({o.language for o in folds.outcomes}):
        mine = [o for o in folds.outcomes if o.language == language]
        for threshold in (0.5, 0.6, 0.7, 0.8, 0.9, generalisation.NEVER):
            f = generalisation.at_threshold(mine, threshold)
            print(
                f"| {language} | {threshold:.2f} | {_cells(f)} | {f['benign_to_review']:.3f} |"
                f" {f['criticism_to_review']:.3f} |"
            )
    print(f"\n({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
