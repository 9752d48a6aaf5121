"""The PostgreSQL half of the records search: a table with one stored `tsvector` per item.

`records_itemsearch` holds each item's organisation, account, time written,
record state and a `tsvector` built in the item's language (`finnish` for
Finnish items, `swedish` otherwise; the author with `simple`), under a GIN
index and three b-tree indexes that give the newest rows first: by
organisation, by organisation and account, and by organisation and record
state (each then by time written). The tsquery is written into the statement
itself, so the planner estimates from the column's statistics how common the
words are and picks the GIN index for rare ones and a walk down a b-tree
(newest first, stopping after `CANDIDATES + 1` matches) for common ones.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from typing import Any

from django.db import connection

VECTOR = (
    "setweight(to_tsvector(CASE WHEN {lang} LIKE 'fi%%' THEN 'finnish' ELSE 'swedish' END"
    "::regconfig, {text}), 'A') || setweight(to_tsvector('simple', {author}), 'B')"
)
_WORD = re.compile(r"\w+", re.UNICODE)
WEBSEARCH = re.compile(r'"|(^|\s)-\w|\sor\s', re.IGNORECASE)


def words_query(text: str, *, prefix: bool) -> str:
    """User words as PostgreSQL terms (prefixes), all required (only word characters pass)."""
    star = ":*" if prefix else ""
    return " & ".join(f"'{word}'{star}" for word in _WORD.findall(text))


def tsquery(query: str, *, prefix: bool) -> tuple[str, list[str]]:
    """The query in the three configurations: a word matches as Swedish, Finnish or as typed."""
    if WEBSEARCH.search(query):
        return (
            "(websearch_to_tsquery('swedish', %s) || websearch_to_tsquery('finnish', %s)"
            " || websearch_to_tsquery('simple', %s))",
            [query, query, query],
        )
    terms = words_query(query, prefix=prefix)
    return (
        "(to_tsquery('swedish', %s) || to_tsquery('finnish', %s) || to_tsquery('simple', %s))",
        [terms, terms, terms],
    )


def index_items(ids: Sequence[int]) -> None:
    """(Re)write these items' rows, with the record state they have now."""
    vector = VECTOR.format(
        lang="i.language_hint", text="i.text", author="i.author_name || ' ' || i.author_handle"
    )
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM records_itemsearch WHERE item_id = ANY(%s)", [list(ids)])
        cursor.execute(
            "INSERT INTO records_itemsearch(item_id, organisation_id, account_id, created_at,"  # noqa: S608
            f" status, vector) SELECT i.id, i.organisation_id, i.account_id, i.created_at,"
            f" COALESCE(r.status, ''), {vector} FROM inbox_item i"
            " LEFT JOIN records_registration r ON r.item_id = i.id WHERE i.id = ANY(%s)",
            [list(ids)],
        )


def rebuild() -> int:
    vector = VECTOR.format(
        lang="i.language_hint", text="i.text", author="i.author_name || ' ' || i.author_handle"
    ).replace("%%", "%")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM records_itemsearch")
        cursor.execute(
            "INSERT INTO records_itemsearch(item_id, organisation_id, account_id, created_at,"  # noqa: S608
            f" status, vector) SELECT i.id, i.organisation_id, i.account_id, i.created_at,"
            f" COALESCE(r.status, ''), {vector} FROM inbox_item i"
            " LEFT JOIN records_registration r ON r.item_id = i.id"
        )
        count = int(cursor.rowcount)
        cursor.execute("ANALYZE records_itemsearch")
    return count


def restate(item_id: int, status: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE records_itemsearch SET status = %s WHERE item_id = %s", [status, item_id]
        )


def filter_sql(
    *,
    accounts: Sequence[int],
    states: Sequence[str],
    start: datetime.datetime | None,
    end: datetime.datetime | None,
) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    # One value is `=`, so the b-tree still gives the rows newest first; `= ANY` does not.
    for column, values in (("account_id", [int(pk) for pk in accounts]), ("status", list(states))):
        if len(values) == 1:
            clauses.append(f"s.{column} = %s")
            params.append(values[0])
        elif values:
            clauses.append(f"s.{column} = ANY(%s)")
            params.append(values)
    if start is not None:
        clauses.append("s.created_at >= %s")
        params.append(start)
    if end is not None:
        clauses.append("s.created_at < %s")
        params.append(end)
    return "".join(f" AND {clause}" for clause in clauses), params


def ranked_candidates(
    organisation_id: int, query: str, where: str, params: Sequence[Any], *, prefix: bool, limit: int
) -> list[tuple[int, float]]:
    """(id, ts_rank_cd) of the newest `limit` matches, newest first."""
    text, query_params = tsquery(query, prefix=prefix)
    sql = (
        f"SELECT c.item_id, ts_rank_cd(c.vector, {text}) FROM"  # noqa: S608
        " (SELECT s.item_id, s.vector, s.created_at FROM records_itemsearch s"
        f" WHERE s.organisation_id = %s AND s.vector @@ {text}{where}"
        " ORDER BY s.created_at DESC, s.item_id DESC LIMIT %s) c"
        " ORDER BY c.created_at DESC, c.item_id DESC"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*query_params, organisation_id, *query_params, *params, limit])
        return [(int(pk), float(score)) for pk, score in cursor.fetchall()]
