"""Every periodic job, declared once per app in `<app>/schedule.py`.

Each app lists its jobs as `SCHEDULE = [Periodic(...)]`. A job's cron
expression can be changed, or the job turned off with `off`, through the
environment variable named after it (`KANALVAKT_CRON_<NAME>`).
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.tasks import Task
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Periodic:
    name: str
    task: str
    """Dotted path of a `django.tasks` task taking no arguments."""
    cron: str
    """Crontab expression with literal weekdays (mon…sun), as django-crontask wants."""
    description: str = ""

    @property
    def env_var(self) -> str:
        return "KANALVAKT_CRON_" + self.name.upper()

    def effective_cron(self) -> str | None:
        value = os.environ.get(self.env_var, self.cron).strip()
        if value.lower() == "off":
            return None
        if len(value.split()) != 5:
            raise ImproperlyConfigured(
                f"{self.env_var}={value!r} is not a 5-field cron expression."
            )
        return value


def periodic_jobs() -> list[Periodic]:
    """The jobs of every installed Kanalvakt app, in app order."""
    jobs: list[Periodic] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("kanalvakt."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.schedule")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.schedule":
                raise
            continue
        jobs.extend(getattr(module, "SCHEDULE", []))
    names = [job.name for job in jobs]
    duplicates = {name for name in names if names.count(name) > 1}
    if duplicates:
        raise ImproperlyConfigured(f"Periodic jobs declared twice: {sorted(duplicates)}")
    return jobs


def register_with_crontask() -> list[tuple[Periodic, str]]:
    """Hand every enabled job to django-crontask's scheduler."""
    from crontask import cron

    registered = []
    for job in periodic_jobs():
        expression = job.effective_cron()
        if expression is None:
            continue
        task = import_string(job.task)
        if not isinstance(task, Task):
            raise ImproperlyConfigured(f"{job.task} is not a django.tasks task.")
        cron(expression)(task)
        registered.append((job, expression))
    return registered
