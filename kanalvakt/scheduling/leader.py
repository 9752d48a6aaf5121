"""One scheduler at a time, however many are started (issue 12.4).

`kanalvakt crontask` enqueues each periodic job when it is due. Two schedulers
would enqueue each job twice, so the scheduler holds a lock for as long as it
runs; a second one waits for the lock and takes over when the first stops or
dies. On PostgreSQL the lock is a session advisory lock on a connection of
its own (released by the server when the process dies, even by SIGKILL); on
SQLite, which lives on one machine, an exclusive `flock` on a file beside the
database (released by the kernel the same way).

django-crontask's own lock needs Redis; `install()` puts this one in its place.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import time
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from django.conf import settings
from django.db import connection

logger = logging.getLogger(__name__)

LOCK_KEY = 0x4B564354  # "KVCT": the advisory lock id of the scheduler
WAIT_SECONDS = 2.0


class SchedulerLock:
    """A lock only one process holds; `extend` raises crontask's LockError once it is lost."""

    def __init__(self) -> None:
        self._pg: Any = None
        self._file: IO[bytes] | None = None

    def try_acquire(self) -> bool:
        if connection.vendor == "postgresql":
            if self._pg is None:
                self._pg = connection.get_new_connection(connection.get_connection_params())
                self._pg.autocommit = True
            with self._pg.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
                return bool(cursor.fetchone()[0])
        if self._file is None:
            path = Path(settings.DATABASES["default"]["NAME"]).with_suffix(".scheduler.lock")
            self._file = path.open("ab")
        try:
            fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def release(self) -> None:
        if self._pg is not None:
            with contextlib.suppress(Exception), self._pg.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])
            with contextlib.suppress(Exception):
                self._pg.close()  # closing the session releases the lock in any case
            self._pg = None
        if self._file is not None:
            self._file.close()  # closing the file releases the flock
            self._file = None

    def __enter__(self) -> SchedulerLock:
        waited = False
        while not self.try_acquire():
            if not waited:
                logger.warning("Another scheduler is running; waiting to take over.")
                waited = True
            time.sleep(WAIT_SECONDS)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()

    def extend(self, additional_time: float | None = None, replace_ttl: bool = False) -> bool:
        """Called by crontask every few seconds: still holding the lock?"""
        from crontask import utils

        if self._pg is not None:
            try:
                with self._pg.cursor() as cursor:
                    cursor.execute(
                        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                        "AND objid = %s AND pid = pg_backend_pid() AND granted",
                        [LOCK_KEY],
                    )
                    held = bool(cursor.fetchone()[0])
            except Exception as error:
                raise utils.LockError(f"scheduler lock lost: {error}") from error
            if not held:
                raise utils.LockError("scheduler lock lost")
        return True


def install() -> None:
    """Use the database lock in django-crontask when no Redis lock is configured."""
    from crontask import utils

    if isinstance(utils.lock, utils.FakeLock):
        utils.lock = SchedulerLock()
