"""Import benchmark: a generated X `tweets.js` archive through `import_archive`'s code path.

    .venv/bin/python bench/intake/import_x_archive.py [N] [--batch-size B]
    scripts/with-postgres.sh .venv/bin/python bench/intake/import_x_archive.py [N]

Writes an N-item (default 1,000,000) `tweets.js` in a temporary directory,
streamed, then imports it with the same functions the command uses
(`import_job_start`, `import_run`: one Delivery per batch, the batch's new
items written in one go (binary COPY on PostgreSQL, executemany on SQLite), one
chained audit event per batch and one processing task per batch on the
database task backend; on PostgreSQL a second process reads the file and
builds the batches while this one writes them) into a throwaway SQLite
database, and, when DATABASE_URL is set, into a throwaway PostgreSQL database
too. Prints wall time, items per second, SQL statements per item and peak
memory (the process's maxrss, the reading process's after a plus, and the
Python heap peak from tracemalloc when --tracemalloc is given; it slows the
run down), and the reference measured
in the same process just before: the standard library's `json.loads` of
every tweet in the file. The CPU columns are the import's processor time in this
process (reader thread included), in the reading process that a large import on
PostgreSQL starts (`intake.reading`; 0 when there is none) and in the PostgreSQL
server process serving its connection (read from /proc; 0 on SQLite): on a busy
machine these move far less than the wall time. Processing the imported
items is measured by bench/inbox/processing_workers.py.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TEXTS = [
    "Snöröjningen i centrum börjar klockan sex i morgon. Flytta bilen från gatan, tack!",
    "Kirjastoauto ei tänään aja Veikkolaan. Pahoittelemme!",
    "Välkommen till öppet hus på Tallbackaskolan på torsdag kl 18.",
    "Vattnet stängs av på Storgatan 12–20 mellan kl 9 och 12 på grund av ledningsarbete.",
    "Kiitos palautteesta! Välitämme asian tekniselle toimelle.",
    "@invanare Tack för tipset, vi skickar ut någon och tittar på lyktstolpen.",
]


def write_archive(path: Path, count: int) -> float:
    """Stream an X archive with `count` tweets to `path`; return the seconds it took."""
    started = time.perf_counter()
    base = 1_600_000_000_000_000_000
    with path.open("w", encoding="utf-8", buffering=1024 * 1024) as out:
        out.write("window.YTD.tweets.part0 = [\n")
        for n in range(count):
            tweet: dict[str, object] = {
                "edit_info": {"initial": {"editTweetIds": [str(base + n)], "editable": "false"}},
                "retweeted": False,
                "source": '<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>',
                "entities": {"hashtags": [], "symbols": [], "user_mentions": [], "urls": []},
                "display_text_range": ["0", "120"],
                "favorite_count": str(n % 17),
                "id_str": str(base + n),
                "truncated": False,
                "retweet_count": str(n % 5),
                "id": str(base + n),
                "created_at": f"Wed Nov 19 10:{n // 60 % 60:02d}:{n % 60:02d} +0000 2025",
                "favorited": False,
                "full_text": f"{TEXTS[n % len(TEXTS)]} ({n})",
                "lang": "fi" if n % len(TEXTS) in (1, 4) else "sv",
            }
            if n % 3 == 0 and n:
                tweet["in_reply_to_status_id_str"] = str(base + n - 1)
            out.write(("" if n == 0 else ",\n") + json.dumps({"tweet": tweet}, ensure_ascii=False))
        out.write("\n]\n")
    return time.perf_counter() - started


def reference_seconds(path: Path) -> float:
    """The reference, measured in the same process just before the import: the standard
    library's `json.loads` of every tweet (one per line in the generated file), the floor
    that any Python reader of the archive pays without a fast parser."""
    started = time.perf_counter()
    with path.open("rb") as stream:
        for line in stream:
            line = line.strip().rstrip(b",")
            if line.startswith(b"{"):
                json.loads(line)
    return time.perf_counter() - started


def backend_cpu_seconds() -> float:
    """CPU time of this connection's PostgreSQL server process so far (0 on SQLite)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:  # the server runs elsewhere
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children_cpu_seconds() -> float:
    """CPU time of this process's ended children (the import's reading process)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def maxrss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class _StatementCounter:
    """Counts SQL statements through Django's cursor (an executemany counts once). The
    COPY of each batch on PostgreSQL bypasses that cursor: add one per batch."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        self.count += 1
        return execute(sql, params, many, context)


def run_import(
    path: Path, count: int, batch_size: int, use_tracemalloc: bool, profile: bool = False
) -> None:
    """Import into a throwaway database of the configured kind and print one result line."""
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from kanalvakt.intake.importing import import_job_start, import_run
    from kanalvakt.organisations.services import (
        membership_grant,
        organisation_create,
        unit_create,
    )
    from kanalvakt.organisations.tests.factories import UserFactory
    from kanalvakt.register.models import Account
    from kanalvakt.register.services import account_create

    engine = "PostgreSQL" if "postgresql" in settings.DATABASES["default"]["ENGINE"] else "SQLite"
    test_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        organisation = organisation_create(
            actor=None, name="Benchkommun", slug="bench", kind="municipality", country="SE"
        )
        unit = unit_create(
            actor=None, organisation=organisation, name="Kommunikation", kind="administration"
        )
        owner = UserFactory.create(username="bench-owner")
        membership_grant(actor=None, organisation=organisation, user=owner, role="account_owner")
        account = account_create(
            actor=None,
            organisation=organisation,
            unit=unit,
            platform="x",
            handle="benchkommun",
            display_name="Benchkommun",
            url="https://x.com/benchkommun",
            purpose="Information",
            audience="Invånare",
            responsible=owner,
            contact="info@example.se",
            status="active",
        )
        Account.objects.filter(pk=account.pk).update(external_id="1500000000000000001")
        account.refresh_from_db()
        reference = reference_seconds(path)
        baseline = maxrss_mib()
        if use_tracemalloc:
            tracemalloc.start()
        started = time.perf_counter()
        cpu_started = time.process_time()
        children_started = children_cpu_seconds()
        server_started = backend_cpu_seconds()
        job = import_job_start(actor=None, account=account, format="x", path=path)
        statements = _StatementCounter()
        with connection.execute_wrapper(statements):
            if profile:
                import cProfile
                import pstats

                with cProfile.Profile() as profiler:
                    job = import_run(job=job, path=path, batch_size=batch_size)
                pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
            else:
                job = import_run(job=job, path=path, batch_size=batch_size)
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
        children = children_cpu_seconds() - children_started
        from kanalvakt.intake.reading import ReadingProcess

        child_mib = ReadingProcess.last_peak_rss_kib / 1024  # its own, since its start
        child_rss = f" + {child_mib:.0f} MiB" if children else ""
        server = backend_cpu_seconds() - server_started
        heap = ""
        if use_tracemalloc:
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            heap = f" | {peak / 1024 / 1024:.1f} MiB"
        assert job.new_count == count, (job.new_count, count)
        print(
            f"| {engine} | {count:,} | {batch_size} | {seconds:,.1f} s | {cpu:,.1f} s | "
            f"{children:,.1f} s | {server:,.1f} s | "
            f"{count / seconds:,.0f} | {statements.count / count:.3f} | "
            f"{baseline:.0f} MiB | {maxrss_mib():.0f} MiB{child_rss}{heap} | "
            f"{reference:,.1f} s | {seconds / reference:.1f} |",
            flush=True,
        )
    finally:
        connection.creation.destroy_test_db(test_name, verbosity=0)


def run_read_only(path: Path, count: int, use_tracemalloc: bool) -> None:
    """Only the streaming reader, no database: the parse rate and its memory at full size."""
    from kanalvakt.connectors.archives import read_x_tweets

    if use_tracemalloc:
        tracemalloc.start()
    started = time.perf_counter()
    seen = 0
    with path.open("rb") as stream:
        for _entry in read_x_tweets(stream, account_id="1", handle="benchkommun"):
            seen += 1
    seconds = time.perf_counter() - started
    heap = ""
    if use_tracemalloc:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        heap = f"Python heap peak {peak / 1024 / 1024:.2f} MiB, "
    assert seen == count, (seen, count)
    print(
        f"Reader only (no database): {count:,} tweets in {seconds:,.1f} s = "
        f"{count / seconds:,.0f} items/s; {heap}maxrss {maxrss_mib():.0f} MiB",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, default=1_000_000)
    parser.add_argument("--batch-size", type=int, default=2000)
    parser.add_argument("--tracemalloc", action="store_true")
    parser.add_argument(
        "--profile", action="store_true", help="cProfile the import, by own time (slow)"
    )
    parser.add_argument(
        "--read-only", action="store_true", help="only stream the reader, no database"
    )
    parser.add_argument(
        "--archive",
        type=Path,
        help="reuse this generated tweets.js (written there first if missing; keep it in /tmp)",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()

    sys.path.insert(0, str(REPO))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kanalvakt.settings")
    os.environ.setdefault("KANALVAKT_INSECURE_DEV_KEY", "1")
    os.environ["TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"
    os.environ.setdefault("LOG_LEVEL", "WARNING")

    if args.child:
        run_import(
            Path(args.child), args.count, args.batch_size, args.tracemalloc, profile=args.profile
        )
        return

    with tempfile.TemporaryDirectory(prefix="kanalvakt-bench-") as tmp:
        archive = args.archive or Path(tmp) / "tweets.js"
        if not archive.exists():
            written = write_archive(archive, args.count)
            size = archive.stat().st_size
            print(
                f"Generated {args.count:,} tweets: {size / 1024 / 1024:,.1f} MiB in {written:.1f} s"
            )
        if args.read_only:
            run_read_only(archive, args.count, args.tracemalloc)
            return
        heap = " Python heap peak |" if args.tracemalloc else ""
        print(
            f"\n| database | items | batch | wall time | CPU (this process) |"
            f" CPU (reading process) | CPU (PostgreSQL server) | items/s |"
            f" SQL statements per item |"
            f" maxrss before | maxrss after |{heap} reference | wall / reference |\n"
            f"|---|---|---|---|---|---|---|---|---|---|---|{'---|' if heap else ''}---|---|",
            flush=True,
        )
        runs = [{k: v for k, v in os.environ.items() if k != "DATABASE_URL"}]
        if os.environ.get("DATABASE_URL"):
            runs.append(dict(os.environ))
        for env in runs:
            env = {**env, "KANALVAKT_VAR_DIR": tempfile.mkdtemp(dir=tmp)}
            command = [sys.executable, __file__, str(args.count), "--child", str(archive)]
            command += ["--batch-size", str(args.batch_size)]
            if args.tracemalloc:
                command.append("--tracemalloc")
            if args.profile:
                command.append("--profile")
            subprocess.run(command, env=env, check=True)  # noqa: S603


if __name__ == "__main__":
    main()
