"""Telling people: `notification_send` is what every other app calls.

A notification is stored for the in-app list and, by the recipient's
preference, mailed at once, gathered in a daily digest, or not mailed. Mail
goes after commit; a mail server that refuses is logged and the notification
stays unmailed, so the digest picks it up.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kanalvakt.audit.services import audit_record
from kanalvakt.notifications.events import NotificationEvent
from kanalvakt.notifications.models import (
    EmailChoice,
    FailureReason,
    Notification,
    NotificationKind,
    NotificationPreference,
)
from kanalvakt.organisations.models import Organisation, User

logger = logging.getLogger(__name__)


def email_choice(user: User) -> str:
    preference = NotificationPreference.objects.filter(user=user).first()
    return preference.email if preference is not None else EmailChoice.IMMEDIATE


def _absolute(url: str) -> str:
    if not url or url.startswith("http"):
        return url
    return str(getattr(settings, "SITE_URL", "")).rstrip("/") + url


def _mail_now(notification_ids: list[int], subject: str, body: str, address: str) -> None:
    def send() -> None:
        try:
            send_mail(subject, body, None, [address])
        except Exception:
            logger.exception("Could not mail notifications %s to %s", notification_ids, address)
            return
        Notification.objects.filter(pk__in=notification_ids).update(emailed_at=timezone.now())

    transaction.on_commit(send)


@transaction.atomic
def notification_send(
    *,
    recipient: User,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    organisation: Organisation | None = None,
    email: bool | None = None,
    reason: str = "",
    retry_url: str = "",
) -> Notification:
    """Store a notification for `recipient` and mail it as they prefer.

    `email=True` mails at once whatever the preference (threats to staff);
    `email=False` never mails (the caller sends its own mail, e.g. a forward).
    """
    if kind not in NotificationKind.values:
        kind = NotificationKind.OTHER
    if retry_url:
        # A new failure of the same action replaces the one before.
        failures_resolve(recipient=recipient, retry_url=retry_url)
    notification = Notification.objects.create(
        recipient=recipient,
        organisation=organisation,
        kind=kind,
        title=title[:300],
        body=body,
        url=url[:500],
        reason=reason if reason in FailureReason.values else "",
        retry_url=retry_url[:500],
        created_at=timezone.now(),
    )
    choice = EmailChoice.IMMEDIATE if email else email_choice(recipient)
    if email is not False and choice == EmailChoice.IMMEDIATE and recipient.email:
        link = _absolute(url)
        why = f"\n{FailureReason(reason).label}" if reason in FailureReason.values else ""
        text = body + why + (f"\n\n{link}\n" if url and link not in body else "")
        _mail_now([notification.pk], title, text, recipient.email)
    return notification


def notification_send_many(
    *, recipients: Iterable[User], kind: str, title: str, **fields: object
) -> list[Notification]:
    """The same notification to several people, once each."""
    unique = {user.pk: user for user in recipients}
    return [
        notification_send(recipient=user, kind=kind, title=title, **fields)  # type: ignore[arg-type]
        for user in unique.values()
    ]


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_list(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).select_related("organisation")


@transaction.atomic
def notifications_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark the person's own notifications read (all of them when `ids` is None)."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


@transaction.atomic
def notification_preference_set(*, actor: User, email: str) -> NotificationPreference:
    if email not in EmailChoice.values:
        from django.core.exceptions import ValidationError

        raise ValidationError(_("Välj hur du vill ha e-post."))
    preference, _created = NotificationPreference.objects.update_or_create(
        user=actor, defaults={"email": email, "updated_at": timezone.now()}
    )
    audit_record(
        actor=actor,
        organisation=None,
        event_type=NotificationEvent.PREFERENCE_SET,
        target=preference,
        data={"email": email},
    )
    return preference


def notifications_digest_send(*, now: datetime.datetime | None = None) -> int:
    """Mail each digest reader what they got since their last digest; returns mails sent."""
    now = now or timezone.now()
    sent = 0
    readers = NotificationPreference.objects.filter(email=EmailChoice.DIGEST).select_related("user")
    for preference in readers:
        user = preference.user
        pending = list(
            Notification.objects.filter(
                recipient=user, emailed_at__isnull=True, created_at__lte=now
            ).order_by("created_at")
        )
        if not pending or not user.email:
            continue
        lines = [
            f"- {timezone.localtime(n.created_at):%Y-%m-%d %H:%M} {n.title}"
            + (f"\n  {_absolute(n.url)}" if n.url else "")
            for n in pending
        ]
        subject = _("Kanalvakt: %(count)d aviseringar") % {"count": len(pending)}
        with transaction.atomic():
            _mail_now([n.pk for n in pending], subject, "\n".join(lines) + "\n", user.email)
        sent += 1
    return sent


def failure_reason_code(error: BaseException) -> str:
    """A failure's reason as a FailureReason code (the detail goes to the log, not the user)."""
    from kanalvakt.connectors.base import ActionNotSupported
    from kanalvakt.connectors.http import NotFound, RateLimited, TokenExpired

    for kind, code in (
        (TokenExpired, FailureReason.TOKEN_EXPIRED),
        (RateLimited, FailureReason.RATE_LIMITED),
        (NotFound, FailureReason.NOT_FOUND),
        (ActionNotSupported, FailureReason.NOT_SUPPORTED),
        (OSError, FailureReason.UNREACHABLE),
    ):
        if isinstance(error, kind):
            return str(code)
    return str(FailureReason.UNKNOWN)


def failures_for(
    *, user: User, organisation: Organisation, kinds: Iterable[str]
) -> QuerySet[Notification]:
    """The person's unread failures of these kinds in the organisation, for the page that
    started them."""
    return Notification.objects.filter(
        recipient=user, organisation=organisation, kind__in=list(kinds), read_at__isnull=True
    ).order_by("-created_at")[:10]


def failures_resolve(*, recipient: User, retry_url: str) -> int:
    """The action succeeded (or failed anew): earlier failures of it are done with."""
    return Notification.objects.filter(
        recipient=recipient, retry_url=retry_url, read_at__isnull=True
    ).update(read_at=timezone.now())
