"""Development figures: the quick loop for rule changes, never the frozen test split.

    KANALVAKT_INSECURE_DEV_KEY=1 .venv/bin/python bench/screening/dev.py [--errors N]

Prints, on the rules path unless said otherwise: toxic-vs-benign F1, benign
items suggested for removal and sharp criticism removed on the gold set's
`train` and `dev` splits, HateCheck en/sv/fi (hateful flagged, non-hateful
removed) and DKHate test (full path). `--errors N` lists up to N misses and
false flags per development split. It never loads split `test` (v2) or any
later frozen split: those are for `run.py`'s aggregate figures only.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import FULL, RULES, hatecheck_en, prf, screened  # noqa: E402

from kanalvakt.moderation.screening import datasets, gold  # noqa: E402


def _gold(errors: int) -> None:
    for split in ("train", "dev"):
        for language in gold.LANGUAGES:
            items = gold.load(split, language)
            results = screened([item.text for item in items], RULES)
            pairs = [
                (r.action != "none", bool(i.labels)) for i, r in zip(items, results, strict=True)
            ]
            p, r, f, _, n = prf(pairs)
            removal = prf(
                (res.action == "remove", bool(i.labels))
                for i, res in zip(items, results, strict=True)
            )
            benign = [(i, res) for i, res in zip(items, results, strict=True) if not i.labels]
            gone = [i for i, res in benign if res.action == "remove"]
            critical = [i for i in gone if "criticism" in i.tags]
            print(
                f"{split} {language}: F1 {f:.3f} (P {p:.3f} R {r:.3f}, {n} items);"
                f" removal recall {removal[1]:.3f}; benign removed "
                f"{len(gone)}/{len(benign)}; criticism removed {len(critical)}"
            )
            if not errors:
                continue
            for item in gone[:errors]:
                print(f"    REMOVED {item.tags} {item.text!r}")
            misses = [
                i
                for i, res in zip(items, results, strict=True)
                if i.labels and res.action == "none"
            ]
            for item in misses[:errors]:
                print(f"    MISSED {item.labels} {item.text!r}")


def _hatecheck() -> None:
    suites = {"en": hatecheck_en()}
    for language in ("sv", "fi"):
        suites[language] = [(c.text, c.hateful, c.functionality) for c in gold.hatecheck(language)]
    for language, cases in suites.items():
        results = screened([text for text, _, _ in cases], FULL)
        hateful = [r for (_, h, _), r in zip(cases, results, strict=True) if h]
        benign = [r for (_, h, _), r in zip(cases, results, strict=True) if not h]
        flagged = sum(r.action != "none" for r in hateful)
        removed = sum(r.action == "remove" for r in benign)
        print(
            f"HateCheck {language}: hateful flagged {flagged}/{len(hateful)}"
            f" ({flagged / max(1, len(hateful)):.1%}); non-hateful removed {removed}/{len(benign)}"
        )


def _dkhate() -> None:
    examples = datasets.dkhate("test")
    results = screened([text for text, _ in examples], FULL)
    p, r, f, _, _ = prf(
        (res.action != "none", label is not None)
        for (_, label), res in zip(examples, results, strict=True)
    )
    print(f"DKHate test (full path): F1 {f:.3f} (P {p:.3f} R {r:.3f})")


def main() -> None:
    errors = int(sys.argv[sys.argv.index("--errors") + 1]) if "--errors" in sys.argv else 0
    _gold(errors)
    _hatecheck()
    _dkhate()


if __name__ == "__main__":
    main()
