"""However many schedulers start, one runs the periodic jobs; another takes over if it dies."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kanalvakt.inbox.tests.test_sigkill import REPO, _database_env
from kanalvakt.scheduling.leader import SchedulerLock

STARTED = "Starting scheduler"


@pytest.mark.django_db(transaction=True)
def test_only_one_holder_of_the_scheduler_lock() -> None:
    first, second = SchedulerLock(), SchedulerLock()
    try:
        assert first.try_acquire()
        assert not second.try_acquire()
        assert first.extend()
        first.release()
        assert second.try_acquire()
    finally:
        first.release()
        second.release()


def _wait_for(process: subprocess.Popen[str], lines: list[str], seconds: float) -> bool:
    """Read the process's output for up to `seconds`; True once it says it started."""
    assert process.stdout is not None
    os.set_blocking(process.stdout.fileno(), False)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if line:
            lines.append(line)
            if STARTED in line:
                return True
        else:
            time.sleep(0.1)
    return False


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_started_one_runs_and_the_other_takes_over(tmp_path: Path) -> None:
    (tmp_path / "static").mkdir()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "PYTEST_XDIST_WORKER"}}
    env.update(
        _database_env(tmp_path),
        KANALVAKT_INSECURE_DEV_KEY="1",
        PYTHONPATH=str(REPO),
        PYTHONUNBUFFERED="1",
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
    )
    command = [sys.executable, "-m", "kanalvakt.cli", "crontask", "--no-heartbeat"]
    first = subprocess.Popen(  # noqa: S603 - our own command, fixed arguments
        command, env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    output: list[str] = []
    try:
        assert _wait_for(first, output, 60), "".join(output)
        second = subprocess.Popen(  # noqa: S603 - our own command, fixed arguments
            command, env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        try:
            waiting: list[str] = []
            assert not _wait_for(second, waiting, 15), "a second scheduler started"
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
            assert _wait_for(second, waiting, 30), "".join(waiting)
        finally:
            second.kill()
            second.wait(timeout=10)
    finally:
        first.kill()
        first.wait(timeout=10)
