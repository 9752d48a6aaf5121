"""Full-text search of received items in Swedish and Finnish (REC-5).

SQLite: an FTS5 virtual table `records_itemsearch` (rowid = item id) that
processing step 400 fills and disposal empties. PostgreSQL: expression GIN
indexes on `to_tsvector('swedish', text)` and `to_tsvector('finnish', text)`,
queried with the configuration of the item's language (Finnish items by
`finnish`, everything else by `swedish`), so stemming fits the language.
"""

from __future__ import annotations

import datetime
import re

from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

from kanalvakt.inbox.models import Item
from kanalvakt.organisations.models import Organisation

_WORD = re.compile(r"\w+", re.UNICODE)


def fts_available() -> bool:
    return connection.vendor == "sqlite"


def _fts_query(text: str) -> str:
    """User words as quoted FTS5 prefix terms, all required: nothing of it is syntax."""
    words = _WORD.findall(text)
    return " AND ".join(f'"{word}"*' for word in words)


def _ts_query(text: str) -> str:
    """User words as PostgreSQL prefix terms, all required (only word characters pass)."""
    return " & ".join(f"'{word}':*" for word in _WORD.findall(text))


def search_index_item(*, item: Item) -> None:
    """Put the item's text and author in the SQLite index (PostgreSQL indexes itself)."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM records_itemsearch WHERE rowid = %s", [item.pk])
        cursor.execute(
            "INSERT INTO records_itemsearch(rowid, body, author) VALUES (%s, %s, %s)",
            [item.pk, item.text, f"{item.author_name} {item.author_handle}"],
        )


def search_unindex_item(*, item_id: int) -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM records_itemsearch WHERE rowid = %s", [item_id])


def search_index_rebuild(*, batch: int = 5000) -> int:
    """Index every item (after a restore or a bulk import). Returns the count."""
    if connection.vendor != "sqlite":
        return 0
    count = 0
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM records_itemsearch")
        cursor.execute(
            "INSERT INTO records_itemsearch(rowid, body, author) "
            "SELECT id, text, author_name || ' ' || author_handle FROM inbox_item"
        )
        count = int(cursor.rowcount)
    return count


def item_search(
    *,
    organisation: Organisation,
    query: str,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[Item]:
    """The organisation's items matching every word of the query, newest first."""
    items = Item.objects.filter(organisation=organisation)
    if date_from is not None:
        items = items.filter(created_at__date__gte=date_from)
    if date_to is not None:
        items = items.filter(created_at__date__lte=date_to)
    if not _WORD.search(query or ""):
        return items.order_by("-created_at", "-pk")
    if connection.vendor == "sqlite":
        matched = RawSQL(
            "inbox_item.id IN (SELECT rowid FROM records_itemsearch WHERE records_itemsearch "
            "MATCH %s)",
            [_fts_query(query)],
            output_field=BooleanField(),
        )
    else:
        matched = RawSQL(
            "((inbox_item.language_hint LIKE 'fi%%' AND to_tsvector('finnish', inbox_item.text)"
            " @@ to_tsquery('finnish', %s)) OR (inbox_item.language_hint NOT LIKE 'fi%%'"
            " AND to_tsvector('swedish', inbox_item.text) @@ to_tsquery('swedish', %s)))",
            [_ts_query(query), _ts_query(query)],
            output_field=BooleanField(),
        )
    return items.filter(matched).order_by("-created_at", "-pk")
