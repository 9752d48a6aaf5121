"""A web process killed with SIGKILL while deliveries arrive loses none it acknowledged.

A real server (waitress, the whole project) receives signed deliveries from
eight clients and is killed with SIGKILL part-way. It is started again, and
every delivery that got no 200 is sent again, as the platforms do. Then every
delivery is stored exactly once, with its reading queued exactly once: none
the platform was told "200" about is lost, none sent twice is stored twice.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from kanalvakt.inbox.models import PlatformCredentials
from kanalvakt.inbox.tests.conftest import meta_signature
from kanalvakt.inbox.tests.test_ingest import big_delivery
from kanalvakt.inbox.tests.test_sigkill import REPO, _database_env
from kanalvakt.register.models import Account

DELIVERIES = 240
KILL_AFTER = 60
WEB = [sys.executable, "-m", "kanalvakt.inbox.tests.crash_web"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(  # noqa: S603 - our own module, fixed arguments
        [*WEB, "serve", str(port)], env=env, cwd=REPO, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            assert server.stderr is not None
            pytest.fail(f"server ended: {server.stderr.read().decode()[-3000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    pytest.fail("the server never listened")


def _send(url: str, bodies: list[bytes], acknowledged: set[int], stop_after: int) -> None:
    """POST the bodies with 8 clients; note which got a 200. Errors are what a kill gives."""
    pending = list(range(len(bodies)))
    lock = threading.Lock()

    def client() -> None:
        with httpx.Client(timeout=10) as http:
            while True:
                with lock:
                    if not pending or len(acknowledged) >= stop_after:
                        return
                    number = pending.pop(0)
                try:
                    response = http.post(
                        url,
                        content=bodies[number],
                        headers={
                            "Content-Type": "application/json",
                            "X-Hub-Signature-256": meta_signature(bodies[number]),
                        },
                    )
                except httpx.HTTPError:
                    continue
                if response.status_code == 200:
                    with lock:
                        acknowledged.add(number)

    threads = [threading.Thread(target=client) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


@pytest.mark.django_db(transaction=True)
def test_a_sigkilled_web_process_loses_no_acknowledged_delivery(
    tmp_path: Path, facebook_credentials: PlatformCredentials, page: Account
) -> None:
    (tmp_path / "static").mkdir()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "PYTEST_XDIST_WORKER"}}
    env.update(_database_env(tmp_path), KANALVAKT_INSECURE_DEV_KEY="1", PYTHONPATH=str(REPO))
    env["DATABASE_CONN_MAX_AGE"] = "60"
    bodies = [big_delivery(3, suffix=f"_w{number}") for number in range(DELIVERIES)]
    port = _free_port()
    url = f"http://127.0.0.1:{port}/webhooks/facebook/{facebook_credentials.webhook_key}/"

    acknowledged: set[int] = set()
    server = _start(env, port)

    def kill_part_way() -> None:
        _wait_for(acknowledged, KILL_AFTER)
        server.send_signal(signal.SIGKILL)

    killer = threading.Thread(target=kill_part_way)
    killer.start()
    _send(url, bodies, acknowledged, stop_after=DELIVERIES)
    killer.join()
    server.wait(timeout=30)
    assert server.returncode == -signal.SIGKILL
    before_restart = set(acknowledged)
    assert KILL_AFTER <= len(before_restart) < DELIVERIES

    server = _start(env, port)
    try:
        missing = [n for n in range(DELIVERIES) if n not in acknowledged]
        again: set[int] = set()
        _send(url, [bodies[n] for n in missing], again, stop_after=len(missing))
        acknowledged |= {missing[n] for n in again}
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert acknowledged == set(range(DELIVERIES))

    done = subprocess.run(  # noqa: S603 - our own module, fixed arguments
        [*WEB, "report"], env=env, cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    stored = json.loads(done.stdout)
    assert stored["bodies"] == sorted(body.decode() for body in bodies)  # all, each once
    assert stored["ingest_rows"] == stored["deliveries"]
    assert stored["queued"] == stored["deliveries"]  # each reading queued exactly once


def _wait_for(acknowledged: set[int], count: int) -> None:
    deadline = time.monotonic() + 120
    while len(acknowledged) < count and time.monotonic() < deadline:
        time.sleep(0.01)
