"""Records search benchmark: p50/p95/p99 query time over N items, printed as a table.

    KANALVAKT_INSECURE_DEV_KEY=1 .venv/bin/python bench/records/search.py [N]
    scripts/with-postgres.sh env KANALVAKT_INSECURE_DEV_KEY=1 \
        .venv/bin/python bench/records/search.py [N]

N defaults to 1,000,000. Without DATABASE_URL it builds a throwaway SQLite
database in a temporary directory (FTS5; the path is printed); with
DATABASE_URL it uses that database, which must be a throwaway one (tables are
created and filled). Items (80 % Swedish, 20 % Finnish, generated from a fixed
seed: Zipf-distributed filler words, and in one message in five a real subject
word) go to 20 accounts (the busiest has about a third, the quietest 1 %),
each with a registration decision as processing leaves it (90 % not required,
6 % registered, 3 % pending, 1 % exempt). They are written with bulk inserts,
not through the ingest service, and indexed once. Each query is what the
records-request screen and the inbox run: `search_items`, the organisation's
best 200 matches ranked among the newest 1,000 (the bounded candidate set),
with the 200 items loaded. The set: subject words (also within one quiet
account), a word that is nowhere, the 100 most common words, and common words
within one month, one quiet account, one record state (registered; exempt, the
rarest) and all three filters at once. The reference, measured in the same
run, is the same page without a query: the newest 200 items, loaded the same
way. `BENCH_REUSE=1` (with KANALVAKT_VAR_DIR or DATABASE_URL naming an earlier
run's database) measures again without rebuilding; `BENCH_ROUNDS` (default 3)
sets how often each query runs. Figures are printed, never asserted.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kanalvakt.settings")
os.environ.setdefault("KANALVAKT_INSECURE_DEV_KEY", "1")
# BENCH_REUSE=1 measures a database an earlier run built (KANALVAKT_VAR_DIR or DATABASE_URL).
REUSE = os.environ.get("BENCH_REUSE") == "1"
if not os.environ.get("DATABASE_URL") and not REUSE:
    os.environ["KANALVAKT_VAR_DIR"] = tempfile.mkdtemp(prefix="kanalvakt-bench-search-")

import django  # noqa: E402

django.setup()

import datetime  # noqa: E402
import functools  # noqa: E402
import hashlib  # noqa: E402
import itertools  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from kanalvakt.inbox.models import Item  # noqa: E402
from kanalvakt.organisations.models import Organisation, User  # noqa: E402
from kanalvakt.organisations.services import organisation_create, unit_create  # noqa: E402
from kanalvakt.records.models import Registration  # noqa: E402
from kanalvakt.records.search import (  # noqa: E402
    SearchFilters,
    _ranked_ids,
    search_index_rebuild,
    search_items,
)
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


ACCOUNTS = 20
COMMON: list[str] = []  # the 100 most frequent filler words, filled by build()


def words() -> None:
    """The query words, drawn from the same seed as the items."""
    filler = vocabulary(random.Random(20260630))
    QUERIES[-1] = filler[0]
    COMMON[:] = filler[:100]


def build(n: int) -> Organisation:
    call_command("migrate", verbosity=0)
    organisation = organisation_create(
        actor=None, name="Benchkommun", slug="bench-search", kind="municipality", country="SE"
    )
    unit = unit_create(actor=None, organisation=organisation, name="KLF", kind="administration")
    responsible = User.objects.create(username="bench")
    accounts = [
        Account.objects.create(
            organisation=organisation,
            unit=unit,
            platform="facebook",
            handle=f"bench{number}",
            display_name=f"Bench {number}",
            url=f"https://example.invalid/bench{number}",
            purpose="x",
            audience="x",
            contact="x",
            status="active",
            responsible=responsible,
        )
        for number in range(ACCOUNTS)
    ]
    rng = random.Random(20260630)
    filler = vocabulary(rng)
    weights = [1 / (rank + 1) ** 1.1 for rank in range(len(filler))]
    cumulative = list(itertools.accumulate(weights))
    QUERIES[-1] = filler[0]
    COMMON.extend(filler[:100])
    start = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    batch: list[Item] = []
    began = time.perf_counter()
    # Account 0 is the busiest (about a third of all items), the last ones are quiet.
    account_weights = [1 / (rank + 1) for rank in range(ACCOUNTS)]
    for number in range(n):
        finnish = rng.random() < 0.2
        account = rng.choices(accounts, weights=account_weights)[0]
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
            _store(batch, rng)
            batch = []
    if batch:
        _store(batch, rng)
    loaded = time.perf_counter() - began
    began = time.perf_counter()
    with transaction.atomic():
        search_index_rebuild()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE inbox_item")
    print(f"loaded {n:,} items in {loaded:.0f} s, indexed in {time.perf_counter() - began:.0f} s")
    if connection.vendor == "sqlite":
        print(f"database in KANALVAKT_VAR_DIR={os.environ['KANALVAKT_VAR_DIR']}")
    return organisation


STATES = [  # (status, decision, share): what step 400 and the registrars leave behind
    ("not_required", "not_required", 0.90),
    ("registered", "register", 0.06),
    ("pending", "register", 0.03),
    ("exempt", "exempt", 0.01),
]


def _store(batch: list[Item], rng: random.Random) -> None:
    """The items and, as processing leaves it, one registration decision for each."""
    with transaction.atomic():
        Item.objects.bulk_create(batch)
        chosen = rng.choices(STATES, weights=[share for *_, share in STATES], k=len(batch))
        Registration.objects.bulk_create(
            Registration(
                organisation_id=item.organisation_id,
                item_id=item.pk,
                record_kind="comment",
                decision=decision,
                status=status,
                created_at=item.received_at,
                record_number=f"KS 2024/{item.pk}" if status == "registered" else "",
            )
            for item, (status, decision, _share) in zip(batch, chosen, strict=True)
        )


def _percentiles(values: list[float]) -> tuple[float, float, float]:
    ordered = sorted(values)

    def at(share: float) -> float:
        return ordered[min(len(ordered) - 1, int(len(ordered) * share))]

    return statistics.median(ordered), at(0.95), at(0.99)


def _timed(run: Callable[[], object]) -> float:
    began = time.perf_counter()
    run()
    return (time.perf_counter() - began) * 1000


def measure(
    organisation: Organisation, rounds: int = int(os.environ.get("BENCH_ROUNDS", "3"))
) -> None:
    march = (datetime.date(2024, 3, 1), datetime.date(2024, 3, 31))
    month = SearchFilters(date_from=march[0], date_to=march[1])
    accounts = list(
        Account.objects.filter(organisation=organisation)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    quiet = [accounts[len(accounts) // 2]]  # about 2.5 % of the items
    everything_at_once = SearchFilters(
        accounts=quiet,
        date_from=march[0],
        date_to=march[1],
        record_states=["pending", "registered"],
    )
    cases: list[tuple[str, str, SearchFilters]] = (
        [("subject", query, SearchFilters()) for query in QUERIES[:-1]]
        + [("subject, one account", query, SearchFilters(accounts=quiet)) for query in QUERIES[:-1]]
        + [("common", word, SearchFilters()) for word in COMMON]
        + [("common, one month", word, month) for word in COMMON[:20]]
        + [("common, one account", word, SearchFilters(accounts=quiet)) for word in COMMON[:20]]
        + [
            ("common, registered", w, SearchFilters(record_states=["registered"]))
            for w in COMMON[:10]
        ]
        + [
            ("common, exempt (1 %)", w, SearchFilters(record_states=["exempt"]))
            for w in COMMON[:10]
        ]
        + [("common, account+month+state", w, everything_at_once) for w in COMMON[:20]]
    )

    def ranked(query: str, filters: SearchFilters) -> None:
        _ranked_ids(organisation, query, filters, 200)

    def run(query: str, filters: SearchFilters) -> int:
        result = search_items(organisation=organisation, query=query, filters=filters)
        return len(result.items) + int(result.bounded) * 1_000_000

    def reference() -> None:
        # The same page without a query: the newest 200 items, loaded the same way.
        search_items(organisation=organisation, query="")

    hits = {(query, group): run(query, filters) for group, query, filters in cases}  # warm-up
    reference()
    timings: dict[str, list[float]] = {}
    per_query: dict[tuple[str, str], list[float]] = {}
    for _ in range(rounds):
        for group, query, filters in cases:
            spent = _timed(functools.partial(run, query, filters))
            timings.setdefault(group, []).append(spent)
            per_query.setdefault((query, group), []).append(spent)
            timings.setdefault("reference", []).append(_timed(reference))
            ranking = _timed(functools.partial(ranked, query, filters))
            timings.setdefault("ranking only (ids, no items loaded)", []).append(ranking)
    apart = {"reference", "ranking only (ids, no items loaded)"}
    everything = [t for group, values in timings.items() if group not in apart for t in values]
    print(f"\n{connection.vendor}: {len(everything)} searches, each loading its ≤200 items\n")
    print("| set | searches | p50 ms | p95 ms | p99 ms |")
    print("|---|---:|---:|---:|---:|")
    for group, values in [("all searches", everything), *timings.items()]:
        p50, p95, p99 = _percentiles(values)
        print(f"| {group} | {len(values)} | {p50:.1f} | {p95:.1f} | {p99:.1f} |")
    print("\n| query | set | hits (≤200; + = ranked among newest 1,000) | median ms |")
    print("|---|---|---:|---:|")
    slowest = sorted(per_query.items(), key=lambda kv: -statistics.median(kv[1]))
    shown = [key for key, _ in slowest[:10]] + [(q, "subject") for q in QUERIES[:-1]]
    for query, group in dict.fromkeys(shown):
        count = hits[(query, group)]
        label = f"{count % 1_000_000}{'+' if count >= 1_000_000 else ''}"
        print(
            f"| {query} | {group} | {label} | {statistics.median(per_query[(query, group)]):.1f} |"
        )


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    if REUSE:
        organisation = Organisation.objects.get(slug="bench-search")
        n = Item.objects.filter(organisation=organisation).count()
        words()
    else:
        organisation = build(n)
    print(f"records search benchmark: {n:,} items on {connection.vendor}")
    measure(organisation)


if __name__ == "__main__":
    main()
