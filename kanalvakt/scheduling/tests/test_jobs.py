from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from kanalvakt.scheduling.jobs import Periodic, periodic_jobs


def test_every_declared_job_points_at_a_task() -> None:
    from django.tasks import Task
    from django.utils.module_loading import import_string

    jobs = periodic_jobs()
    assert "items_sweep_unprocessed" in {job.name for job in jobs}
    for job in jobs:
        assert isinstance(import_string(job.task), Task), job.task
        assert job.effective_cron() is not None


def test_environment_overrides_and_turns_off(monkeypatch: pytest.MonkeyPatch) -> None:
    job = Periodic(name="demo_job", task="x.y", cron="0 3 * * *")
    monkeypatch.setenv("KANALVAKT_CRON_DEMO_JOB", "30 4 * * mon")
    assert job.effective_cron() == "30 4 * * mon"
    monkeypatch.setenv("KANALVAKT_CRON_DEMO_JOB", "off")
    assert job.effective_cron() is None
    monkeypatch.setenv("KANALVAKT_CRON_DEMO_JOB", "every day")
    with pytest.raises(ImproperlyConfigured, match="KANALVAKT_CRON_DEMO_JOB"):
        job.effective_cron()
