"""Background work for policies. Tasks call one service."""

from __future__ import annotations

from django.tasks import task


@task()
def policy_reminders() -> None:
    """Daily: review-date reminders to policy owners, acknowledgement reminders to staff."""
    from kanalvakt.policies.lifecycle import policy_reminders_send

    policy_reminders_send()
