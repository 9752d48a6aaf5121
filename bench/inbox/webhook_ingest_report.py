"""The webhook ingest benchmark's report: Markdown tables of the figures."""

from __future__ import annotations

import argparse
import os
from typing import Any


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
