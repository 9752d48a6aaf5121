"""Background work for listening. Tasks call one service."""

from __future__ import annotations

from django.tasks import task


@task()
def listening_poll_all() -> None:
    """Every half hour: fetch every enabled listening source."""
    from kanalvakt.listening.services import listening_poll_all as run

    run()
