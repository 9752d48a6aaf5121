"""Screening benchmark (issue 8): quality, HateCheck, personnummer, speed.

    KANALVAKT_INSECURE_DEV_KEY=1 .venv/bin/python bench/screening/run.py [--quick]
        [--no-speed | --speed-only]

Prints Markdown tables:

* per category precision/recall/F1 for sv and fi on the gold set's frozen
  test splits v2 and v3 (v3 written blind to the rules) and, apart, on the
  retired first test split (now `dev`)
  (`kanalvakt/moderation/data/gold/`), toxic-vs-benign, the share
  of benign items suggested for removal, sharp criticism removed;
* HateCheck non-hateful cases suggested for removal: English (read from
  ../shared/moderation-data, KANALVAKT_MODERATION_DATA overrides) and the
  team's Swedish and Finnish translations;
* identity numbers: precision and recall of the personnummer /
  samordningsnummer / henkilotunnus detectors on Skatteverket's 1,000 test
  numbers in five formats, plus the same numbers with a wrong check digit;
* speed on one core, on 50,000 mixed comments (5,000 with --quick): a
  tokenise-plus-set-lookup reference, the first pass, the rules path, the
  full path with the learned scorer in batches (after the rules path: the
  per-word caches warm), the full path in a new process (every word met for
  the first time, as the command meets it), and the whole
  `kanalvakt screen` process, all on the same texts in the same run.
"""

from __future__ import annotations

import csv
import json
import os
import re
import resource
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
os.environ.setdefault("KANALVAKT_INSECURE_DEV_KEY", "1")

from kanalvakt.moderation.screening import ScreeningConfig, categories, datasets, gold, lexicon  # noqa: E402
from kanalvakt.moderation.screening.engine import ScreeningResult, screen_many  # noqa: E402
from kanalvakt.moderation.screening.firstpass import needs_rules  # noqa: E402

DATA = Path(os.environ.get("KANALVAKT_MODERATION_DATA", REPO.parent / "shared" / "moderation-data"))
if not DATA.exists():
    DATA = Path("/work/shared/moderation-data")
FULL = ScreeningConfig.default()
RULES = ScreeningConfig.default(use_learned=False)
CATEGORIES = [*categories.CATEGORIES, categories.SELF_HARM]
ID_DETECTORS = {"personnummer", "samordningsnummer", "henkilotunnus"}
HEADER = "| {} | precision | recall | F1 | positives | items |\n|---|---|---|---|---|---|"


def prf(pairs: Iterable[tuple[bool, bool]]) -> tuple[float, float, float, int, int]:
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


def screened(texts: Sequence[str], config: ScreeningConfig) -> list[ScreeningResult]:
    out: list[ScreeningResult] = []
    for start in range(0, len(texts), 256):
        out.extend(screen_many(texts[start : start + 256], config=config))
    return out


SPLITS = (
    ("test", "frozen test split v2 (hand-written, nothing tuned on it)"),
    ("test-v3", "frozen test split v3 (written blind to the rules, nothing tuned on it)"),
    ("test-v4", "frozen test split v4 (blind, text from outside the municipal pages)"),
    ("dev", "split v1 (the first test split, retired into development data)"),
)


def gold_tables() -> None:
    for split, title in SPLITS:
        if not gold.load(split):
            continue
        print(f"## Own Swedish and Finnish set, {title}\n")
        print(
            "Flag = a finding of the category (review or removal); toxic = any label; "
            "predicted toxic = the screening suggests review or removal.\n"
        )
        for language in gold.LANGUAGES:
            gold_table(split, language)


def gold_table(split: str, language: str) -> None:
    items = gold.load(split, language)
    for name, config in (("full", FULL), ("rules", RULES)):
        results = screened([item.text for item in items], config)
        print(f"### {split} · {language} · {name} path · {len(items)} items\n")
        print(HEADER.format("category"))
        for category in CATEGORIES:
            pairs = [
                (any(f.category == category for f in r.findings), category in item.labels)
                for item, r in zip(items, results, strict=True)
            ]
            if any(actual for _, actual in pairs):
                print(row(category, prf(pairs)))
        toxic = [
            (r.action != "none", bool(item.labels)) for item, r in zip(items, results, strict=True)
        ]
        print(row("**toxic vs benign**", prf(toxic)))
        removed = [
            (r.action == "remove", bool(item.labels))
            for item, r in zip(items, results, strict=True)
        ]
        print(row("toxic vs benign, removal only", prf(removed)))
        benign = [r for item, r in zip(items, results, strict=True) if not item.labels]
        critical = [
            r
            for item, r in zip(items, results, strict=True)
            if not item.labels and "criticism" in item.tags
        ]
        gone = sum(r.action == "remove" for r in benign)
        print(
            f"\nBenign suggested for removal: {gone} of {len(benign)}"
            f" ({gone / max(1, len(benign)):.1%}); sharp criticism removed:"
            f" {sum(r.action == 'remove' for r in critical)} of {len(critical)};"
            f" benign flagged for review: {sum(r.action == 'review' for r in benign)}.\n"
        )


def hatecheck_en() -> list[tuple[str, bool, str]]:
    path = DATA / "hatecheck-en" / "test_suite_cases.csv"
    if not path.exists():
        print(f"(HateCheck not found at {path}; skipped)")
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            (r["test_case"], r["label_gold"] == "hateful", r["functionality"])
            for r in csv.DictReader(handle)
        ]


def hatecheck_tables(quick: bool) -> None:
    print("## HateCheck: non-hateful cases suggested for removal (full path)\n")
    suites = {"en": hatecheck_en()}
    for language in ("sv", "fi"):
        suites[language] = [(c.text, c.hateful, c.functionality) for c in gold.hatecheck(language)]
    per: dict[str, Counter[str]] = {}
    removed: dict[str, Counter[str]] = {}
    recall: dict[str, tuple[int, int]] = {}
    for language, cases in suites.items():
        if quick and language == "en":
            cases = cases[::5]
        results = screened([text for text, _, _ in cases], FULL)
        per[language], removed[language] = Counter(), Counter()
        hateful = flagged = 0
        for (_, hateful_case, functionality), result in zip(cases, results, strict=True):
            if hateful_case:
                hateful += 1
                flagged += result.action != "none"
                continue
            per[language][functionality] += 1
            removed[language][functionality] += result.action == "remove"
        recall[language] = (flagged, hateful)
    languages = list(suites)
    print("| functionality | " + " | ".join(f"{lang} removed" for lang in languages) + " |")
    print("|---|" + "---|" * len(languages))
    for functionality in sorted(set().union(*per.values())):
        cells = [
            f"{removed[lang][functionality]} / {per[lang][functionality]}"
            if per[lang][functionality]
            else "–"
            for lang in languages
        ]
        print(f"| {functionality} | " + " | ".join(cells) + " |")
    for label, skip in (
        ("**all non-hateful**", set()),
        ("all except target_indiv_nh", {"target_indiv_nh"}),
    ):
        cells = []
        for lang in languages:
            total = sum(n for f, n in per[lang].items() if f not in skip)
            gone = sum(n for f, n in removed[lang].items() if f not in skip)
            cells.append(f"{gone} / {total} ({gone / max(1, total):.1%})")
        print(f"| {label} | " + " | ".join(cells) + " |")
    cells = [
        f"{recall[lang][0]} / {recall[lang][1]} ({recall[lang][0] / max(1, recall[lang][1]):.1%})"
        for lang in languages
    ]
    print("| hateful cases flagged | " + " | ".join(cells) + " |\n")


def identity_numbers() -> None:
    numbers = [
        line.strip()
        for line in (REPO / "kanalvakt/moderation/tests/fixtures/personnummer.txt")
        .read_text()
        .splitlines()
        if line.strip()
    ]
    templates = [
        "Mitt personnummer är {n}, hjälp mig med ansökan.",
        "Kan ni kolla ärendet för {n} tack",
        "{n} heter min granne och han sköter inte tomten",
    ]
    examples: list[tuple[str, bool]] = []
    for index, number in enumerate(numbers):
        century, short, serial = number[:2], number[2:8], number[8:]
        for form in (
            f"{short}-{serial}",
            f"{short}{serial}",
            f"{century}{short}-{serial}",
            f"{short} {serial}",
            f"{century}{short} - {serial}",
        ):
            examples.append((templates[index % 3].format(n=form), True))
        broken = f"{short}-{serial[:-1]}{(int(serial[-1]) + 1) % 10}"
        examples.append((templates[index % 3].format(n=broken), False))
    results = screened([text for text, _ in examples], RULES)
    pairs = [
        (any(f.detector in ID_DETECTORS for f in r.findings), gold_)
        for (_, gold_), r in zip(examples, results, strict=True)
    ]
    print("## Identity numbers\n")
    print(HEADER.format("set"))
    print(row(f"{len(numbers)} test personnummer × 5 formats + wrong check digits", prf(pairs)))
    print()


def mixed_texts(count: int) -> list[str]:
    """`count` comments from every set, each made unique so no cache flatters the figures."""
    base = [item.text for item in gold.load()]
    base += [text for text, _, _ in hatecheck_en()]
    for language in ("sv", "fi"):
        base += [case.text for case in gold.hatecheck(language)]
    base += [text for text, _ in datasets.dkhate("test") + datasets.tubespam("test")]
    letters = "bdgqvwxz"
    texts = []
    for number in range(count):
        tag, value = "", number
        while True:
            tag += letters[value % 8]
            value //= 8
            if not value:
                break
        texts.append(f"{base[number % len(base)]} ({tag})")
    return texts


def rate(function: Callable[[], object], items: int) -> tuple[float, float]:
    """Items per second of wall-clock time and of this process's CPU time.

    On a shared, loaded machine the wall clock also counts the time other
    sessions hold the core; the CPU time is what this one core spent.
    """
    started, cpu = time.perf_counter(), time.process_time()
    function()
    return items / (time.perf_counter() - started), items / (time.process_time() - cpu)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def speed(quick: bool) -> None:
    count = 5_000 if quick else 50_000
    texts = mixed_texts(count)
    words = {entry.form.casefold() for lex in lexicon.lexicons() for entry in lex.entries}
    token = re.compile(r"\w+")
    screened(texts[:300], FULL)  # load the model, the lexicons, Voikko, wordfreq

    def reference() -> None:
        for text in texts:
            any(word in words for word in token.findall(text.casefold()))

    # the fastest of five runs: the reference is short, and a pause of the shared
    # machine would otherwise flatter every ratio
    runs = [rate(reference, count) for _ in range(5)]
    best = (max(wall for wall, _ in runs), max(cpu_rate for _, cpu_rate in runs))
    figures = [("tokenise + set lookup (reference, fastest of 5)", best)]
    gated = sum(needs_rules(text) for text in texts)
    figures.append(
        (
            "first pass (Aho-Corasick + regexes)",
            rate(lambda: [needs_rules(t) for t in texts], count),
        )
    )
    figures.append(
        (
            "rules path (first pass + rules where needed)",
            rate(lambda: screened(texts, RULES), count),
        )
    )
    figures.append(
        ("full path (+ learned scorer in batches)", rate(lambda: screened(texts, FULL), count))
    )
    lines = "".join(
        json.dumps({"id": str(number), "text": text}, ensure_ascii=False) + "\n"
        for number, text in enumerate(texts)
    ).encode("utf-8")
    command = [sys.executable, "-m", "kanalvakt.cli", "screen", "--pack", "overkalix"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    started, cpu = time.perf_counter(), _children_cpu()
    done = subprocess.run(command, input=lines, capture_output=True, env=env, check=True)  # noqa: S603
    whole = (count / (time.perf_counter() - started), count / (_children_cpu() - cpu))
    assert len(done.stdout.splitlines()) == count
    started, cpu = time.perf_counter(), _children_cpu()
    subprocess.run(command, input=b"", capture_output=True, env=env, check=True)  # noqa: S603
    start_up, start_up_cpu = time.perf_counter() - started, _children_cpu() - cpu
    figures.append((f"`kanalvakt screen` whole process, {count:,} lines", whole))
    cold = subprocess.run(  # noqa: S603
        [sys.executable, __file__, "--cold-full", str(count)],
        capture_output=True,
        env=env,
        check=True,
        text=True,
    )
    wall, cpu_rate = map(float, cold.stdout.split())
    figures.insert(-1, ("full path, a new process (caches cold, tools loaded)", (wall, cpu_rate)))
    mean = sum(map(len, texts)) / count
    print(f"## Speed (one core, {count:,} mixed comments, mean {mean:.0f} characters)\n")
    print(f"{gated / count:.1%} of these texts go on from the first pass to the rules.\n")
    print(
        "| path | items/s (wall clock) | relative | items/s (CPU time) | relative |\n"
        "|---|---|---|---|---|"
    )
    wall_reference, cpu_reference = figures[0][1]
    for name, (wall, cpu_rate) in figures:
        print(
            f"| {name} | {wall:,.0f} | {wall / wall_reference:.3f}"
            f" | {cpu_rate:,.0f} | {cpu_rate / cpu_reference:.3f} |"
        )
    print(
        f"\n`kanalvakt screen` start-up with empty input (whole process): {start_up:.2f} s"
        f" wall clock, {start_up_cpu:.2f} s CPU time\n"
    )


def cold_full(count: int) -> None:
    """The full path in a new process: the tools loaded as `speed` loads them, no word seen.

    `speed` runs the full path after the rules path on the same texts, so its
    per-word caches are warm; `kanalvakt screen` meets every word for the
    first time. This figure is the full path as the command meets the texts,
    without the command's loading and JSON.
    """
    texts = mixed_texts(count)
    screened(texts[:300], FULL)  # load the model, the lexicons, Voikko, wordfreq
    wall, cpu_rate = rate(lambda: screened(texts, FULL), count)
    print(wall, cpu_rate)


def main() -> None:
    if "--cold-full" in sys.argv:
        cold_full(int(sys.argv[sys.argv.index("--cold-full") + 1]))
        return
    quick = "--quick" in sys.argv
    if "--speed-only" in sys.argv:
        speed(quick)
        return
    when = time.strftime("%Y-%m-%d %H:%M")
    print(f"# Screening benchmark ({when}, Python {sys.version.split()[0]})\n")
    gold_tables()
    hatecheck_tables(quick)
    identity_numbers()
    print("## Shared sets (full path, flag)\n")
    print(HEADER.format("set"))
    for name, examples, category in (
        ("DKHate test (da), offensive", datasets.dkhate("test"), None),
        ("TubeSpam test (en), spam", datasets.tubespam("test"), "advertising"),
    ):
        results = screened([text for text, _ in examples], FULL)
        pairs = [
            (
                r.action != "none"
                if category is None
                else any(f.category == category for f in r.findings),
                label is not None,
            )
            for (_, label), r in zip(examples, results, strict=True)
        ]
        print(row(name, prf(pairs)))
    print()
    if "--no-speed" not in sys.argv:
        speed(quick)


if __name__ == "__main__":
    main()
