"""A failed action told to the person who started it, on the page they started it from.

Any app calls `action_failed` where a background action (a snapshot, a
platform action, a publish) fails, and puts `{% failures "<kind>" %}` (from
`kanalvakt_ui`) on the page with the button. The reason is kept as a code and
shown in the reader's language; the technical detail goes to the log and the
audit trail, not to the page.
"""

from __future__ import annotations

import logging

from django.db import transaction

from kanalvakt.audit.services import audit_record
from kanalvakt.notifications.models import Notification
from kanalvakt.notifications.services import (
    failure_reason_code,
    failures_resolve,
    notification_send,
)
from kanalvakt.organisations.models import User
from kanalvakt.register.models import Account

logger = logging.getLogger(__name__)

FAILED_EVENTS = {
    "snapshot_failed": "record.snapshot_failed",
    "platform_failed": "notification.platform_action_failed",
    "publish_failed": "notification.publish_failed",
}


@transaction.atomic
def action_failed(
    *,
    actor: User,
    account: Account,
    kind: str,
    error: BaseException,
    retry_url: str = "",
    url: str = "",
) -> Notification:
    """Record the failure (audited, with the detail) and tell the person, with a retry."""
    logger.warning("%s on %s failed: %s", kind, account.pk, error)
    reason = failure_reason_code(error)
    audit_record(
        actor=actor,
        organisation=account.organisation,
        event_type=FAILED_EVENTS.get(kind, "notification.action_failed"),
        target=account,
        data={"kind": kind, "reason": reason, "error": str(error)[:500]},
    )
    return notification_send(
        recipient=actor,
        kind=kind,
        title=str(account),
        organisation=account.organisation,
        url=url,
        reason=reason,
        retry_url=retry_url,
    )


def action_succeeded(*, actor: User, retry_url: str) -> None:
    """The retry worked: the failure leaves the page."""
    failures_resolve(recipient=actor, retry_url=retry_url)
