"""Webhook ingest benchmark: signed Facebook deliveries per second and p99 latency.

    .venv/bin/python bench/inbox/webhook_ingest.py [--requests 1000] [--concurrency 8]
    scripts/with-postgres.sh .venv/bin/python bench/inbox/webhook_ingest.py
    … --server gunicorn --workers 2 --threads 4     (as docs/deployment.md runs the web)

A real server (waitress, one process, by default; or gunicorn's gthread
workers) on 127.0.0.1 serves the whole project. The client POSTs signed
`X-Hub-Signature-256` Facebook feed deliveries, each with a new comment, to
`/webhooks/facebook/<key>/`; the 200 comes back after the delivery's exact
bytes are stored with their reading queued (a DeliveryIngest row and the
django-tasks-db task row, in the same transaction); cutting the delivery
into items and processing them is the worker's, not running here. It also
prints the SQL statements one new delivery costs before its 200.

The references, in the same server and the same run: the same number of
POSTs of the same size to a trivial view (stores nothing) through all the
project's middleware, as any page goes; and to the same trivial view sent
past the middleware the way the webhook is (`WebhookMiddleware`). The three
kinds are measured in interleaved rounds, so a change of load on a shared
machine falls on all three. The ratios are the figures: how much of the
server's capacity ingest costs. The load average is printed too.

Runs on a fresh SQLite file database in a temporary directory, and also on
PostgreSQL when DATABASE_URL is set (there it adds an organisation named
"Bench …" to that database). Prints Markdown tables. Not a test: nothing is
asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from webhook_ingest_inprocess import count_statements
from webhook_ingest_load import delivery, load, p, sign
from webhook_ingest_report import load_average, print_in_process, print_results
from webhook_ingest_server import free_port, prepare, serve, start_server, wait_for


def run_database(label: str, env: dict[str, str], args: argparse.Namespace) -> dict[str, object]:
    me = [sys.executable, str(Path(__file__).resolve())]
    prepared = subprocess.run(  # noqa: S603 - this script
        [*me, "--prepare"], env=env, capture_output=True, text=True, check=True
    )
    key = json.loads(prepared.stdout.strip().splitlines()[-1])["key"]
    counted = subprocess.run(  # noqa: S603 - this script
        [*me, "--count-statements", key, "--requests", str(args.in_process)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    figures = json.loads(counted.stdout.strip().splitlines()[-1])
    statements = figures["statements"]
    port = free_port()
    server = start_server(port, env, args)
    try:
        wait_for(port, server)
        base = f"http://127.0.0.1:{port}"
        urls = {
            "trivial": f"{base}/bench/trivial/",
            "lean": f"{base}/bench/lean-trivial/",
            "webhook": f"{base}/webhooks/facebook/{key}/",
        }
        run = secrets.token_hex(2)

        def signed(body: bytes) -> dict[str, str]:
            return {"Content-Type": "application/json", "X-Hub-Signature-256": sign(body)}

        def plain(body: bytes) -> dict[str, str]:
            return {"Content-Type": "application/json"}

        headers = {"trivial": plain, "lean": plain, "webhook": signed}
        warm = [delivery(n, run + "w") for n in range(args.warmup)]
        for kind, url in urls.items():
            load(url, warm, args.concurrency, headers[kind])
        # Interleaved rounds: on a shared machine the load changes within a minute, and
        # measuring one kind after the other would put the change into the ratio.
        bodies = [delivery(n, run) for n in range(args.requests)]
        seconds = dict.fromkeys(urls, 0.0)
        latencies: dict[str, list[float]] = {kind: [] for kind in urls}
        errors = 0
        size = -(-len(bodies) // args.rounds)
        for start in range(0, len(bodies), size):
            chunk = bodies[start : start + size]
            for kind, url in urls.items():
                took, lat, failed = load(url, chunk, args.concurrency, headers[kind])
                seconds[kind] += took
                latencies[kind] += lat
                errors += failed
        repeat_seconds, repeat_lat, repeat_errors = load(
            urls["webhook"], bodies[: max(1, args.requests // 4)], args.concurrency, signed
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    n = args.requests
    result: dict[str, object] = {
        "database": label,
        "repeat_rps": len(repeat_lat) / repeat_seconds,
        "repeat_p99": p(repeat_lat, 0.99) * 1000,
        "errors": errors + repeat_errors,
        "statements": statements,
        "in_process_ms": figures["ms"],
    }
    for kind in urls:
        result[f"{kind}_rps"] = n / seconds[kind]
        result[f"{kind}_p50"] = statistics.median(latencies[kind]) * 1000
        result[f"{kind}_p99"] = p(latencies[kind], 0.99) * 1000
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--threads", type=int, default=8, help="threads per server process")
    parser.add_argument("--server", choices=["waitress", "gunicorn"], default="waitress")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn processes")
    parser.add_argument("--rounds", type=int, default=4, help="interleaved rounds")
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--in-process", type=int, default=300, help="requests timed in-process")
    parser.add_argument("--databases", default="sqlite,postgresql", help="which of the two")
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--serve", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--count-statements", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        prepare()
        return
    if args.count_statements:
        count_statements(args.count_statements, args.requests)
        return
    if args.serve:
        serve(args.serve, args.threads)
        return

    base_env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    base_env.update(
        KANALVAKT_INSECURE_DEV_KEY="1",
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        DEBUG="0",
        # Plain http on loopback: production terminates TLS in front (docs/deployment.md).
        SECURE_SSL_REDIRECT="0",
        LOG_LEVEL=os.environ.get("LOG_LEVEL", "WARNING"),
    )
    before = load_average()
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="kanalvakt-bench-") as var_dir:
        (Path(var_dir) / "static").mkdir()
        if "sqlite" in args.databases:
            env = {**base_env, "KANALVAKT_VAR_DIR": var_dir}
            results.append(run_database("SQLite", env, args))
        if os.environ.get("DATABASE_URL") and "postgresql" in args.databases:
            env = {**base_env, "KANALVAKT_VAR_DIR": var_dir}
            env["DATABASE_URL"] = os.environ["DATABASE_URL"]
            results.append(run_database("PostgreSQL", env, args))

    print_results(results, args, f"{before} at the start, {load_average()} at the end")
    print_in_process(results)


if __name__ == "__main__":
    main()
