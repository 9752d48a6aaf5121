"""Development figures: the quick loop for rule changes, never the frozen test split.

    KANALVAKT_INSECURE_DEV_KEY=1 .venv/bin/python bench/screening/dev.py [--errors N]
    .../dev.py --writers [--errors N --errors-from sv1,fi1,fi4] [--category]

Prints, on the rules path unless said otherwise: toxic-vs-benign F1, benign
items suggested for removal and sharp criticism removed on the gold set's
`train` and `dev` splits, HateCheck en/sv/fi (hateful flagged, non-hateful
removed) and DKHate test (full path). `--errors N` lists up to N misses and
false flags per development split. It never loads split `test` (v2) or any
later frozen split: those are for `run.py`'s aggregate figures only.

`--writers` prints, per writer of the hand-written sets (`written-<writer>.yaml`,
split `dev`), toxic-vs-benign P/R/F1, benign removed and criticism removed on the
rules path and the full path, and nothing else (`--category` adds recall per
label). Errors are listed only for the tuning writers named by `--errors-from`
(default sv1,fi1,fi4); the other writers are held out: their items are never
printed one by one, only their aggregates.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import CATEGORIES, FULL, RULES, hatecheck_en, prf, screened  # noqa: E402

from kanalvakt.moderation.screening import datasets, gold  # noqa: E402
from kanalvakt.moderation.screening.engine import ScreeningResult  # noqa: E402


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


TUNING = ("sv1", "fi1", "fi4")


def _writer_items() -> dict[str, list[gold.GoldItem]]:
    writers: dict[str, list[gold.GoldItem]] = {}
    for item in gold.load("dev"):
        writer, dash, _ = item.template.partition("-")
        if dash and writer[:2] in gold.LANGUAGES and writer[2:].isdigit():
            writers.setdefault(writer, []).append(item)
    return dict(sorted(writers.items()))


def _writer_line(items: list[gold.GoldItem], results: list[ScreeningResult]) -> str:
    pairs = list(zip(items, results, strict=True))
    p, r, f, pos, n = prf((res.action != "none", bool(i.labels)) for i, res in pairs)
    removal = prf((res.action == "remove", bool(i.labels)) for i, res in pairs)
    benign = [(i, res) for i, res in pairs if not i.labels]
    gone = [i for i, res in benign if res.action == "remove"]
    critical = [i for i in gone if "criticism" in i.tags]
    flagged = sum(res.action != "none" for _, res in benign)
    # which detectors removed benign items: counts only, never the items
    removers = Counter(
        f.detector
        for _, res in benign
        if res.action == "remove"
        for f in res.findings
        if f.action == "remove"
    )
    return (
        f"P {p:.3f} R {r:.3f} F1 {f:.3f} ({pos}/{n}); removal R {removal[1]:.3f};"
        f" benign removed {len(gone)}/{len(benign)}, flagged {flagged};"
        f" criticism removed {len(critical)}"
        + (f" [{', '.join(f'{d} {n}' for d, n in sorted(removers.items()))}]" if removers else "")
    )


def _category_line(items: list[gold.GoldItem], results: list[ScreeningResult]) -> str:
    parts = []
    for category in CATEGORIES:
        positives = [res for i, res in zip(items, results, strict=True) if category in i.labels]
        if positives:
            hit = sum(any(f.category == category for f in res.findings) for res in positives)
            parts.append(f"{category[:12]} {hit}/{len(positives)}")
    return "      " + ", ".join(parts)


def _writers(errors: int, tuning: tuple[str, ...], categories: bool) -> None:
    for writer, items in _writer_items().items():
        role = "tuning" if writer in tuning else "held-out"
        texts = [item.text for item in items]
        for path, config in (("rules", RULES), ("full", FULL)):
            results = screened(texts, config)
            print(f"{writer} ({role}) {path:5}: {_writer_line(items, results)}")
            if categories:
                print(_category_line(items, results))
            if path != "rules" or not errors or writer not in tuning:
                continue
            pairs = list(zip(items, results, strict=True))
            for item, res in [(i, r) for i, r in pairs if not i.labels and r.action == "remove"]:
                print(f"    REMOVED {item.id} {item.tags} {item.text!r} {_why(res)}")
            for item, res in [(i, r) for i, r in pairs if not i.labels and r.action == "review"][
                :errors
            ]:
                print(f"    FLAGGED {item.id} {item.tags} {item.text!r} {_why(res)}")
            misses = [i for i, r in pairs if i.labels and r.action == "none"]
            for item in misses[:errors]:
                print(f"    MISSED {item.id} {item.labels} {item.text!r}")


def _why(result: ScreeningResult) -> str:
    return ", ".join(f"{f.detector}:{f.evidence!r}" for f in result.findings)


def _argument(name: str, default: str) -> str:
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


def main() -> None:
    errors = int(_argument("--errors", "0"))
    if "--writers" in sys.argv:
        tuning = tuple(_argument("--errors-from", ",".join(TUNING)).split(","))
        held = [w for w in tuning if w not in TUNING]
        if held:
            sys.exit(f"not a tuning writer: {', '.join(held)} (held-out items are never listed)")
        _writers(errors, tuning, "--category" in sys.argv)
        return
    _gold(errors)
    _hatecheck()
    _dkhate()


if __name__ == "__main__":
    main()
