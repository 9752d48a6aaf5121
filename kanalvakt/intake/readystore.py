"""Writing a batch that the import's reading process built (`intake.reading`), as it is.

The importing process's part of a batch then is a handful of statements and
no work per item: the manifest delivery under its reserved id, the items'
and their processing rows as the COPY data that came over, the batch's one
chained `items.received` event from the JSON that came over (`audit_record`
with `encoded`: the chain's hash and the row take that text), the job's
position and the processing tasks (`importing`). The batch was built as if
every item were new; when that turns out wrong (an item stored already, found
by the lookup or by the unique constraint, or the manifest stored already),
`NotAsBuilt` rolls the batch's transaction back and the importer reads the
batch again itself, through `bulkstore`'s per-item paths.
"""

from __future__ import annotations

import orjson
from django.db import IntegrityError, transaction

from kanalvakt.audit.services import EncodedData, audit_record
from kanalvakt.inbox.batches import Stored
from kanalvakt.inbox.events import InboxEvent
from kanalvakt.inbox.models import Delivery, DeliverySource, Item, ItemProcessing
from kanalvakt.intake.ahead import insert_unless_stored
from kanalvakt.intake.bulkstore import ITEM_COLUMNS, known_items
from kanalvakt.intake.copying import payload_write
from kanalvakt.intake.reading import Built
from kanalvakt.register.models import Account


class NotAsBuilt(Exception):
    """The batch cannot be written as it was built: read it again in the importing process."""


def built_batch_write(*, account: Account, built: Built, expect_new: bool) -> Stored:
    """Write `built` inside the caller's transaction; NotAsBuilt (the caller's transaction
    then rolls back) when it cannot be written as built. Without `expect_new` (the
    previous batch held known items, or this is the first) its ids are looked up first;
    with it the unique constraint on (account, platform id) answers instead."""
    if not built.writable:
        raise NotAsBuilt
    delivery = Delivery(
        pk=built.delivery_id,
        organisation=account.organisation,
        platform=account.platform,
        source=DeliverySource.IMPORT,
        received_at=built.received_at,
        body=built.manifest,
        sha256=built.manifest_sha,
        content_type="application/json",
        headers={},
    )
    if not insert_unless_stored(delivery):
        raise NotAsBuilt  # this manifest is stored already
    if not expect_new and known_items(account, built.external_ids):
        raise NotAsBuilt
    try:
        with transaction.atomic():
            payload_write(Item, ITEM_COLUMNS, built.items)
    except IntegrityError:
        raise NotAsBuilt from None  # stored a moment ago by another writer
    payload_write(ItemProcessing, ("item_id", "attempts"), built.processing)
    data = built.audit_data if built.audit_data is not None else orjson.loads(built.audit_text)
    audit_record(
        actor=None,
        organisation=account.organisation,
        event_type=InboxEvent.ITEMS_RECEIVED,
        target=delivery,
        encoded=EncodedData(data, built.audit_text),
    )
    return Stored(created=list(built.ids))
