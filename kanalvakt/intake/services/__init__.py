"""Connecting accounts, polling them, and alerting on broken or lapsing tokens, by
concern: `connections`, `configs`, `timing`, `alerts`, `polling`."""

from kanalvakt.intake.services.alerts import (
    TokenCheck,
    connection_alert_clear,
    connection_alert_raise,
    connection_check_expiry,
    connection_path,
    connection_refresh_failed,
    connections_check_tokens,
    token_message,
)
from kanalvakt.intake.services.configs import (
    SESSION_PLATFORMS,
    connection_account_config,
    connection_config,
)
from kanalvakt.intake.services.connections import (
    connection_poll_soon,
    connection_set,
    may_change_server,
    may_connect,
)
from kanalvakt.intake.services.polling import (
    PollOutcome,
    connection_poll,
    connections_enqueue_due,
    known_external_ids,
)
from kanalvakt.intake.services.timing import (
    CLAIM_LEASE,
    MAX_BACKOFF,
    POLLED_STATUSES,
    RATE_LIMIT_DEFAULT,
    RECHECK_LIMITS,
    RECHECK_ONE_BY_ONE,
    WEBHOOK_PLATFORMS,
    expiry_warning,
    poll_interval,
    polling_platforms,
    recheck_window,
)

__all__ = [
    "CLAIM_LEASE",
    "MAX_BACKOFF",
    "POLLED_STATUSES",
    "PollOutcome",
    "RATE_LIMIT_DEFAULT",
    "RECHECK_LIMITS",
    "RECHECK_ONE_BY_ONE",
    "SESSION_PLATFORMS",
    "TokenCheck",
    "WEBHOOK_PLATFORMS",
    "connection_account_config",
    "connection_alert_clear",
    "connection_alert_raise",
    "connection_refresh_failed",
    "connection_check_expiry",
    "connection_config",
    "connection_path",
    "connection_poll",
    "connection_poll_soon",
    "connection_set",
    "connections_check_tokens",
    "connections_enqueue_due",
    "expiry_warning",
    "known_external_ids",
    "may_change_server",
    "may_connect",
    "poll_interval",
    "polling_platforms",
    "recheck_window",
    "token_message",
]
