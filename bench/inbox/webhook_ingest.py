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
import hashlib
import hmac
import io
import json
import logging
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
APP_SECRET = "bench-app-secret"  # noqa: S105 - a benchmark's own test secret
PAGE_ID = "104857600999999"


def _django(env_overrides: dict[str, str]) -> None:
    os.environ.update(env_overrides)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kanalvakt.settings")
    os.environ.setdefault("KANALVAKT_INSECURE_DEV_KEY", "1")
    sys.path[:0] = [str(REPO), str(HERE)]
    import django

    django.setup()


def prepare() -> None:
    """In a child process: migrate, create the organisation, credentials and page."""
    _django({})
    from django.core.management import call_command

    from kanalvakt.inbox.services import platform_credentials_set
    from kanalvakt.organisations.models import Role, User
    from kanalvakt.organisations.services import (
        membership_grant,
        organisation_create,
        unit_create,
    )
    from kanalvakt.register.models import Account
    from kanalvakt.register.services import account_create

    call_command("migrate", verbosity=0)
    suffix = secrets.token_hex(3)
    organisation = organisation_create(
        actor=None,
        name=f"Bench {suffix}",
        slug=f"bench-{suffix}",
        kind="municipality",
        country="SE",
    )
    lead = User.objects.create_user(f"bench-lead-{suffix}", email="lead@example.org")
    membership_grant(actor=None, organisation=organisation, user=lead, role=Role.COMMS_LEAD)
    unit = unit_create(actor=None, organisation=organisation, name="KLF", kind="administration")
    account = account_create(
        actor=lead,
        organisation=organisation,
        unit=unit,
        platform="facebook",
        handle=f"bench{suffix}",
        display_name="Bench",
        url="https://www.facebook.com/bench",
        purpose="Benchmark",
        audience="Ingen",
        responsible=lead,
        contact="lead@example.org",
        status="active",
    )
    Account.objects.filter(pk=account.pk).update(external_id=PAGE_ID)
    credentials = platform_credentials_set(
        actor=lead, organisation=organisation, platform="facebook", app_secret=APP_SECRET
    )
    sys.stdout.write(json.dumps({"key": credentials.webhook_key}) + "\n")


def count_statements(key: str, requests: int) -> None:
    """In a child process: the SQL statements one new delivery costs before its 200, and
    the server's own time per request of each kind, calling the WSGI application directly
    in one thread (no HTTP, no client: what the request costs the server's CPU)."""
    application = _bench_app()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def call(path: str, body: bytes, signature: str | None) -> str:
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": path,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "HTTP_HOST": "127.0.0.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "CONTENT_LENGTH": str(len(body)),
            "CONTENT_TYPE": "application/json",
        }
        if signature:
            environ["HTTP_X_HUB_SIGNATURE_256"] = signature
        status: list[str] = []
        chunks = application(environ, lambda code, headers, exc=None: status.append(code))
        b"".join(chunks)
        chunks.close()
        return status[0]

    webhook = f"/webhooks/facebook/{key}/"
    run = "count" + secrets.token_hex(2)
    call(webhook, delivery(0, run), sign(delivery(0, run)))  # a connection, prepared statements
    body = delivery(1, run)
    # Django's connection health check (a `SELECT 1` on PostgreSQL) bypasses the query log:
    # count its calls. A server's request_started resets it before each request.
    checks: list[str] = []
    wrapper: Any = connection
    is_usable = wrapper.is_usable

    def counted_is_usable() -> bool:
        checks.append("SELECT 1 -- the connection health check")
        return bool(is_usable())

    wrapper.is_usable = counted_is_usable
    with CaptureQueriesContext(connection) as queries:
        connection.close_if_unusable_or_obsolete()
        status = call(webhook, body, sign(body))
    assert status.startswith("200"), status
    statements = checks + [q["sql"] for q in queries.captured_queries]
    bodies = [delivery(n, run + "t") for n in range(2, 2 + requests)]
    signatures = [sign(body) for body in bodies]
    times = {}
    for kind, path in (
        ("trivial", "/bench/trivial/"),
        ("lean", "/bench/lean-trivial/"),
        ("webhook", webhook),
    ):
        started = time.perf_counter()
        for body, signature in zip(bodies, signatures, strict=True):
            call(path, body, signature if kind == "webhook" else None)
        times[kind] = (time.perf_counter() - started) / len(bodies) * 1000
    sys.stdout.write(
        json.dumps({"statements": len(statements), "sql": statements, "ms": times}) + "\n"
    )


def _bench_app() -> Any:
    """The project's WSGI application with the benchmark's two trivial views added."""
    _django({})
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application

    settings.ROOT_URLCONF = "webhook_ingest_urls"
    middleware = list(settings.MIDDLEWARE)
    # Where the webhook's shortcut is (or would be, in code from before it: after Security).
    after = next(
        name
        for name in ("kanalvakt.inbox.webhooks.WebhookMiddleware", middleware[0])
        if name in middleware
    )
    middleware.insert(middleware.index(after) + 1, "webhook_ingest_urls.LeanTrivialMiddleware")
    settings.MIDDLEWARE = middleware
    return get_wsgi_application()


def gunicorn_app() -> Any:
    """For `gunicorn 'webhook_ingest:gunicorn_app()'` (`--server gunicorn`)."""
    return _bench_app()


def serve(port: int, threads: int) -> None:
    """In a child process: the project plus the trivial views, on waitress."""
    from waitress import serve as waitress_serve

    application = _bench_app()
    # "Task queue depth is N" is waitress saying requests wait for a thread: expected here.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    waitress_serve(application, host="127.0.0.1", port=port, threads=threads, _quiet=True)


def start_server(port: int, env: dict[str, str], args: argparse.Namespace) -> Any:
    if args.server == "gunicorn":
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--worker-class",
            "gthread",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--bind",
            f"127.0.0.1:{port}",
            "--chdir",
            str(HERE),
            "--log-level",
            "warning",
            "webhook_ingest:gunicorn_app()",
        ]
    else:
        me = [sys.executable, str(Path(__file__).resolve())]
        command = [*me, "--serve", str(port), "--threads", str(args.threads)]
    env = {**env, "PYTHONPATH": os.pathsep.join([str(REPO), str(HERE)])}
    return subprocess.Popen(command, env=env)  # noqa: S603 - this script or gunicorn


def delivery(number: int, run: str) -> bytes:
    value = {
        "item": "comment",
        "verb": "add",
        "comment_id": f"{PAGE_ID}_{run}{number:08d}",
        "post_id": f"{PAGE_ID}_777000111222333",
        "parent_id": f"{PAGE_ID}_777000111222333",
        "from": {"id": f"55500{number:08d}", "name": "Åsa Öberg"},
        "message": f"Hej! När öppnar återvinningscentralen efter helgen? ({number})",
        "created_time": int(time.time()),
    }
    body = {
        "object": "page",
        "entry": [
            {
                "id": PAGE_ID,
                "time": int(time.time()),
                "changes": [{"field": "feed", "value": value}],
            }
        ],
    }
    return json.dumps(body, ensure_ascii=False).encode()


def sign(body: bytes) -> str:
    return "sha256=" + hmac.new(APP_SECRET.encode(), body, hashlib.sha256).hexdigest()


def load(
    url: str,
    bodies: list[bytes],
    concurrency: int,
    headers_for: Callable[[bytes], dict[str, str]],
) -> tuple[float, list[float], int]:
    """POST every body with `concurrency` clients; (seconds, latencies, errors)."""
    import httpx

    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    queue = list(reversed(bodies))

    def client() -> None:
        nonlocal errors
        with httpx.Client(timeout=60) as http:
            while True:
                with lock:
                    if not queue:
                        return
                    body = queue.pop()
                started = time.perf_counter()
                response = http.post(url, content=body, headers=headers_for(body))
                elapsed = time.perf_counter() - started
                with lock:
                    latencies.append(elapsed)
                    if response.status_code != 200:
                        errors += 1

    workers = [threading.Thread(target=client) for _ in range(concurrency)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return time.perf_counter() - started, latencies, errors


def p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("the server ended before it listened")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server never listened")


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


def print_results(results: list[dict[str, Any]], args: argparse.Namespace, loads: str) -> None:
    cores = os.cpu_count()
    server = (
        f"gunicorn gthread, {args.workers} processes x {args.threads} threads"
        if args.server == "gunicorn"
        else f"waitress, 1 process x {args.threads} threads"
    )
    print(  # noqa: T201 - a benchmark prints its figures
        f"\nWebhook ingest, {args.requests} requests of each kind in {args.rounds} interleaved "
        f"rounds, {args.concurrency} clients, {server}, {cores} cores shared with the client; "
        f"load average {loads}.\n"
        "References: 'trivial' is a view through all the project's middleware; 'short' is the "
        "same view sent past the middleware as the webhook is (WebhookMiddleware).\n"
    )
    print(  # noqa: T201
        "| database | trivial req/s | short trivial req/s | webhook deliveries/s | "
        "ratio to trivial | ratio to short | trivial p50 / p99 ms | short p50 / p99 ms | "
        "webhook p50 / p99 ms | repeated delivery p99 ms | non-200 | SQL statements per "
        "delivery |\n|---|---|---|---|---|---|---|---|---|---|---|---|"
    )
    for r in results:
        print(  # noqa: T201
            f"| {r['database']} | {r['trivial_rps']:.0f} | {r['lean_rps']:.0f} | "
            f"{r['webhook_rps']:.0f} | {r['webhook_rps'] / r['trivial_rps']:.2f} | "
            f"{r['webhook_rps'] / r['lean_rps']:.2f} | "
            f"{r['trivial_p50']:.1f} / {r['trivial_p99']:.1f} | "
            f"{r['lean_p50']:.1f} / {r['lean_p99']:.1f} | "
            f"{r['webhook_p50']:.1f} / {r['webhook_p99']:.1f} | "
            f"{r['repeat_p99']:.1f} | {r['errors']} | {r['statements']} |"
        )


def print_in_process(results: list[dict[str, Any]]) -> None:
    print(  # noqa: T201
        "\nThe server's own time per request, in-process (the WSGI application called "
        "directly, one thread):\n\n| database | trivial ms | short trivial ms | webhook ms | "
        "ratio (req/s) to trivial | to short |\n|---|---|---|---|---|---|"
    )
    for r in results:
        ms = r["in_process_ms"]
        print(  # noqa: T201
            f"| {r['database']} | {ms['trivial']:.2f} | {ms['lean']:.2f} | "
            f"{ms['webhook']:.2f} | {ms['trivial'] / ms['webhook']:.2f} | "
            f"{ms['lean'] / ms['webhook']:.2f} |"
        )


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


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
