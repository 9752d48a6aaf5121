"""Records search benchmark: p50/p95 query time over N items, printed as a table.

    KANALVAKT_INSECURE_DEV_KEY=1 .venv/bin/python bench/records/search.py [N]
    scripts/with-postgres.sh env KANALVAKT_INSECURE_DEV_KEY=1 \
        .venv/bin/python bench/records/search.py [N]

N defaults to 1,000,000. Without DATABASE_URL it builds a throwaway SQLite
database in a temporary directory (FTS5); with DATABASE_URL it uses that
database, which must be a throwaway one (tables are created and filled).
Items (80 % Swedish, 20 % Finnish, generated from a fixed seed: Zipf-distributed
filler words, and in one message in five a real subject word) are written
with bulk inserts, not through the ingest service, and indexed once. Each
query is what the records-request screen runs: the organisation's newest 200
matching items. Figures are printed, never asserted.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kanalvakt.settings")
os.environ.setdefault("KANALVAKT_INSECURE_DEV_KEY", "1")
if not os.environ.get("DATABASE_URL"):
    os.environ["KANALVAKT_VAR_DIR"] = tempfile.mkdtemp(prefix="kanalvakt-bench-search-")

import django  # noqa: E402

django.setup()

import datetime  # noqa: E402
import hashlib  # noqa: E402
import itertools  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from kanalvakt.inbox.models import Item  # noqa: E402
from kanalvakt.organisations.models import Organisation, User  # noqa: E402
from kanalvakt.organisations.services import organisation_create, unit_create  # noqa: E402
from kanalvakt.records.search import item_search, search_index_rebuild  # noqa: E402
from kanalvakt.register.models import Account  # noqa: E402

SV = (
    "snöröjningen vägen skolan bygglov avgiften fakturan vatten avlopp parkeringen biblioteket "
    "simhallen kommunen förskolan äldreboendet busshållplatsen gatlyktorna soptunnan taxan "
    "felaktig dålig bra tack fråga varför när hur inte fungerar trasig stängd öppettider "
    "Storgatan Kalix Överkalix Luleå midsommar höstmarknaden idrottshallen cykelvägen"
).split()
FI = (
    "lumityöt tie koulu rakennuslupa maksu lasku vesi viemäri pysäköinti kirjasto uimahalli "
    "kunta päiväkoti vanhainkoti bussipysäkki katuvalot roskis taksa virheellinen huono hyvä "
    "kiitos kysymys miksi milloin miten ei toimi rikki suljettu aukioloajat Kirkkonummi Masala"
).split()
SYLLABLES = "ka la ma na ra sa ta va jo ki lu mi pe so ti ve hy ny ös är".split()


def vocabulary(rng: random.Random, size: int = 20000) -> list[str]:
    """Made-up filler words; drawn with Zipf weights so a few are common, most rare."""
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


QUERIES = [
    "snöröjningen",
    "bygglov",
    "fakturan felaktig",
    "Storgatan",
    "biblioteket öppettider",
    "trasig",
    "lumityöt",
    "rakennuslupa",
    "kirjasto",
    "katuvalot rikki",
    "midsommar",
    "gatlykt",
    "simhall",
    "äldreboendet",
    "cykelvägen",
    "taxan",
    "aukioloajat",
    "ordsomintefinns",
    "COMMON",  # replaced by the most frequent filler word: the worst case
]


def build(n: int) -> Organisation:
    call_command("migrate", verbosity=0)
    organisation = organisation_create(
        actor=None, name="Benchkommun", slug="bench-search", kind="municipality", country="SE"
    )
    unit = unit_create(actor=None, organisation=organisation, name="KLF", kind="administration")
    account = Account.objects.create(
        organisation=organisation,
        unit=unit,
        platform="facebook",
        handle="bench",
        display_name="Bench",
        url="https://example.invalid/bench",
        purpose="x",
        audience="x",
        contact="x",
        status="active",
        responsible=User.objects.create(username="bench"),
    )
    rng = random.Random(20260630)
    filler = vocabulary(rng)
    weights = [1 / (rank + 1) ** 1.1 for rank in range(len(filler))]
    cumulative = list(itertools.accumulate(weights))
    QUERIES[-1] = filler[0]
    start = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    batch: list[Item] = []
    began = time.perf_counter()
    for number in range(n):
        finnish = rng.random() < 0.2
        words = rng.choices(filler, cum_weights=cumulative, k=rng.randint(6, 30))
        # One message in five names a subject from the real vocabulary.
        if rng.random() < 0.2:
            words.insert(rng.randrange(len(words)), rng.choice(FI if finnish else SV))
        text = " ".join(words)
        raw = text.encode()
        moment = start + datetime.timedelta(seconds=number * 30)
        batch.append(
            Item(
                organisation=organisation,
                account=account,
                platform="facebook",
                external_id=f"b{number}",
                kind="comment",
                author_name=f"Person {number % 5000}",
                text=text,
                language_hint="fi" if finnish else "sv",
                created_at=moment,
                received_at=moment,
                raw=raw,
                raw_sha256=hashlib.sha256(raw).hexdigest(),
            )
        )
        if len(batch) == 5000:
            with transaction.atomic():
                Item.objects.bulk_create(batch)
            batch = []
    if batch:
        with transaction.atomic():
            Item.objects.bulk_create(batch)
    loaded = time.perf_counter() - began
    began = time.perf_counter()
    with transaction.atomic():
        search_index_rebuild()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE inbox_item")
    print(f"loaded {n:,} items in {loaded:.0f} s, indexed in {time.perf_counter() - began:.0f} s")
    return organisation


def measure(organisation: Organisation, rounds: int = 5) -> None:
    timings: dict[str, list[float]] = {query: [] for query in QUERIES}
    hits: dict[str, int] = {}
    for query in QUERIES:  # warm-up
        hits[query] = len(list(item_search(organisation=organisation, query=query)[:200]))
    for _ in range(rounds):
        for query in QUERIES:
            began = time.perf_counter()
            list(item_search(organisation=organisation, query=query)[:200])
            timings[query].append((time.perf_counter() - began) * 1000)
    everything = sorted(t for values in timings.values() for t in values)
    p50 = statistics.median(everything)
    p95 = everything[int(len(everything) * 0.95) - 1]
    print(f"\n{connection.vendor}: {len(everything)} queries, p50 {p50:.1f} ms, p95 {p95:.1f} ms\n")
    print("| query | hits (≤200) | median ms |")
    print("|---|---:|---:|")
    for query in QUERIES:
        print(f"| {query} | {hits[query]} | {statistics.median(timings[query]):.1f} |")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    print(f"records search benchmark: {n:,} items on {connection.vendor}")
    measure(build(n))


if __name__ == "__main__":
    main()
