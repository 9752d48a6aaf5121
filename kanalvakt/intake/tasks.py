"""Thin tasks over the intake services."""

from __future__ import annotations

from django.tasks import task


@task()
def connection_poll_task(connection_id: int) -> str:
    """Poll one claimed connection."""
    from kanalvakt.intake.services import connection_poll

    return connection_poll(connection_id=connection_id).status


@task()
def connections_poll_due() -> int:
    """Claim the connections due for a poll and enqueue one poll each."""
    from kanalvakt.intake.services import connections_enqueue_due

    return connections_enqueue_due()


@task()
def connections_check_tokens_task() -> int:
    """Alert on tokens that lapse soon or were rejected."""
    from kanalvakt.intake.services import connections_check_tokens

    return connections_check_tokens().alerts


@task()
def connections_refresh_tokens_task() -> int:
    """Renew OAuth access tokens that lapse within a day."""
    from kanalvakt.intake.oauth import connections_refresh_tokens

    return connections_refresh_tokens()
