"""Background work for governance. Tasks call one service."""

from __future__ import annotations

from django.tasks import task


@task()
def forwarded_matters_track() -> None:
    """Every quarter hour: track new forwards, remind case officers of overdue ones."""
    from kanalvakt.governance.forwarding import forwarded_matters_track as run

    run()
