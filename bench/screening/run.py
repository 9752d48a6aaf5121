"""Screening benchmark: quality on labelled data and speed, printed as Markdown tables.

    KANALVAKT_INSECURE_DEV_KEY=1 .venv/bin/python bench/screening/run.py [--quick]

Quality: precision, recall and F1 per data set, category and detected
language; the share of HateCheck's non-hateful cases suggested for removal;
synthetic personnummer sentences; Kanalvakt's own criticism sentences.
Speed: items per second on one core for the rules path and the full path,
against a bare compiled-regex scan of the same word list and better-profanity
(`pip install better-profanity`), on the same texts in the same run.

HateCheck is read from ../shared/moderation-data (KANALVAKT_MODERATION_DATA
overrides); DKHate and TubeSpam test splits ship in the package.
"""

from __future__ import annotations

import csv
import json
import os
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kanalvakt.settings")
os.environ.setdefault("KANALVAKT_INSECURE_DEV_KEY", "1")

from kanalvakt.moderation.screening import ScreeningConfig, datasets, lexicon, normalise, screen  # noqa: E402  # noqa: E402
from kanalvakt.moderation.screening.engine import ScreeningResult  # noqa: E402

DATA = Path(os.environ.get("KANALVAKT_MODERATION_DATA", REPO.parent / "shared" / "moderation-data"))
OFFENSIVE = {
    "personal_attack",
    "obscenity",
    "hate_speech",
    "threat",
    "incitement",
    "sexual_harassment",
    "defamation",
}
FULL = ScreeningConfig.default()
RULES = ScreeningConfig.default(use_learned=False)

CRITICISM = [
    "Kommunen sköter snöröjningen uselt",
    "Det här beslutet är helt fel",
    "Kommunen sköter snöröjningen jävligt uselt, skäms!",
    "Vilket idiotiskt beslut, ni borde avgå allihop",
    "Politikerna är inkompetenta och borde avgå",
    "Skandal! Ni har totalt misslyckats med skolan",
    "Ni är helt värdelösa på att svara, tre veckor har jag väntat",
    "Vilka idioter som planerade den här korsningen",
    "Fy fan vad dåligt ni sköter vägarna",
    "Det är ett hot mot demokratin när ni stänger biblioteket",
    "Kunta hoitaa lumitöitä surkeasti",
    "Tämä päätös on täysin väärä, hävetkää",
    "Päättäjät ovat täysin kyvyttömiä ja heidän pitäisi erota",
    "Ihan vitun huono päätös taas",
    "This decision is a disgrace and the council should resign",
]


def prf(pairs: Iterable[tuple[bool, bool]]) -> tuple[float, float, float, int, int]:
    """Precision, recall, F1, positives, items for (predicted, actual) pairs."""
    tp = fp = fn = n = pos = 0
    for predicted, actual in pairs:
        n += 1
        pos += actual
        tp += predicted and actual
        fp += predicted and not actual
        fn += actual and not predicted
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, pos, n


def row(name: str, figures: tuple[float, float, float, int, int]) -> str:
    p, r, f, pos, n = figures
    return f"| {name} | {p:.3f} | {r:.3f} | {f:.3f} | {pos} | {n} |"


HEADER = (
    "| set · category · path · language | precision | recall | F1 | positives | items |\n"
    "|---|---|---|---|---|---|"
)


def flagged(result: ScreeningResult, categories: set[str], *, remove: bool) -> bool:
    return any(
        f.category in categories and (f.action == "remove" or not remove) for f in result.findings
    )


def quality_table(
    name: str,
    examples: Sequence[tuple[str, bool]],
    categories: set[str],
    label: str,
) -> list[str]:
    lines = []
    for path, config in (("rules", RULES), ("full", FULL)):
        results = [(screen(text, config=config), gold) for text, gold in examples]
        for remove in (False, True):
            kind = "remove" if remove else "flag"
            pairs = [(flagged(r, categories, remove=remove), gold) for r, gold in results]
            lines.append(row(f"{name} · {label} · {path} {kind} · all", prf(pairs)))
        by_language: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
        for r, gold in results:
            by_language[r.language].append((flagged(r, categories, remove=False), gold))
        for language, pairs in sorted(by_language.items()):
            if len(pairs) >= 20:
                lines.append(row(f"{name} · {label} · {path} flag · {language}", prf(pairs)))
    return lines


def gold_sv_fi() -> list[str]:
    """Per category and language on the developers' Swedish and Finnish regression set."""
    document = json.loads((Path(__file__).parent / "gold-sv-fi.json").read_text("utf-8"))
    examples = [(lang, text, gold) for lang, text, gold in document["examples"]]
    results = [(lang, screen(text, config=FULL), gold) for lang, text, gold in examples]
    categories = sorted({gold for _, _, gold in examples if gold})
    lines = []
    for language in ("sv", "fi"):
        for category in categories:
            for remove in (False, True):
                pairs = [
                    (flagged(result, {category}, remove=remove), gold == category)
                    for lang, result, gold in results
                    if lang == language
                ]
                kind = "remove" if remove else "flag"
                lines.append(
                    row(f"sv/fi regression · {category} · full {kind} · {language}", prf(pairs))
                )
    return lines


def hatecheck() -> list[tuple[str, bool, str]]:
    path = DATA / "hatecheck-en" / "test_suite_cases.csv"
    if not path.exists():
        print(f"(HateCheck not found at {path}; skipped)")
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            (row["test_case"], row["label_gold"] == "hateful", row["functionality"])
            for row in csv.DictReader(handle)
        ]


def personnummer_sentences() -> tuple[list[tuple[str, bool]], int]:
    numbers = [
        line.strip()
        for line in (REPO / "kanalvakt/moderation/tests/fixtures/personnummer.txt")
        .read_text()
        .splitlines()
        if line.strip()
    ]
    examples: list[tuple[str, bool]] = []
    templates = [
        "Mitt personnummer är {n}, hjälp mig med ansökan.",
        "Kan ni kolla ärendet för {n} tack",
        "{n} heter min granne och han sköter inte tomten",
    ]
    for index, number in enumerate(numbers):
        century, short, serial = number[:2], number[2:8], number[8:]
        forms = [
            f"{short}-{serial}",
            f"{short}{serial}",
            f"{century}{short}-{serial}",
            f"{short} {serial}",
            f"{century}{short} - {serial}",
        ]
        for form in forms:
            examples.append((templates[index % 3].format(n=form), True))
        # the same number with a wrong check digit is nobody's number
        broken = f"{short}-{serial[:-1]}{(int(serial[-1]) + 1) % 10}"
        examples.append((templates[index % 3].format(n=broken), False))
    return examples, len(numbers)


def speed(texts: Sequence[str]) -> list[str]:
    def timed(
        name: str, function: Callable[[str], object], repeat: int = 1, every: int = 1
    ) -> tuple[str, float]:
        sample = texts[::every]
        normalise.normalise.cache_clear()
        started = time.perf_counter()
        for _ in range(repeat):
            for text in sample:
                function(text)
        elapsed = time.perf_counter() - started
        return f"{name} ({len(sample)} texts × {repeat})", repeat * len(sample) / elapsed

    words = sorted(
        {entry.form for lex in lexicon.lexicons() for entry in lex.entries}, key=len, reverse=True
    )
    bare = re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b", re.IGNORECASE)
    figures = [timed("bare compiled regex over the same word list", bare.search, repeat=5)]
    try:
        from better_profanity import profanity

        profanity.load_censor_words()
        figures.append(
            # better-profanity is slow: a tenth of the texts gives a stable rate
            timed("better-profanity 0.7 contains_profanity", profanity.contains_profanity, every=10)
        )
    except ImportError:
        print("(better-profanity not installed; skipped)")
    figures.append(timed("Kanalvakt rules path", lambda t: screen(t, config=RULES)))
    figures.append(timed("Kanalvakt full path (rules + learned)", lambda t: screen(t, config=FULL)))
    base = figures[0][1]
    lines = ["| scanner | items/s on one core | relative to bare regex |", "|---|---|---|"]
    lines += [f"| {name} | {rate:,.0f} | {rate / base:.4f} |" for name, rate in figures]
    return lines


def main() -> None:
    quick = "--quick" in sys.argv
    print(
        f"# Screening benchmark ({time.strftime('%Y-%m-%d')}, one core,"
        f" Python {sys.version.split()[0]})\n"
    )
    print(
        "Flag = any finding of the category set (remove or review);"
        " remove = a removal suggestion.\n"
    )

    print("## Quality\n")
    print(HEADER)
    dk = [(text, label is not None) for text, label in datasets.dkhate("test")]
    for line in quality_table("DKHate test (da)", dk, OFFENSIVE, "offensive"):
        print(line)
    spam = [(text, label is not None) for text, label in datasets.tubespam("test")]
    for line in quality_table("TubeSpam test (en)", spam, {"advertising"}, "advertising"):
        print(line)
    cases = hatecheck()
    if quick:
        cases = cases[::10]
    if cases:
        hc = [(text, gold) for text, gold, _ in cases]
        for line in quality_table("HateCheck (en)", hc, OFFENSIVE, "hateful"):
            print(line)
    for line in gold_sv_fi():
        print(line)
    pn, count = personnummer_sentences()
    if quick:
        pn = pn[::10]
    for line in quality_table(
        f"Personnummer ({count} numbers × 5 formats + wrong check digits)",
        pn,
        {"personal_data"},
        "personal_data",
    ):
        print(line)

    if cases:
        print("\n## HateCheck non-hateful cases suggested for removal\n")
        print(
            "| functionality | cases | removal suggested (full path) | share |\n|---|---|---|---|"
        )
        per: Counter[str] = Counter()
        removed: Counter[str] = Counter()
        for text, gold, functionality in cases:
            if gold:
                continue
            per[functionality] += 1
            removed[functionality] += screen(text, config=FULL).action == "remove"
        for functionality in sorted(per):
            share = removed[functionality] / per[functionality]
            print(
                f"| {functionality} | {per[functionality]} | {removed[functionality]}"
                f" | {share:.1%} |"
            )
        total, total_removed = sum(per.values()), sum(removed.values())
        print(f"| **all non-hateful** | {total} | {total_removed} | {total_removed / total:.1%} |")

    print("\n## Criticism of the organisation (must never be removed)\n")
    actions = Counter(screen(text, config=FULL).action for text in CRITICISM)
    print(
        f"{len(CRITICISM)} sentences: " + ", ".join(f"{k} {v}" for k, v in sorted(actions.items()))
    )

    print("\n## Speed\n")
    texts = [text for text, _ in dk + spam] + [text for text, _, _ in cases]
    print(
        f"{len(texts)} texts (DKHate test, TubeSpam test, HateCheck),"
        f" mean {sum(map(len, texts)) / len(texts):.0f} characters.\n"
    )
    for line in speed(texts):
        print(line)


if __name__ == "__main__":
    main()
