"""Full-text search of received items in Swedish and Finnish (REC-5), ranked and bounded.

Both databases keep a search table `records_itemsearch` that processing step
400 fills and disposal empties:

- SQLite: an FTS5 virtual table (rowid = item id; text and author), the
  candidates ranked by BM25 in `kanalvakt.records.ranking` (FTS5's own
  `bm25()` counts every match of a term first).
- PostgreSQL: a table with the item's organisation, account, time and a
  `tsvector` built with the item's language (`finnish` for Finnish items,
  `swedish` otherwise; the author with `simple`), under a GIN index, ranked by
  `ts_rank_cd()`. Queries are `websearch_to_tsquery` when they use its syntax
  ("a phrase", -not, or), otherwise every word is a required prefix, in both
  configurations.

The plan for words found in half of all items: filters (organisation,
account, date, record state) first, then the newest `CANDIDATES` matches in
item order, which both engines read straight from their index without
ranking, and only those are ranked. A query that has more matches than that
is ranked among the newest ones, and says so (`SearchResult.bounded`).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Case, IntegerField, Max, Min, QuerySet, Value, When
from django.utils import timezone

from kanalvakt.inbox.models import Item
from kanalvakt.organisations.models import Organisation
from kanalvakt.records.ranking import bm25_scores

_WORD = re.compile(r"\w+", re.UNICODE)
_WEBSEARCH = re.compile(r'"|(^|\s)-\w|\sor\s', re.IGNORECASE)
# SQL below is built from fixed fragments of this module only; every value is a parameter.
CANDIDATES = 1000
LIMIT = 200


def fts_available() -> bool:
    return connection.vendor in {"sqlite", "postgresql"}


def _fts_query(text: str, *, prefix: bool = True) -> str:
    """User words as quoted FTS5 terms (prefixes), all required: nothing of it is syntax."""
    star = "*" if prefix else ""
    return " AND ".join(f'"{word}"{star}' for word in _WORD.findall(text))


def _ts_query(text: str, *, prefix: bool = True) -> str:
    """User words as PostgreSQL terms (prefixes), all required (only word characters pass)."""
    star = ":*" if prefix else ""
    return " & ".join(f"'{word}'{star}" for word in _WORD.findall(text))


PG_VECTOR = (
    "setweight(to_tsvector(CASE WHEN {lang} LIKE 'fi%%' THEN 'finnish' ELSE 'swedish' END"
    "::regconfig, {text}), 'A') || setweight(to_tsvector('simple', {author}), 'B')"
)


def _key() -> str:
    return "rowid" if connection.vendor == "sqlite" else "item_id"


def search_index_item(*, item: Item) -> None:
    """Put the item's text and author in the search table."""
    author = f"{item.author_name} {item.author_handle}"
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM records_itemsearch WHERE {_key()} = %s", [item.pk])  # noqa: S608
        if connection.vendor == "sqlite":
            cursor.execute(
                "INSERT INTO records_itemsearch(rowid, body, author) VALUES (%s, %s, %s)",
                [item.pk, item.text, author],
            )
            return
        vector = PG_VECTOR.format(lang="%s", text="%s", author="%s")
        cursor.execute(
            "INSERT INTO records_itemsearch(item_id, organisation_id, account_id, created_at,"  # noqa: S608
            f" vector) VALUES (%s, %s, %s, %s, {vector})",
            [
                item.pk,
                item.organisation_id,
                item.account_id,
                item.created_at,
                item.language_hint,
                item.text,
                author,
            ],
        )


def search_unindex_item(*, item_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM records_itemsearch WHERE {_key()} = %s", [item_id])  # noqa: S608


def search_index_rebuild() -> int:
    """Index every item (after a restore or a bulk import). Returns the count."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM records_itemsearch")
        if connection.vendor == "sqlite":
            cursor.execute(
                "INSERT INTO records_itemsearch(rowid, body, author) "
                "SELECT id, text, author_name || ' ' || author_handle FROM inbox_item"
            )
        else:
            vector = PG_VECTOR.format(
                lang="language_hint", text="text", author="author_name || ' ' || author_handle"
            ).replace("%%", "%")
            cursor.execute(
                "INSERT INTO records_itemsearch(item_id, organisation_id, account_id, created_at,"  # noqa: S608
                f" vector) SELECT id, organisation_id, account_id, created_at, {vector}"
                " FROM inbox_item"
            )
            cursor.execute("ANALYZE records_itemsearch")
        return int(cursor.rowcount)


@dataclass(frozen=True)
class SearchFilters:
    """What narrows a search before any ranking: accounts, days (inclusive), record states."""

    accounts: Sequence[int] = ()
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    record_states: Sequence[str] = ()


@dataclass(frozen=True)
class SearchResult:
    ids: list[int]
    bounded: bool
    """More matches than CANDIDATES: ranked among the newest matches only."""
    items: list[Item] = field(default_factory=list)


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def _id_range(filters: SearchFilters) -> tuple[int, int]:
    """The item ids a date filter can reach, read from the index on the item's time.

    Ids grow with receipt, not with the time written, so this is a bound, not
    the filter: it lets the search index start and stop at the right place
    instead of walking every newer match of a common word.
    """
    window = Item.objects.all()
    if filters.date_from is not None:
        window = window.filter(created_at__gte=_day_start(filters.date_from))
    if filters.date_to is not None:
        window = window.filter(
            created_at__lt=_day_start(filters.date_to + datetime.timedelta(days=1))
        )
    bounds = window.aggregate(lo=Min("pk"), hi=Max("pk"))
    if bounds["lo"] is None:
        return (0, -1)
    return int(bounds["lo"]), int(bounds["hi"])


def _filter_sql(item: str, filters: SearchFilters, key: str) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if filters.date_from is not None or filters.date_to is not None:
        lo, hi = _id_range(filters)
        clauses.append(f"{key} BETWEEN %s AND %s")
        params += [lo, hi]
    if filters.accounts:
        clauses.append(f"{item}.account_id IN ({', '.join('%s' for _ in filters.accounts)})")
        params += list(filters.accounts)
    if filters.date_from is not None:
        clauses.append(f"{item}.created_at >= %s")
        params.append(_day_start(filters.date_from))
    if filters.date_to is not None:
        clauses.append(f"{item}.created_at < %s")
        params.append(_day_start(filters.date_to + datetime.timedelta(days=1)))
    if filters.record_states:
        states = ", ".join("%s" for _ in filters.record_states)
        clauses.append(
            "EXISTS (SELECT 1 FROM records_registration r WHERE r.item_id = "  # noqa: S608
            f"{item}.{'id' if item == 'i' else 'item_id'} AND r.status IN ({states}))"
        )
        params += list(filters.record_states)
    return "".join(f" AND {clause}" for clause in clauses), params


def _ranked_sqlite(
    organisation_id: int, query: str, filters: SearchFilters, limit: int
) -> tuple[list[int], bool]:
    """Whole words first; prefixes only when whole words fill less than a page.

    A short prefix of a common word expands to thousands of index terms whose
    lists must be merged; whole words are one list each.
    """
    ids, bounded = _sqlite_matches(organisation_id, query, filters, limit, prefix=False)
    if len(ids) < limit:
        ids, bounded = _sqlite_matches(organisation_id, query, filters, limit, prefix=True)
    return ids, bounded


def _sqlite_matches(
    organisation_id: int, query: str, filters: SearchFilters, limit: int, *, prefix: bool
) -> tuple[list[int], bool]:
    where, params = _filter_sql("i", filters, "s.rowid")
    # CROSS JOIN keeps the FTS table as the outer loop, read newest first.
    sql = (
        "SELECT s.rowid, s.body, s.author FROM records_itemsearch s"  # noqa: S608
        " CROSS JOIN inbox_item i ON i.id = s.rowid"
        f" WHERE records_itemsearch MATCH %s AND i.organisation_id = %s{where}"
        " ORDER BY s.rowid DESC LIMIT %s"
    )
    match = _fts_query(query, prefix=prefix)
    with connection.cursor() as cursor:
        cursor.execute(sql, [match, organisation_id, *params, CANDIDATES + 1])
        rows = cursor.fetchall()
    bounded = len(rows) > CANDIDATES
    scores = bm25_scores(rows[:CANDIDATES], query, prefix=prefix)
    return _best(scores, limit, lambda row: (-row[1], -row[0]))[0], bounded


def _best(
    rows: list[tuple[int, float]], limit: int, order: Callable[[tuple[int, float]], Any]
) -> tuple[list[int], bool]:
    """Rank the newest CANDIDATES rows; one more than that only tells that there are more."""
    bounded = len(rows) > CANDIDATES
    if bounded:
        rows = sorted(rows, key=lambda row: row[0], reverse=True)[:CANDIDATES]
    return [row[0] for row in sorted(rows, key=order)[:limit]], bounded


def _pg_tsquery(query: str, *, prefix: bool) -> tuple[str, list[str]]:
    if _WEBSEARCH.search(query):
        return (
            "(websearch_to_tsquery('swedish', %s) || websearch_to_tsquery('finnish', %s)"
            " || websearch_to_tsquery('simple', %s))",
            [query, query, query],
        )
    terms = _ts_query(query, prefix=prefix)
    return (
        "(to_tsquery('swedish', %s) || to_tsquery('finnish', %s) || to_tsquery('simple', %s))",
        [terms, terms, terms],
    )


def _ranked_postgresql(
    organisation_id: int, query: str, filters: SearchFilters, limit: int
) -> tuple[list[int], bool]:
    """Whole words first, then prefixes, as on SQLite."""
    ids, bounded = _pg_matches(organisation_id, query, filters, limit, prefix=False)
    if len(ids) < limit and not _WEBSEARCH.search(query):
        ids, bounded = _pg_matches(organisation_id, query, filters, limit, prefix=True)
    return ids, bounded


def _pg_matches(
    organisation_id: int, query: str, filters: SearchFilters, limit: int, *, prefix: bool
) -> tuple[list[int], bool]:
    where, params = _filter_sql("s", filters, "s.item_id")
    tsquery, query_params = _pg_tsquery(query, prefix=prefix)
    sql = (
        "SELECT c.id, ts_rank_cd(c.vector, q.q) AS score FROM"  # noqa: S608
        f" (SELECT {tsquery} AS q) q,"
        " LATERAL (SELECT s.item_id AS id, s.vector FROM records_itemsearch s"
        f" WHERE s.organisation_id = %s AND s.vector @@ q.q{where}"
        " ORDER BY s.item_id DESC LIMIT %s) c"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*query_params, organisation_id, *params, CANDIDATES + 1])
        rows = cursor.fetchall()
    # ts_rank_cd: higher is better.
    return _best(rows, limit, lambda row: (-row[1], -row[0]))


def search_items(
    *,
    organisation: Organisation,
    query: str,
    filters: SearchFilters | None = None,
    limit: int = LIMIT,
) -> SearchResult:
    """The organisation's best `limit` items for the query, best first; the one search selector.

    The records request page and the inbox both call this. Without words in
    the query it returns the newest items the filters allow.
    """
    ids, bounded = _ranked_ids(organisation, query, filters or SearchFilters(), limit)
    return SearchResult(ids=ids, bounded=bounded, items=_in_order(ids))


def _ranked_ids(
    organisation: Organisation, query: str, filters: SearchFilters, limit: int
) -> tuple[list[int], bool]:
    if not _WORD.search(query or ""):
        newest = _filtered(organisation, filters).order_by("-received_at", "-pk")
        return list(newest.values_list("pk", flat=True)[:limit]), False
    if connection.vendor == "postgresql":
        return _ranked_postgresql(organisation.pk, query, filters, limit)
    return _ranked_sqlite(organisation.pk, query, filters, limit)


def _filtered(organisation: Organisation, filters: SearchFilters) -> QuerySet[Item]:
    items = Item.objects.filter(organisation=organisation)
    if filters.accounts:
        items = items.filter(account_id__in=filters.accounts)
    if filters.date_from is not None:
        items = items.filter(created_at__gte=_day_start(filters.date_from))
    if filters.date_to is not None:
        items = items.filter(
            created_at__lt=_day_start(filters.date_to + datetime.timedelta(days=1))
        )
    if filters.record_states:
        items = items.filter(registration__status__in=filters.record_states)
    return items


def _in_order(ids: list[int]) -> list[Item]:
    found = Item.objects.select_related("account").in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def item_search(
    *,
    organisation: Organisation,
    query: str,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    accounts: Sequence[int] = (),
    record_states: Sequence[str] = (),
    limit: int = LIMIT,
) -> QuerySet[Item]:
    """`search_items` as a queryset of at most `limit` items, best first."""
    filters = SearchFilters(
        accounts=accounts, date_from=date_from, date_to=date_to, record_states=record_states
    )
    if not _WORD.search(query or ""):
        return _filtered(organisation, filters).order_by("-received_at", "-pk")
    ids, _bounded = _ranked_ids(organisation, query, filters, limit)
    if not ids:
        return Item.objects.none()
    order = Case(
        *[When(pk=pk, then=Value(position)) for position, pk in enumerate(ids)],
        output_field=IntegerField(),
    )
    return Item.objects.filter(pk__in=ids).order_by(order)
