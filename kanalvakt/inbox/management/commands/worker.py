"""`kanalvakt worker`: django-tasks-db's `db_worker` that survives a locked database.

`db_worker` stops with "database is locked" when SQLite's write lock is held
past the busy timeout while it claims a task; under load (an import, a burst
of webhooks, several workers on one SQLite file) that took the worker down.
This command runs the same worker and starts it again after such an error,
waiting a little longer each time (up to a minute). Nothing is lost: the
error comes before a task is claimed, and a task a worker claimed but never
finished is found again by the sweep. Any other error stops the command.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import OperationalError, close_old_connections

logger = logging.getLogger(__name__)


def is_busy(error: OperationalError) -> bool:
    message = str(error).lower()
    return any(word in message for word in ("locked", "busy", "deadlock"))


class Command(BaseCommand):
    help = "Kör bakgrundsjobben (db_worker) och fortsätter när databasen är upptagen."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=1.0)
        parser.add_argument("--batch", action="store_true", help="Sluta när kön är tom")
        parser.add_argument("--max-restarts", type=int, default=0, help="0: obegränsat")

    def handle(self, *args: Any, **options: Any) -> None:
        wait, restarts = 0.5, 0
        while True:
            try:
                call_command(
                    "db_worker",
                    interval=options["interval"],
                    batch=options["batch"],
                    reload=False,
                    startup_delay=False,
                    verbosity=options["verbosity"],
                )
                return
            except OperationalError as error:
                if not is_busy(error):
                    raise
                restarts += 1
                if options["max_restarts"] and restarts > options["max_restarts"]:
                    raise
                logger.warning("Database busy (%s); worker starts again in %.1f s", error, wait)
                close_old_connections()
                time.sleep(wait)
                wait = min(wait * 2, 60.0)
