"""Draft checker benchmark: keystroke → findings for a 2,000-character draft.

    .venv/bin/python bench/publishing/checker.py [--keystrokes 400]

Types a 2,000-character bilingual Kyrkslätt post one character at a time at
its end (as the htmx endpoint receives it: the whole text on every debounced
keystroke) and times, per keystroke, `check()` under Kyrkslätt's pack for four
accounts (Facebook, X, Instagram, Bluesky) plus rendering the findings
template. Beside it, in the same run and on the same texts, the reference:
the moderation screening of the same text (`screen()` with Kyrkslätt's pack),
which the inbox already runs once per received comment. Prints a Markdown
table with p50/p95/p99 in milliseconds; the target is p95 < 100 ms. Not a
test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

PARAGRAPHS = (
    "Biblioteket i Kyrkslätt har öppet hus på lördag den 5 december. Du är välkommen att "
    "låna böcker, lyssna på sagostunden och träffa personalen. ",
    "Kirkkonummen kirjastossa on avoimet ovet lauantaina 5. joulukuuta. Tervetuloa lainaamaan "
    "kirjoja, kuuntelemaan satutuntia ja tapaamaan henkilökuntaa. ",
    "Läs mer på https://www.kirkkonummi.fi/kirjasto och följ oss. ",
    "Lue lisää osoitteessa https://www.kirkkonummi.fi/kirjasto ja seuraa meitä. ",
)
TAGS = "\n#kirkkonummi #kyrkslätt #yhdessätillsammans"


def draft_text(length: int = 2000) -> str:
    text = ""
    index = 0
    while len(text) < length - len(TAGS):
        text += PARAGRAPHS[index % len(PARAGRAPHS)]
        if index % 2:
            text += "\n"
        index += 1
    return (text[: length - len(TAGS)] + TAGS)[:length]


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)
    cuts = statistics.quantiles(ordered, n=100, method="inclusive")
    return cuts[49], cuts[94], cuts[98]


def timed(function: Callable[[str], object], texts: list[str]) -> list[float]:
    samples = []
    for text in texts:
        start = time.perf_counter()
        function(text)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keystrokes", type=int, default=400)
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kanalvakt.settings")
    os.environ.setdefault("KANALVAKT_INSECURE_DEV_KEY", "1")
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    import yaml
    from django.conf import settings
    from django.template.loader import render_to_string

    from kanalvakt.moderation.screening.config import ScreeningConfig
    from kanalvakt.moderation.screening.engine import screen
    from kanalvakt.policies.pack import Pack
    from kanalvakt.publishing.checker import AccountInfo, Draft, MediaInfo, check

    def load(name: str) -> Pack:
        return Pack(yaml.safe_load((Path(settings.POLICY_PACK_DIR) / f"{name}.yaml").read_text()))

    pack = load("kyrkslatt")
    degerfors = load("degerfors")  # "du", LIX and tone: the heaviest Swedish pack
    accounts = tuple(
        AccountInfo(label=platform, platform=platform, main=True)
        for platform in ("facebook", "x", "instagram", "bluesky")
    )
    media = (MediaInfo(kind="image", name="bild.jpg", alt_text="Bibliotekets entré"),)
    full = draft_text()
    start = len(full) - options.keystrokes
    texts = [full[: start + n] for n in range(1, options.keystrokes + 1)]

    def keystroke(text: str) -> object:
        report = check(Draft(text=text, media=media, accounts=accounts), pack)
        return render_to_string("publishing/_findings.html", {"report": report})

    def keystroke_degerfors(text: str) -> object:
        report = check(Draft(text=text, media=media, accounts=accounts), degerfors)
        return render_to_string("publishing/_findings.html", {"report": report})

    config = ScreeningConfig.from_pack(pack)

    def reference(text: str) -> object:
        return screen(text, config=config, learned=False)

    keystroke(texts[0])  # warm-up: imports, template and regex compilation
    reference(texts[0])
    rows = [
        ("checker + findings template, Kyrkslätt (keystroke)", timed(keystroke, texts)),
        ("checker + findings template, Degerfors", timed(keystroke_degerfors, texts)),
        ("reference: moderation screening, same text", timed(reference, texts)),
    ]
    print(f"Draft of {len(full)} characters, {options.keystrokes} keystrokes\n")
    print("| what | p50 ms | p95 ms | p99 ms |")
    print("| --- | ---: | ---: | ---: |")
    for name, samples in rows:
        p50, p95, p99 = percentiles(samples)
        print(f"| {name} | {p50:.1f} | {p95:.1f} | {p99:.1f} |")


if __name__ == "__main__":
    main()
