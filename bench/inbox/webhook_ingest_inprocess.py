"""The webhook ingest benchmark in-process: the SQL statements one delivery costs before
its 200, and the server's own time per request (run in a child of `webhook_ingest.py`)."""

from __future__ import annotations

import io
import json
import secrets
import sys
import time
from typing import Any

from webhook_ingest_load import delivery, sign
from webhook_ingest_server import bench_app


def count_statements(key: str, requests: int) -> None:
    """In a child process: the SQL statements one new delivery costs before its 200, and
    the server's own time per request of each kind, calling the WSGI application directly
    in one thread (no HTTP, no client: what the request costs the server's CPU)."""
    application = bench_app()
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
