"""What the inbox services share: the pack, an item's current text, who may handle
an entry, and telling people (notifications and e-mail after commit).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kanalvakt.inbox.models import (
    InboxEntry,
    Item,
)
from kanalvakt.organisations.models import Organisation, User
from kanalvakt.policies.pack import Pack

logger = logging.getLogger(__name__)


def _pack(organisation: Organisation) -> Pack | None:
    version = organisation.policy_version
    return version.pack if version is not None else None


def current_text(item: Item) -> str:
    text, _deleted = _latest_state(item)
    return text


LOADED_VERSIONS = "loaded_versions"
"""The attribute on which processing leaves each item's versions, in (recorded_at, pk)
order, read for a whole batch in one query (`kanalvakt.inbox.processing`)."""


def _latest_state(item: Item) -> tuple[str, bool]:
    prefetched = getattr(item, LOADED_VERSIONS, None)
    if prefetched is None:
        prefetched = getattr(item, "_prefetched_objects_cache", {}).get("versions")
    if prefetched is not None:
        # In (recorded_at, pk) order, as processing and its prefetch read them.
        versions = list(prefetched)
        latest = versions[-1] if versions else None
    else:
        latest = item.versions.order_by("-recorded_at", "-pk").first()
    if latest is None:
        return item.text, False
    return latest.text, latest.deleted


def may_handle(user: User, entry: InboxEntry) -> bool:
    """Who may answer, forward, close or correct an entry: whoever may act for the account
    (`account_authority`, REG-3); where the pack requires no mandate, also the assignee."""
    from kanalvakt.register.selectors import account_authority, mandates_required

    if account_authority(user=user, account=entry.account):
        return True
    return user.pk == entry.assigned_to_id and not mandates_required(_pack(entry.organisation))


def _require_handler(actor: User, entry: InboxEntry) -> None:
    if not may_handle(actor, entry):
        raise PermissionDenied(
            _("%(name)s får inte hantera meddelanden på %(account)s.")
            % {"name": actor, "account": entry.account}
        )


def _claim(entry: InboxEntry) -> InboxEntry:
    return InboxEntry.objects.select_for_update().select_related("item", "account").get(pk=entry.pk)


def _message_facts(item: Item) -> str:
    """Who wrote the message and when, for e-mails."""
    return (
        f"{_('Från:')} {item.author_name or item.author_handle}\n"
        f"{_('Skrivet:')} {timezone.localtime(item.created_at):%Y-%m-%d %H:%M}\n"
    )


def _entry_path(entry: InboxEntry) -> str:
    """The entry's full address, for e-mails."""
    path = reverse("inbox:entry", kwargs={"slug": entry.organisation.slug, "pk": entry.pk})
    return str(getattr(settings, "SITE_URL", "")).rstrip("/") + path


def _notify(
    people: Sequence[User],
    kind: str,
    subject: str,
    body: str,
    entry: InboxEntry,
    *,
    email: bool | None = None,
) -> None:
    """Tell each person in the app and, by their preference, by e-mail."""
    from kanalvakt.notifications.services import notification_send_many

    url = reverse("inbox:entry", kwargs={"slug": entry.organisation.slug, "pk": entry.pk})
    notification_send_many(
        recipients=people,
        kind=kind,
        title=subject,
        body=body,
        url=url,
        organisation=entry.organisation,
        email=email,
    )


def _mail(addresses: list[str], subject: str, body: str) -> None:
    """Send after commit. The fact (forward, escalation) is recorded either way; a mail
    server that refuses is logged, so it neither undoes the record nor fails the request."""
    addresses = [address for address in addresses if address]
    if not addresses:
        return

    def send() -> None:
        try:
            send_mail(subject, body, None, addresses)
        except Exception:
            logger.exception("Could not send %r to %s", subject, addresses)

    transaction.on_commit(send)
