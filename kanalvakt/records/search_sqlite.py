"""The SQLite half of the records search: an FTS5 table, read newest first.

`records_itemsearch` (rowid = minus the item id) holds the item's text, its
author and the filter tags of `kanalvakt.records.search_tags`. The rowid is
negated because FTS5 skips ahead in a list (to the next row another word or
tag has) only when it reads in rowid order: newest first is then forward. A search asks FTS5 for the
ids only (the newest `CANDIDATES + 1` that have every word and every tag),
then reads those items' text from `inbox_item`, checks the filters again
there, and ranks them in Python (`kanalvakt.records.ranking`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection

from kanalvakt.inbox.models import Item
from kanalvakt.records import search_tags

BATCH = 5000
_WORD = re.compile(r"\w+", re.UNICODE)
Row = tuple[int, str, str, str]  # id, body, author, tags


def words_query(text: str, *, prefix: bool) -> str:
    """User words as quoted FTS5 terms (prefixes), all required: nothing of it is syntax."""
    star = "*" if prefix else ""
    return " AND ".join(f'"{word}"{star}' for word in _WORD.findall(text))


def _item_rows(items: Iterable[tuple[Any, ...]]) -> list[Row]:
    """(id, text, name, handle, organisation, account, created_at, status) as table rows."""
    return [
        (
            -pk,
            text,
            f"{name} {handle}",
            search_tags.item_tags(
                organisation_id=organisation_id,
                account_id=account_id,
                created_at=created_at,
                status=status or "",
            ),
        )
        for pk, text, name, handle, organisation_id, account_id, created_at, status in items
    ]


FIELDS = (
    "pk",
    "text",
    "author_name",
    "author_handle",
    "organisation_id",
    "account_id",
    "created_at",
    "registration__status",
)


def index_items(ids: Sequence[int], table: str = "records_itemsearch") -> None:
    """(Re)write these items' rows, with the record state they have now."""
    rows = _item_rows(Item.objects.filter(pk__in=ids).values_list(*FIELDS))
    with connection.cursor() as cursor:
        cursor.executemany(f"DELETE FROM {table} WHERE rowid = %s", [[-pk] for pk in ids])  # noqa: S608
        cursor.executemany(
            f"INSERT INTO {table}(rowid, body, author, tags) VALUES (%s, %s, %s, %s)",  # noqa: S608
            rows,
        )


def rebuild() -> int:
    """Every item, in batches of BATCH, then FTS5's merge of its segments."""
    count = 0
    last = 0
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM records_itemsearch")
        while True:
            batch = list(
                Item.objects.filter(pk__gt=last).order_by("pk").values_list(*FIELDS)[:BATCH]
            )
            if not batch:
                break
            cursor.executemany(
                "INSERT INTO records_itemsearch(rowid, body, author, tags) VALUES (%s, %s, %s, %s)",
                _item_rows(batch),
            )
            count += len(batch)
            last = batch[-1][0]
        cursor.execute("INSERT INTO records_itemsearch(records_itemsearch) VALUES ('optimize')")
    return count


def candidate_ids(match: str, tags: str, limit: int) -> list[int]:
    """The newest `limit` ids with every word (in text or author) and every tag."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid FROM records_itemsearch WHERE records_itemsearch MATCH %s"
            " ORDER BY rowid LIMIT %s",
            [f"{{body author}} : ({match}) AND {tags}", limit],
        )
        return [-int(row[0]) for row in cursor.fetchall()]


def key(item_id: int) -> tuple[str, int]:
    """The WHERE clause and parameter that find the item's row."""
    return "rowid = %s", -item_id


def texts(ids: Sequence[int], where: str, params: Sequence[Any]) -> list[tuple[int, str, str]]:
    """(id, text, author) of those of `ids` the filters (`where`, on `inbox_item i`) allow."""
    if not ids:
        return []
    marks = ", ".join("%s" for _ in ids)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.id, i.text, i.author_name || ' ' || i.author_handle FROM inbox_item i"  # noqa: S608
            f" WHERE i.id IN ({marks}){where}",
            [*ids, *params],
        )
        found = {int(pk): (int(pk), text, author) for pk, text, author in cursor.fetchall()}
    return [found[pk] for pk in ids if pk in found]
