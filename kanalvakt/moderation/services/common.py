"""What the moderation services share: who may moderate, and telling people about a case."""

from __future__ import annotations

from collections.abc import Sequence

from django.urls import reverse

from kanalvakt.moderation.models import ModerationCase
from kanalvakt.organisations.models import Role, User
from kanalvakt.register.models import Account
from kanalvakt.register.selectors import account_authority

MODERATOR_ROLES = (Role.ACCOUNT_OWNER, Role.SUBSTITUTE, Role.COMMS_LEAD)


def may_moderate(user: User, account: Account) -> bool:
    """Whoever may act for the account (`account_authority`: a mandate where the pack asks)."""
    return bool(account_authority(user=user, account=account))


def notify(
    recipients: Sequence[User], kind: str, subject: str, body: str, case: ModerationCase
) -> None:
    """Tell each person in the app and, by their preference, by e-mail."""
    from kanalvakt.notifications.services import notification_send_many

    notification_send_many(
        recipients=recipients,
        kind=kind,
        title=subject,
        body=body,
        url=reverse("moderation:case", kwargs={"slug": case.organisation.slug, "pk": case.pk}),
        organisation=case.organisation,
    )
