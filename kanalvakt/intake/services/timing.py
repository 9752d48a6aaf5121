"""How often connections are polled and re-checked, and when a token counts as lapsing."""

from __future__ import annotations

import datetime

from django.conf import settings

from kanalvakt.connectors.registry import CONNECTORS
from kanalvakt.intake.models import AccountConnection
from kanalvakt.register.models import AccountStatus

POLLED_STATUSES = (AccountStatus.ACTIVE, AccountStatus.CLOSING)


# Settings ------------------------------------------------------------------------


WEBHOOK_PLATFORMS = frozenset({"facebook", "instagram", "x"})


def poll_interval(connection: AccountConnection) -> datetime.timedelta:
    """The connection's own interval, else the default: short for platforms that are only
    polled, long where webhooks bring the items and the poll is a safety net."""
    if connection.account.platform in WEBHOOK_PLATFORMS:
        default = int(getattr(settings, "INTAKE_SAFETY_POLL_INTERVAL_MINUTES", 60))
    else:
        default = int(getattr(settings, "INTAKE_POLL_INTERVAL_MINUTES", 5))
    minutes: int = connection.poll_interval_minutes or default
    return datetime.timedelta(minutes=max(1, minutes))


def expiry_warning() -> datetime.timedelta:
    return datetime.timedelta(days=getattr(settings, "INTAKE_TOKEN_WARNING_DAYS", 7))


def recheck_window() -> datetime.timedelta:
    """How far back polled items are re-checked for deletion."""
    return datetime.timedelta(days=getattr(settings, "INTAKE_RECHECK_DAYS", 7))


# Ids re-checked for deletion per poll: one batch where the API looks ids up in
# batches (YouTube 50, X 100, Bluesky 25), a few where each id costs a call.
RECHECK_LIMITS = {"youtube": 50, "x": 100, "bluesky": 25}
RECHECK_ONE_BY_ONE = 20
CLAIM_LEASE = datetime.timedelta(minutes=10)
RATE_LIMIT_DEFAULT = datetime.timedelta(minutes=15)
MAX_BACKOFF = datetime.timedelta(hours=6)


def polling_platforms() -> list[str]:
    return [platform for platform, cls in CONNECTORS.items() if cls.polls]
