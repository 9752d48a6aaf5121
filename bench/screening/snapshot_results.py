"""Snapshot of every screening result, to prove a speed change decides nothing differently.

    KANALVAKT_INSECURE_DEV_KEY=1 .venv/bin/python bench/screening/snapshot_results.py \
        write /tmp/screening-before.jsonl
    ... optimise ...
    KANALVAKT_INSECURE_DEV_KEY=1 .venv/bin/python bench/screening/snapshot_results.py \
        compare /tmp/screening-before.jsonl [--quick]

Screens every text of the gold set (train and dev; the frozen test split
apart, whose changed texts are counted but never printed), HateCheck en and the
team's sv/fi translations, DKHate (train and test), TubeSpam (all splits)
and the speed benchmark's 50,000 mixed texts, on the rules path and on the
full path with the learned scorer, plus the `kanalvakt screen` process on
the mixed texts. One line per set and path: the set's name, a digest of
every result (language, action, escalate and each finding's category,
score, span, detector, basis, reference and action) and the per-item
digests, so a difference names the texts that changed. The snapshot depends
on the lexicons and the gold set of the tree it is taken in: take the
"before" snapshot on the same data as the "after" one.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("KANALVAKT_INSECURE_DEV_KEY", "1")

from run import FULL, RULES, hatecheck_en, mixed_texts  # noqa: E402

from kanalvakt.moderation.screening import datasets, gold  # noqa: E402
from kanalvakt.moderation.screening.engine import ScreeningResult, screen_many  # noqa: E402

FROZEN = "gold-frozen-test"


def _sets(quick: bool) -> dict[str, list[str]]:
    sets = {
        "gold": [item.text for item in gold.load() if item.split != "test"],
        # the frozen test split: compared by digest, its texts are never printed
        FROZEN: [item.text for item in gold.load("test")],
        "hatecheck-en": [text for text, _, _ in hatecheck_en()],
        "hatecheck-sv": [case.text for case in gold.hatecheck("sv")],
        "hatecheck-fi": [case.text for case in gold.hatecheck("fi")],
        "dkhate": [text for text, _ in datasets.dkhate("training") + datasets.dkhate("test")],
        "tubespam": [
            text for split in ("train", "val", "test") for text, _ in datasets.tubespam(split)
        ],
        "mixed": mixed_texts(5_000 if quick else 50_000),
    }
    return sets


def _describe(result: ScreeningResult) -> str:
    document = {
        "language": result.language,
        "action": result.action,
        "escalate": result.escalate,
        "findings": [
            [
                f.category,
                f.score,
                f.start,
                f.end,
                f.detector,
                f.evidence,
                f.basis,
                f.reference,
                f.action,
            ]
            for f in result.findings
        ],
    }
    return json.dumps(document, ensure_ascii=False, sort_keys=True)


def _digests(texts: Sequence[str], config: object) -> list[str]:
    out: list[str] = []
    for start in range(0, len(texts), 256):
        results = screen_many(texts[start : start + 256], config=config)  # type: ignore[arg-type]
        out.extend(
            hashlib.sha1(_describe(r).encode()).hexdigest()[:12]  # noqa: S324
            for r in results
        )
    return out


def _command(texts: Sequence[str]) -> list[str]:
    lines = "".join(
        json.dumps({"id": str(number), "text": text}, ensure_ascii=False) + "\n"
        for number, text in enumerate(texts)
    ).encode("utf-8")
    command = [sys.executable, "-m", "kanalvakt.cli", "screen", "--pack", "overkalix"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(command, input=lines, capture_output=True, env=env, check=True)  # noqa: S603
    return [
        hashlib.sha1(  # noqa: S324
            json.dumps(json.loads(line), ensure_ascii=False, sort_keys=True).encode()
        ).hexdigest()[:12]
        for line in done.stdout.splitlines()
    ]


def snapshot(quick: bool) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, texts in _sets(quick).items():
        out[f"{name}:rules"] = _digests(texts, RULES)
        out[f"{name}:full"] = _digests(texts, FULL)
        if name == "mixed":
            out["mixed:command"] = _command(texts)
        print(f"{name}: {len(texts)} texts", file=sys.stderr)
    return out


def main() -> int:
    mode, path = sys.argv[1], Path(sys.argv[2])
    quick = "--quick" in sys.argv
    current = snapshot(quick)
    if mode == "write":
        with path.open("w") as handle:
            for name, digests in current.items():
                whole = hashlib.sha1("".join(digests).encode()).hexdigest()  # noqa: S324
                handle.write(json.dumps({"set": name, "digest": whole, "items": digests}) + "\n")
        print(f"wrote {path}")
        return 0
    before = {
        document["set"]: document["items"]
        for document in map(json.loads, path.read_text().splitlines())
    }
    texts = _sets(quick)
    differences = 0
    for name, digests in current.items():
        old = before[name][: len(digests)]
        changed = [index for index, (a, b) in enumerate(zip(old, digests, strict=True)) if a != b]
        differences += len(changed)
        status = "same" if not changed else f"{len(changed)} DIFFER"
        print(f"{name}: {len(digests)} items, {status}")
        for index in changed[:5] if not name.startswith(FROZEN) else ():
            print(f"    #{index}: {texts[name.split(':')[0]][index][:100]!r}")
    print("IDENTICAL" if not differences else f"{differences} DIFFERENCES")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
