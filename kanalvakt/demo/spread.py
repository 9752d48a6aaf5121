"""When a demo message must have arrived for its deadline to fall at a chosen time.

The first fill of the demo inboxes ingests some messages as if they had
arrived earlier (`arrived_at`), so that under each pack's own rule some are
overdue and some due within hours. A working-day rule cannot fall due within
hours at night or at a weekend; those messages are then fresh.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

from django.utils import timezone

from kanalvakt.inbox import clock
from kanalvakt.inbox.services import deadline_for
from kanalvakt.register.models import Account

WINDOW = datetime.timedelta(days=10)
STEPS = 30
"""Bisection steps: ten days down to about a millisecond."""


def arrival_for_due(
    account: Account, due: datetime.datetime, *, intent: str = "question"
) -> datetime.datetime | None:
    """The latest arrival (within the last ten days) whose deadline falls at or before
    `due`, or None when no arrival in that window gives it."""
    version = account.organisation.policy_version
    pack = version.pack if version is not None else None
    found = deadline_for(pack, platform=account.platform, intent=intent)
    if pack is None or found is None:
        return None
    _, deadline = found
    calendar = clock.BusinessCalendar.from_rule(pack.value("calendar"))
    now = timezone.now()
    earliest = now - WINDOW
    latest = now - datetime.timedelta(minutes=1)
    if clock.due_at(earliest, deadline, calendar) > due:
        return None
    if clock.due_at(latest, deadline, calendar) <= due:
        return latest
    for _ in range(STEPS):
        middle = earliest + (latest - earliest) / 2
        if clock.due_at(middle, deadline, calendar) <= due:
            earliest = middle
        else:
            latest = middle
    return earliest


@contextmanager
def arrived_at(moment: datetime.datetime | None) -> Iterator[None]:
    """Demo only: the ordinary ingest, run as if the clock said `moment`, so the item,
    its delivery and their audit events carry the time the message arrived."""
    if moment is None:
        yield
        return
    with mock.patch.object(timezone, "now", return_value=moment):
        yield
