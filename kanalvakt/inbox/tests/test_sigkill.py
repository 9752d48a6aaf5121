"""A worker killed with SIGKILL in the middle of processing loses nothing.

The test accepts items the way a webhook does (processing not yet run), then
starts a real worker process on the same database (a file copy of the SQLite
test database, or the PostgreSQL test database) that pauses inside one item's
processing transaction; it is killed there with SIGKILL. A second worker then
processes everything. Every accepted item is processed exactly once: one
processing row marked done after one attempt, one inbox entry, one "entry
opened" event.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from conftest import OrganisationWorld
from kanalvakt.inbox import ingest
from kanalvakt.inbox.models import DeliverySource, Item
from kanalvakt.inbox.services import receiving
from kanalvakt.inbox.tests.conftest import Receive
from kanalvakt.inbox.tests.test_ingest import PAGE, big_delivery
from kanalvakt.register.models import Account
from kanalvakt.register.tests.factories import entered_account

ITEMS = 12
PAUSE_ON = "c5"
REPO = Path(__file__).resolve().parents[3]
WORKER = [sys.executable, "-m", "kanalvakt.inbox.tests.crash_worker"]


def _database_env(var_dir: Path) -> dict[str, str]:
    """Point a child process at the data this test committed."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        source = connection.connection
        assert isinstance(source, sqlite3.Connection)
        target = sqlite3.connect(var_dir / "kanalvakt.sqlite3")
        source.backup(target)
        target.close()
        return {"KANALVAKT_VAR_DIR": str(var_dir)}
    return {
        "KANALVAKT_VAR_DIR": str(var_dir),
        "DATABASE_URL": (
            f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST'] or ''}"
            f":{settings['PORT'] or 5432}/{settings['NAME']}"
        ),
    }


def _run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(  # noqa: S603 - our own module, fixed arguments
        [*WORKER, *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.mark.django_db(transaction=True)
def test_items_survive_a_sigkilled_worker_and_are_processed_exactly_once(
    tmp_path: Path,
    world: OrganisationWorld,
    receive: Receive,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    account = entered_account(world, staffed=True)
    # Accepted, not yet processed: as if the worker had not picked them up.
    monkeypatch.setattr(receiving, "_enqueue_processing", lambda item_id: None)
    for number in range(ITEMS):
        receive(account, f"När öppnar simhallen? ({number})", external_id=f"c{number}")
    (tmp_path / "static").mkdir()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "PYTEST_XDIST_WORKER"}
    }
    env.update(
        _database_env(tmp_path),
        KANALVAKT_INSECURE_DEV_KEY="1",
        PYTHONPATH=str(REPO),
        PAUSED_FILE=str(tmp_path / "paused"),
    )

    worker = subprocess.Popen(  # noqa: S603 - our own module, fixed arguments
        [*WORKER, "work"],
        env={**env, "PAUSE_ON": PAUSE_ON},
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _kill_when_paused(worker, tmp_path / "paused")

    second = json.loads(_run(env, "work"))
    # Everything before the paused item was done; the paused one left no trace.
    after_kill = second["before"]
    assert after_kill["items"] == ITEMS
    assert after_kill["processed"] == 5
    assert PAUSE_ON not in after_kill["entry_items"]

    final = second["after"]
    assert final["items"] == ITEMS
    assert final["processed"] == ITEMS
    assert final["attempts"] == [1]
    assert final["entries"] == ITEMS
    assert final["items_with_entry"] == ITEMS
    assert final["opened_events_per_item"] == [1]
    assert final["items_in_opened_events"] == ITEMS

    # A third run finds nothing to do.
    third = json.loads(_run(env, "work"))
    assert third["before"] == third["after"] == final


DELIVERIES = 3
CHANGES = 60


def _kill_when_paused(worker: subprocess.Popen[bytes], paused: Path) -> None:
    deadline = time.monotonic() + 90
    while not paused.exists():
        if worker.poll() is not None:
            assert worker.stderr is not None
            pytest.fail(f"worker ended early: {worker.stderr.read().decode()[-3000:]}")
        if time.monotonic() > deadline:
            worker.kill()
            pytest.fail("worker never reached the pause")
        time.sleep(0.05)
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=30)
    assert worker.returncode == -signal.SIGKILL


@pytest.mark.parametrize(
    ("pause", "items_before", "processed_before"),
    [
        # Killed inside the 4th ingest batch: delivery 1 (25 + 25 + 10) was stored.
        ({"PAUSE_AT_BATCH": "4"}, CHANGES, 0),
        # Killed inside the processing batch holding the 70th item (items 51–100).
        ({"PAUSE_ON": f"{PAGE}_1_9_d1"}, DELIVERIES * CHANGES, 50),
    ],
    ids=["during-ingest", "during-processing"],
)
@pytest.mark.django_db(transaction=True)
def test_accepted_deliveries_survive_a_sigkilled_worker_and_are_read_exactly_once(
    tmp_path: Path,
    page: Account,
    monkeypatch: pytest.MonkeyPatch,
    pause: dict[str, str],
    items_before: int,
    processed_before: int,
) -> None:
    # Accepted as the webhook accepts them: bytes stored, reading queued, nothing read yet.
    monkeypatch.setattr(ingest, "_enqueue_ingest", lambda delivery_id: None)
    for number in range(DELIVERIES):
        ingest.delivery_accept(
            organisation_id=page.organisation_id,
            platform="facebook",
            source=DeliverySource.WEBHOOK,
            body=big_delivery(CHANGES, suffix=f"_d{number}"),
        )
    assert not Item.objects.exists()
    (tmp_path / "static").mkdir()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "PYTEST_XDIST_WORKER"}
    }
    env.update(
        _database_env(tmp_path),
        KANALVAKT_INSECURE_DEV_KEY="1",
        PYTHONPATH=str(REPO),
        PAUSED_FILE=str(tmp_path / "paused"),
    )
    if "PAUSE_ON" in pause:
        _run({**env, "INGEST_ONLY": "1"}, "ingest")  # read everything; kill the processing
    worker = subprocess.Popen(  # noqa: S603 - our own module, fixed arguments
        [*WORKER, "ingest"],
        env={**env, **pause},
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _kill_when_paused(worker, tmp_path / "paused")

    second = json.loads(_run(env, "ingest"))
    before = second["before"]
    assert before["items"] == items_before
    assert before["processed"] == processed_before
    total = DELIVERIES * CHANGES
    final = second["after"]
    assert final["items"] == final["distinct"] == final["batch_items"] == total
    assert final["deliveries_done"] == DELIVERIES
    assert final["positions"] == total
    assert final["batches_verify"] and final["chain_intact"]
    assert final["processed"] == final["entries"] == total
    assert final["attempts"] == [1]
    assert final["entries_per_item"] == [1]
    third = json.loads(_run(env, "ingest"))
    assert third["before"] == third["after"] == final
