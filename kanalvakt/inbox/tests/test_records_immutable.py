from __future__ import annotations

import datetime

import pytest
from django.db import DatabaseError, connection, transaction

from kanalvakt.connectors.base import IncomingItem, ItemKind
from kanalvakt.inbox.models import Item, RecordProtectedError
from kanalvakt.inbox.services import item_ingest
from kanalvakt.register.models import Account

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(page: Account) -> Item:
    incoming = IncomingItem(
        platform="facebook",
        external_id="1_2",
        kind=ItemKind.COMMENT,
        created_at=datetime.datetime(2026, 11, 20, 9, tzinfo=datetime.UTC),
        raw=b'{"message": "Varf\\u00f6r \\u00e4r det inte plogat?"}',
        text="Varför är det inte plogat?",
        account_external_id="104857600123456",
    )
    return item_ingest(account=page, incoming=incoming).item


def test_model_refuses_change_and_delete(item: Item) -> None:
    item.text = "ändrad"
    with pytest.raises(RecordProtectedError):
        item.save()
    with pytest.raises(RecordProtectedError):
        item.delete()


def test_database_refuses_update_behind_the_models_back(item: Item) -> None:
    with pytest.raises(DatabaseError), transaction.atomic():
        Item.objects.filter(pk=item.pk).update(text="förfalskad")
    item.refresh_from_db()
    assert item.text == "Varför är det inte plogat?"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="DELETE trigger on PostgreSQL only")
def test_database_refuses_delete_on_postgresql(item: Item) -> None:
    with pytest.raises(DatabaseError), transaction.atomic():
        Item.objects.filter(pk=item.pk)._raw_delete(using="default")
    assert Item.objects.filter(pk=item.pk).exists()


def test_checksum_taken_at_receipt(item: Item) -> None:
    import hashlib

    assert item.raw_sha256 == hashlib.sha256(bytes(item.raw)).hexdigest()
