"""Receiving items: store the delivery, cut out items, record edits and deletions.

Each function is idempotent: the same delivery or item arriving twice stores
nothing new. Follow-up work is enqueued on commit of the same transaction, so
an item is never stored without its processing being queued.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from kanalvakt.audit.services import audit_record
from kanalvakt.connectors.base import IncomingItem
from kanalvakt.inbox.events import InboxEvent
from kanalvakt.inbox.models import (
    OPEN_STATES,
    Delivery,
    DeliverySource,
    EntryState,
    InboxEntry,
    Item,
    ItemVersion,
    PlatformCredentials,
)
from kanalvakt.inbox.services.common import (
    _latest_state,
)
from kanalvakt.organisations.models import Organisation, Role, User
from kanalvakt.organisations.permissions import require_role
from kanalvakt.register.models import Account

logger = logging.getLogger(__name__)


KEPT_HEADERS = (
    "content-type",
    "user-agent",
    "x-hub-signature-256",
    "x-twitter-webhooks-signature",
    "x-request-id",
)


@dataclass(frozen=True)
class DeliveryResult:
    delivery: Delivery
    created: bool


def delivery_store(
    *,
    organisation: Organisation,
    platform: str,
    source: DeliverySource,
    body: bytes,
    content_type: str = "",
    headers: Mapping[str, str] | None = None,
) -> DeliveryResult:
    """Keep the exact bytes of a delivery; a repeated delivery returns the stored one."""
    digest = hashlib.sha256(body).hexdigest()
    existing = Delivery.objects.filter(
        organisation=organisation, platform=platform, sha256=digest
    ).first()
    if existing is not None:
        return DeliveryResult(existing, created=False)
    kept = {k.lower(): v for k, v in (headers or {}).items() if k.lower() in KEPT_HEADERS}
    try:
        with transaction.atomic():
            delivery = Delivery.objects.create(
                organisation=organisation,
                platform=platform,
                source=source,
                received_at=timezone.now(),
                body=body,
                sha256=digest,
                content_type=content_type[:100],
                headers=kept,
            )
    except IntegrityError:
        # Another process stored the same delivery a moment ago.
        delivery = Delivery.objects.get(organisation=organisation, platform=platform, sha256=digest)
        return DeliveryResult(delivery, created=False)
    return DeliveryResult(delivery, created=True)


@dataclass(frozen=True)
class IngestResult:
    item: Item
    created: bool
    version: ItemVersion | None = None


def _enqueue_processing(item_id: int) -> None:
    from kanalvakt.inbox.tasks import item_process

    item_process.enqueue(item_id)


def item_ingest(
    *, account: Account, incoming: IncomingItem, delivery: Delivery | None = None
) -> IngestResult:
    """Store one incoming item, or record how a known item changed on the platform."""
    with transaction.atomic():
        item = (
            Item.objects.select_for_update()
            .filter(account=account, external_id=incoming.external_id)
            .first()
        )
        if item is None:
            return _item_create(account=account, incoming=incoming, delivery=delivery)
        text, deleted = _latest_state(item)
        if incoming.deleted and not deleted:
            version = _version_create(item, incoming, delivery, deleted=True, text=text)
            event = InboxEvent.ITEM_DELETED_ON_PLATFORM
        elif not incoming.deleted and incoming.text != text and not deleted:
            version = _version_create(item, incoming, delivery, deleted=False, text=incoming.text)
            event = InboxEvent.ITEM_EDITED
        else:
            return IngestResult(item, created=False)
        audit_record(
            actor=None,
            organisation=account.organisation,
            event_type=event,
            target=item,
            data={"version": version.pk, "sha256": version.raw_sha256},
        )
        if event == InboxEvent.ITEM_DELETED_ON_PLATFORM:
            _entry_close_deleted(item)
        return IngestResult(item, created=False, version=version)


def _entry_close_deleted(item: Item) -> None:
    """A message its writer deleted needs no answer any more."""
    entry = InboxEntry.objects.filter(item=item, state__in=OPEN_STATES).first()
    if entry is None:
        return
    entry.state = EntryState.CLOSED
    entry.closed_at = timezone.now()
    entry.save(update_fields=["state", "closed_at"])
    audit_record(
        actor=None,
        organisation=item.organisation,
        event_type=InboxEvent.ENTRY_CLOSED,
        target=entry,
        data={"reason": "deleted_on_platform"},
    )


def _item_create(
    *, account: Account, incoming: IncomingItem, delivery: Delivery | None
) -> IngestResult:
    now = timezone.now()
    item = Item(
        organisation=account.organisation,
        account=account,
        delivery=delivery,
        platform=incoming.platform,
        external_id=incoming.external_id,
        kind=str(incoming.kind),
        parent_external_id=incoming.parent_external_id or "",
        thread_id=incoming.thread_id or "",
        author_name=incoming.author_name[:300],
        author_handle=incoming.author_handle[:300],
        author_external_id=incoming.author_external_id[:200],
        by_account=incoming.by_account,
        text=incoming.text,
        language_hint=(incoming.language or "")[:10],
        url=incoming.url[:1000],
        attachments=list(incoming.attachments),
        platform_data=dict(incoming.platform_data),
        created_at=incoming.created_at,
        received_at=now,
        raw=incoming.raw,
        raw_sha256=incoming.sha256,
    )
    item.save()
    audit_record(
        actor=None,
        organisation=account.organisation,
        event_type=InboxEvent.ITEM_RECEIVED,
        target=item,
        data={"sha256": item.raw_sha256, "platform": item.platform, "kind": item.kind},
    )
    if incoming.deleted:
        _version_create(item, incoming, delivery, deleted=True, text=incoming.text)
    transaction.on_commit(lambda: _enqueue_processing(item.pk))
    return IngestResult(item, created=True)


def _version_create(
    item: Item, incoming: IncomingItem, delivery: Delivery | None, *, deleted: bool, text: str
) -> ItemVersion:
    return ItemVersion.objects.create(
        item=item,
        delivery=delivery,
        text=text,
        edited_at=incoming.edited_at,
        deleted=deleted,
        recorded_at=timezone.now(),
        raw=incoming.raw,
        raw_sha256=incoming.sha256,
    )


@transaction.atomic
def platform_credentials_set(
    *,
    actor: User,
    organisation: Organisation,
    platform: str,
    app_secret: str,
    verify_token: str = "",
) -> PlatformCredentials:
    """Save the app secret webhooks are signed with; the webhook address stays the same."""
    require_role(actor, organisation, Role.COMMS_LEAD)
    credentials, _ = PlatformCredentials.objects.update_or_create(
        organisation=organisation,
        platform=platform,
        defaults={"app_secret": app_secret, "verify_token": verify_token},
    )
    audit_record(
        actor=actor,
        organisation=organisation,
        event_type=InboxEvent.CREDENTIALS_SET,
        target=credentials,
        data={"platform": platform},
    )
    return credentials
