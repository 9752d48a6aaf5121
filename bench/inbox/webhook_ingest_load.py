"""The webhook ingest benchmark's load: signed Facebook feed deliveries, each with a new
comment, POSTed by concurrent clients; latencies and their percentiles."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Callable

APP_SECRET = "bench-app-secret"  # noqa: S105 - a benchmark's own test secret
PAGE_ID = "104857600999999"


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
