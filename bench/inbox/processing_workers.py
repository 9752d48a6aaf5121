"""Processing throughput with 1, 2 and 4 workers, and SQL statements per item.

    .venv/bin/python bench/inbox/processing_workers.py [--items 1000] [--workers 1,2,4]
        [--batch 500]
    scripts/with-postgres.sh .venv/bin/python bench/inbox/processing_workers.py

For each worker count, a fresh throwaway database (SQLite file, and PostgreSQL
when DATABASE_URL is set) gets one organisation under the Överkalix policy
pack, a Facebook page and ITEMS new comments read from webhook deliveries of
100 changes each (`delivery_accept` + `delivery_ingest`: what the web process
and the ingest task do). Their processing (screening, intent, response
clock, routing, registration rules, escalations: every registered step) is
queued as tasks of BATCH items (by default the product's own size,
`kanalvakt.inbox.ingest.BATCH`: what the ingest and the sweep queue), then N
real worker processes in batch mode (`kanalvakt worker --batch`) work the
queue until it is empty. Prints, per worker count, items/s over the wall time
(including the workers' start-up) and over the processing itself (first to
last batch finished, as `processed_at` records it), the SQL statements one
batch costs per item (measured in-process on a separate batch), and the load
average before and after. Not a test: nothing is asserted beyond every item
being processed once.

The reference, measured in the same run: the screening alone (`screen_many`
on the same texts in batches of BATCH, in one process, no database), the
heaviest step's pure-Python floor. One worker cannot process faster than it.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PAGE_ID = "104857600555555"
sys.path[:0] = [str(REPO), str(REPO / "bench" / "inbox")]


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kanalvakt.settings")
    os.environ.setdefault("KANALVAKT_INSECURE_DEV_KEY", "1")
    os.environ["TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"
    import django

    django.setup()


def deliveries(count: int, per_delivery: int = 100) -> list[bytes]:
    from webhook_ingest_load import delivery

    bodies = []
    for start in range(0, count, per_delivery):
        changes = []
        for number in range(start, min(count, start + per_delivery)):
            one = json.loads(delivery(number, "p"))
            changes += one["entry"][0]["changes"]
        envelope = json.loads(delivery(start, "p"))
        envelope["entry"][0]["changes"] = changes
        bodies.append(json.dumps(envelope, ensure_ascii=False).encode())
    return bodies


def prepare(items: int) -> None:
    """Child: migrate a fresh database and store ITEMS unprocessed items, processing queued."""
    _django()
    from django.core.management import call_command

    from bench.organisation import facebook_page
    from kanalvakt.inbox import ingest
    from kanalvakt.inbox.models import DeliverySource, ItemProcessing

    call_command("migrate", verbosity=0)
    page = facebook_page(name="Benchkommun", slug="bench", page_id=PAGE_ID, pack="overkalix")
    ingest._enqueue_ingest = lambda delivery_id: None  # read here, below
    for body in deliveries(items):
        result = ingest.delivery_accept(
            organisation_id=page.organisation_id,
            platform="facebook",
            source=DeliverySource.WEBHOOK,
            body=body.replace(b"104857600999999", PAGE_ID.encode()),
        )
        ingest.delivery_ingest(delivery_id=result.delivery.pk)
    pending = ItemProcessing.objects.filter(processed_at__isnull=True).count()
    sys.stdout.write(json.dumps({"pending": pending}) + "\n")


def count_statements(sample: int) -> None:
    """Child: process `sample` pending items in one batch, counting SQL statements."""
    _django()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kanalvakt.inbox.models import ItemProcessing
    from kanalvakt.inbox.processing import items_process

    ids = list(
        ItemProcessing.objects.filter(processed_at__isnull=True)
        .order_by("-item_id")
        .values_list("item_id", flat=True)[:sample]
    )
    with CaptureQueriesContext(connection) as queries:
        done = items_process(item_ids=ids)
    sys.stdout.write(json.dumps({"done": done, "statements": len(queries)}) + "\n")


def reference(items: int, batch: int) -> None:
    """Child: items/s of `screen_many` alone on the benchmark's texts (after a warm-up)."""
    _django()
    from kanalvakt.moderation.screening.config import ScreeningConfig
    from kanalvakt.moderation.screening.engine import screen_many
    from kanalvakt.moderation.screening.learned import bundled

    texts = []
    for body in deliveries(items):
        for change in json.loads(body)["entry"][0]["changes"]:
            texts.append(change["value"]["message"])
    config = ScreeningConfig.default(model=bundled())
    screen_many(texts[:batch], config=config)  # loads the lexicons, as a worker's first batch does
    started = time.perf_counter()
    for start in range(0, len(texts), batch):
        screen_many(texts[start : start + batch], config=config)
    rate = len(texts) / (time.perf_counter() - started)
    sys.stdout.write(json.dumps({"screening_per_second": rate}) + "\n")


def product_batch() -> int:
    """Items per processing task as the product queues them."""
    _django()
    from kanalvakt.inbox.ingest import BATCH

    return BATCH


def work() -> None:
    _django()
    from django.core.management import call_command

    call_command("worker", batch=True, interval=0.05, verbosity=0)


def report(since: float, workers: int, batch: int) -> None:
    _django()
    from django.db.models import Max, Min

    from kanalvakt.inbox.models import InboxEntry, ItemProcessing

    start = datetime.datetime.fromtimestamp(since, tz=datetime.UTC)
    worked = ItemProcessing.objects.filter(processed_at__gte=start)
    times = worked.aggregate(first=Min("processed_at"), last=Max("processed_at"))
    span = (times["last"] - times["first"]).total_seconds() if times["first"] else 0.0
    # From the first batch's end to the last one's: every item but those of each
    # worker's first batch (started during the start-up) was processed in between.
    steady = max(0, worked.count() - workers * batch) / span if span else 0.0
    sys.stdout.write(
        json.dumps(
            {
                "unprocessed": ItemProcessing.objects.filter(processed_at__isnull=True).count(),
                "attempts": sorted(set(ItemProcessing.objects.values_list("attempts", flat=True))),
                "entries": InboxEntry.objects.count(),
                "steady": steady,
            }
        )
        + "\n"
    )


def child(env: dict[str, str], *args: str) -> dict[str, object]:
    done = subprocess.run(  # noqa: S603 - this script
        [sys.executable, __file__, *args], env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(done.stderr[-3000:])
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def enqueue(env: dict[str, str], batch: int) -> None:
    code = (
        "import os, django; os.environ['TASKS_BACKEND']='django_tasks_db.DatabaseBackend';"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE','kanalvakt.settings'); django.setup();"
        "from kanalvakt.inbox.models import ItemProcessing;"
        "from kanalvakt.inbox.ingest import processing_enqueue;"
        "ids=list(ItemProcessing.objects.filter(processed_at__isnull=True)"
        ".order_by('item_id').values_list('item_id', flat=True));"
        f"processing_enqueue(ids, size={batch})"
    )
    subprocess.run([sys.executable, "-c", code], env=env, check=True)  # noqa: S603


def fresh_postgres(base_url: str, name: str) -> str:
    import psycopg

    with psycopg.connect(base_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return base_url.rsplit("/", 1)[0] + "/" + name


def run(label: str, env: dict[str, str], workers: int, args: argparse.Namespace) -> str:
    child(env, "--prepare", str(args.items + args.batch))
    statements = child(env, "--count-statements", str(args.batch))
    enqueue(env, args.batch)
    load = os.getloadavg()[0]
    since = time.time()
    started = time.perf_counter()
    processes = [
        subprocess.Popen([sys.executable, __file__, "--work"], env=env)  # noqa: S603
        for _ in range(workers)
    ]
    for process in processes:
        process.wait()
    seconds = time.perf_counter() - started
    final = child(
        env, "--report", str(since), "--workers", str(workers), "--batch", str(args.batch)
    )
    assert final["unprocessed"] == 0 and final["attempts"] == [1], final
    per_item = int(statements["statements"]) / int(statements["done"])  # type: ignore[call-overload]
    return (
        f"| {label} | {workers} | {args.items} | {seconds:.1f} s | "
        f"{args.items / seconds:.0f} | {float(final['steady']):.0f} | {per_item:.2f} | "  # type: ignore[arg-type]
        f"{load:.1f} → {os.getloadavg()[0]:.1f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument(
        "--batch", type=int, default=0, help="items per task (default: the product's BATCH)"
    )
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--skip-sqlite", action="store_true", help="only PostgreSQL")
    parser.add_argument("--prepare", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--count-statements", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--work", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--report", type=float, default=0.0, help=argparse.SUPPRESS)
    parser.add_argument("--reference", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.reference:
        return reference(args.reference, args.batch)
    if args.prepare:
        return prepare(args.prepare)
    if args.count_statements:
        return count_statements(args.count_statements)
    if args.work:
        return work()
    if args.report:
        return report(args.report, int(args.workers), args.batch)

    args.batch = args.batch or product_batch()
    base = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    base.update(
        KANALVAKT_INSECURE_DEV_KEY="1",
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        PYTHONPATH=str(REPO),
        LOG_LEVEL="ERROR",
    )
    rows = []
    counts = [int(n) for n in args.workers.split(",")]
    with tempfile.TemporaryDirectory(prefix="kanalvakt-bench-") as tmp:
        (Path(tmp) / "static").mkdir()
        floor = child(
            {**base, "KANALVAKT_VAR_DIR": tmp},
            "--reference",
            str(args.items),
            "--batch",
            str(args.batch),
        )
    screening = float(floor["screening_per_second"])  # type: ignore[arg-type]
    with tempfile.TemporaryDirectory(prefix="kanalvakt-bench-") as tmp:
        for workers in [] if args.skip_sqlite else counts:
            var = Path(tempfile.mkdtemp(dir=tmp))
            (var / "static").mkdir()
            rows.append(run("SQLite", {**base, "KANALVAKT_VAR_DIR": str(var)}, workers, args))
            print(rows[-1], flush=True)  # noqa: T201
        if os.environ.get("DATABASE_URL"):
            for workers in counts:
                url = fresh_postgres(os.environ["DATABASE_URL"], f"bench_workers_{workers}")
                var = Path(tempfile.mkdtemp(dir=tmp))
                (var / "static").mkdir()
                env = {**base, "KANALVAKT_VAR_DIR": str(var), "DATABASE_URL": url}
                rows.append(run("PostgreSQL", env, workers, args))
                print(rows[-1], flush=True)  # noqa: T201
    print(  # noqa: T201
        f"\nProcessing {args.items} items, tasks of {args.batch} items, "
        f"{os.cpu_count()} cores shared by the workers and the database.\n\n"
        f"Reference in the same run: screening alone (screen_many, one process, no database) "
        f"{screening:.0f} items/s.\n\n"
        "Wall time includes starting the worker processes (Django and the screening's "
        "lexicons take seconds each), so small runs understate the rate.\n\n"
        "| database | workers | items | wall time | items/s (wall) | items/s (processing) "
        "| SQL statements per item | load average before → after |\n"
        "|---|---|---|---|---|---|---|---|"
    )
    for row in rows:
        print(row)  # noqa: T201


if __name__ == "__main__":
    main()
