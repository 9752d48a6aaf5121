"""Kill -9 of web and worker while signed deliveries arrive: nothing acknowledged is lost,
nothing is done twice.

    .venv/bin/python bench/robustness/kill_ingest.py [--deliveries 10000] [--kills 20]
    DATABASE_URL=postgres://… .venv/bin/python bench/robustness/kill_ingest.py

A real web server (waitress) and a real task worker (`kanalvakt db_worker`) run
on a fresh SQLite file (or the PostgreSQL of DATABASE_URL). Eight clients POST
signed Facebook deliveries, each with a new comment. Meanwhile the web server
and the worker are each killed with SIGKILL at random moments and started
again. A delivery counts as acknowledged only when its 200 came back; a client
whose connection died retries it, as Meta does. At the end the worker drains
the queue and the database is counted: every acknowledged comment must be an
item, processed once (one inbox entry, one screening), with no processing
effect stored twice. Prints the figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import logging
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[2]
APP_SECRET = "bench-app-secret"  # noqa: S105 - a benchmark's own test secret
PAGE_ID = "104857600777777"
PYTHON = sys.executable


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kanalvakt.settings")
    os.environ.setdefault("KANALVAKT_INSECURE_DEV_KEY", "1")
    sys.path.insert(0, str(REPO))
    import django

    django.setup()


def prepare() -> str:
    """Migrate; an organisation with a Facebook page; the webhook key."""
    _django()
    from django.core.management import call_command

    from bench.organisation import facebook_page, webhook_key

    call_command("migrate", verbosity=0)
    suffix = os.urandom(3).hex()
    page = facebook_page(
        name=f"Kill {suffix}", slug=f"kill-{suffix}", page_id=PAGE_ID, purpose="Robustness"
    )
    return webhook_key(page, APP_SECRET)


def body(number: int, run: str) -> bytes:
    now = int(time.time())
    value = {
        "item": "comment",
        "verb": "add",
        "comment_id": f"{PAGE_ID}_{run}{number:08d}",
        "post_id": f"{PAGE_ID}_1",
        "parent_id": f"{PAGE_ID}_1",
        "from": {"id": f"9{number:08d}", "name": "Åsa Öberg"},
        "message": f"Hej! Är simhallen öppen i helgen? ({number})",
        "created_time": now,
    }
    delivery = {
        "object": "page",
        "entry": [{"id": PAGE_ID, "time": now, "changes": [{"field": "feed", "value": value}]}],
    }
    return json.dumps(delivery, ensure_ascii=False).encode()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Process:
    """A child process that can be killed with SIGKILL and started again."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.args, self.env = args, env
        self.proc: subprocess.Popen[bytes] | None = None
        self.kills = 0

    def start(self) -> None:
        self.proc = subprocess.Popen(  # noqa: S603
            self.args, env=self.env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()
            self.kills += 1

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


def send_all(url: str, numbers: list[int], run: str, acked: set[int], lock: threading.Lock) -> int:
    """POST each delivery until a 200 comes back; return the retries needed."""
    retries = 0
    with httpx.Client(timeout=10) as client:
        for number in numbers:
            payload = body(number, run)
            signature = (
                "sha256=" + hmac.new(APP_SECRET.encode(), payload, hashlib.sha256).hexdigest()
            )
            while True:
                try:
                    answer = client.post(
                        url,
                        content=payload,
                        headers={
                            "X-Hub-Signature-256": signature,
                            "Content-Type": "application/json",
                        },
                    )
                    if answer.status_code == 200:
                        with lock:
                            acked.add(number)
                        break
                except httpx.HTTPError:
                    pass
                retries += 1
                time.sleep(0.05)
    return retries


def sweep_lost_work() -> None:
    """Run the apps' sweeps that re-enqueue work a kill interrupted (the scheduler's job)."""
    from django.utils.module_loading import import_string

    from kanalvakt.scheduling.jobs import periodic_jobs

    for job in periodic_jobs():
        if "sweep" in job.name and ("item" in job.name or "deliver" in job.name):
            import_string(job.task).enqueue()


def count(run: str, acked: set[int]) -> dict[str, int]:
    from django.db.models import Count

    from kanalvakt.audit.models import AuditEvent
    from kanalvakt.inbox.models import Delivery, InboxEntry, Item
    from kanalvakt.moderation.models import Screening

    wanted = {f"{PAGE_ID}_{run}{number:08d}" for number in acked}
    items = dict(
        Item.objects.filter(external_id__startswith=f"{PAGE_ID}_{run}").values_list(
            "external_id", "pk"
        )
    )
    ids = list(items.values())
    pending = wanted - set(items)
    in_deliveries = 0
    if pending:
        bodies = b"\n".join(
            bytes(body) for body in Delivery.objects.values_list("body", flat=True).iterator()
        )
        in_deliveries = sum(1 for comment in pending if comment.encode() in bodies)
    entries = InboxEntry.objects.filter(item_id__in=ids).count()
    screenings = Screening.objects.filter(item_id__in=ids).count()
    repeated = (
        AuditEvent.objects.filter(target_type="inbox.item", target_id__in=[str(i) for i in ids])
        .values("event_type", "target_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    return {
        "acknowledged": len(acked),
        "stored as items": len(wanted & set(items)),
        "stored, not yet cut into items": in_deliveries,
        "lost (acknowledged, stored nowhere)": len(pending) - in_deliveries,
        "processed (inbox entry)": entries,
        "screened": screenings,
        "effects stored twice": repeated,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deliveries", type=int, default=10_000)
    parser.add_argument("--kills", type=int, default=20, help="kills of each process")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument(
        "--drain-quiet",
        type=float,
        default=300,
        help="stop draining after this many seconds without progress",
    )
    options = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="kanalvakt-kill-"))
    (work / "static").mkdir()
    env = {
        **os.environ,
        "KANALVAKT_VAR_DIR": str(work),
        "KANALVAKT_INSECURE_DEV_KEY": "1",
        "DJANGO_SETTINGS_MODULE": "kanalvakt.settings",
        "PYTHONPATH": str(REPO),
        "TASKS_LOG_LEVEL": "ERROR",
        # Plain http on loopback: without this the production default redirects to https.
        "SECURE_COOKIES": "0",
    }
    os.environ.update(env)
    key = prepare()
    port = _free_port()
    web = Process(
        [
            PYTHON,
            "-m",
            "waitress",
            f"--listen=127.0.0.1:{port}",
            "--threads=8",
            "kanalvakt.wsgi:application",
        ],
        env,
    )
    # `kanalvakt worker` is what production runs: db_worker, started again after a
    # locked database (plain db_worker stops on one, and nothing here would restart it).
    worker = Process([PYTHON, "-m", "kanalvakt.cli", "worker", "--interval", "0.2"], env)
    web.start()
    worker.start()
    url = f"http://127.0.0.1:{port}/webhooks/facebook/{key}/"
    for _ in range(200):
        try:
            httpx.get(f"http://127.0.0.1:{port}/logga-in/", timeout=1)
            break
        except httpx.HTTPError:
            time.sleep(0.1)

    run = f"{random.randrange(10**6):06d}"
    acked: set[int] = set()
    lock = threading.Lock()
    numbers = list(range(options.deliveries))
    shares = [numbers[i :: options.clients] for i in range(options.clients)]
    retries: list[int] = []
    threads = [
        threading.Thread(target=lambda s=share: retries.append(send_all(url, s, run, acked, lock)))
        for share in shares
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    victims = [web, worker] * options.kills
    random.shuffle(victims)
    for victim in victims:
        if not any(thread.is_alive() for thread in threads):
            break
        time.sleep(random.uniform(0.2, 1.5))
        victim.kill()
        time.sleep(random.uniform(0.0, 0.3))
        victim.start()
    for thread in threads:
        thread.join()
    sent = time.monotonic() - started
    # Drain: the worker (and the sweep that re-enqueues what a kill lost) finishes the rest.
    _django()
    logging.getLogger("httpx").setLevel(logging.WARNING)
    from kanalvakt.inbox.models import InboxEntry

    drain_started = time.monotonic()
    last, quiet_since = -1, time.monotonic()
    while True:
        done = InboxEntry.objects.filter(item__external_id__startswith=f"{PAGE_ID}_{run}").count()
        if done >= len(acked):
            break
        if done != last:
            last, quiet_since = done, time.monotonic()
        elif time.monotonic() - quiet_since > 20:
            sweep_lost_work()
        if time.monotonic() - quiet_since > options.drain_quiet:
            break  # nothing moved for that long: count what is there
        time.sleep(2)
    drained = time.monotonic() - drain_started
    web.stop()
    worker.stop()
    figures = count(run, acked)
    database = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
    print(f"## Kill -9 during {options.deliveries} deliveries ({database})\n")
    print("| figure | value |\n|---|---|")
    print(f"| web server killed | {web.kills} |")
    print(f"| worker killed | {worker.kills} |")
    print(f"| client attempts refused while the server was down | {sum(retries)} |")
    print(f"| seconds to send | {sent:.1f} |")
    print(f"| seconds to process the rest after the last kill | {drained:.1f} |")
    for name, value in figures.items():
        print(f"| {name} | {value} |")


if __name__ == "__main__":
    main()
