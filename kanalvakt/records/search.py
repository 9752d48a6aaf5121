"""Full-text search of received items in Swedish and Finnish (REC-5), ranked and bounded.

Both databases keep a search table `records_itemsearch` that processing step
400 fills, the registration services keep up to date with the record state,
and disposal empties (`search_index_rebuild()` refills it):

- SQLite (`search_sqlite`): FTS5, rowid = minus the item id, with the text, the author
  and the filters as tags (`search_tags`). The candidates are ranked by BM25
  in `kanalvakt.records.ranking` (FTS5's own `bm25()` counts every match of a
  term first).
- PostgreSQL (`search_postgresql`): one stored `tsvector` per item in the
  item's language, with its organisation, account, time and record state as
  columns; ranked by `ts_rank_cd()`. Queries are `websearch_to_tsquery` when
  they use its syntax ("a phrase", -not, or), otherwise every word is
  required, in the Swedish, Finnish and simple configurations.

Every word must match, first as whole words, then as prefixes if whole words
fill less than a page. The plan for words found in half of all items: the
filters (organisation, account, days, record state) are part of the index
lookup, then the newest `CANDIDATES` matches (by item id on SQLite, by time
written on PostgreSQL), which both engines read straight from an index
without ranking, and only those are ranked. A query that has more matches
than that is ranked among the newest ones, and says so
(`SearchResult.bounded`).
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils import timezone

from kanalvakt.inbox.models import Item
from kanalvakt.organisations.models import Organisation
from kanalvakt.records import search_postgresql, search_sqlite, search_tags
from kanalvakt.records.ranking import bm25_scores

_WORD = re.compile(r"\w+", re.UNICODE)
# SQL below is built from fixed fragments of this module only; every value is a parameter.
CANDIDATES = 1000
LIMIT = 200


def fts_available() -> bool:
    return connection.vendor in {"sqlite", "postgresql"}


def _key(item_id: int) -> tuple[str, int]:
    if connection.vendor == "sqlite":
        return search_sqlite.key(item_id)
    return "item_id = %s", item_id


def search_index_item(*, item: Item) -> None:
    """Put the item's text, author and filters (with its record state now) in the search table."""
    search_index_items(ids=[item.pk])


def search_index_items(*, ids: Sequence[int]) -> None:
    """`search_index_item` for many items at once (a batch of an import)."""
    if connection.vendor == "sqlite":
        search_sqlite.index_items(list(ids))
    elif connection.vendor == "postgresql":
        search_postgresql.index_items(list(ids))


def search_refresh_item(*, item_id: int) -> None:
    """After the item's record state changed: rewrite its row, if it is in the table at all."""
    with connection.cursor() as cursor:
        where, value = _key(item_id)
        cursor.execute(f"SELECT 1 FROM records_itemsearch WHERE {where}", [value])  # noqa: S608
        if cursor.fetchone() is None:
            return
    search_index_items(ids=[item_id])


def search_unindex_item(*, item_id: int) -> None:
    with connection.cursor() as cursor:
        where, value = _key(item_id)
        cursor.execute(f"DELETE FROM records_itemsearch WHERE {where}", [value])  # noqa: S608


def search_index_rebuild() -> int:
    """Index every item (after a restore or a bulk import). Returns the count."""
    if connection.vendor == "sqlite":
        return search_sqlite.rebuild()
    return search_postgresql.rebuild()


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


def _window(filters: SearchFilters) -> tuple[datetime.datetime | None, datetime.datetime | None]:
    """The moments the days of the filter begin and end (the end not included)."""
    start = _day_start(filters.date_from) if filters.date_from is not None else None
    end = None
    if filters.date_to is not None:
        end = _day_start(filters.date_to + datetime.timedelta(days=1))
    return start, end


def _item_filter_sql(organisation_id: int, filters: SearchFilters) -> tuple[str, list[Any]]:
    """The filters again, on `inbox_item i`: what the search table said is checked at the source."""
    clauses = ["i.organisation_id = %s"]
    params: list[Any] = [organisation_id]
    if filters.accounts:
        clauses.append(f"i.account_id IN ({', '.join('%s' for _ in filters.accounts)})")
        params += [int(pk) for pk in filters.accounts]
    start, end = _window(filters)
    if start is not None:
        clauses.append("i.created_at >= %s")
        params.append(start)
    if end is not None:
        clauses.append("i.created_at < %s")
        params.append(end)
    if filters.record_states:
        states = ", ".join("%s" for _ in filters.record_states)
        clauses.append(
            "EXISTS (SELECT 1 FROM records_registration r WHERE r.item_id = i.id"  # noqa: S608
            f" AND r.status IN ({states}))"
        )
        params += [str(state) for state in filters.record_states]
    return "".join(f" AND {clause}" for clause in clauses), params


def _whole_words_then_prefixes(
    matches: Callable[..., tuple[list[int], bool]], query: str, limit: int, *, prefixes: bool
) -> tuple[list[int], bool]:
    """Whole words first; prefixes only when whole words fill less than a page.

    A short prefix of a common word expands to thousands of index terms whose
    lists must be merged; whole words are one list each.
    """
    ids, bounded = matches(prefix=False)
    if len(ids) < limit and prefixes:
        ids, bounded = matches(prefix=True)
    return ids, bounded


def _best(scored: list[tuple[int, float]], limit: int) -> tuple[list[int], bool]:
    """Rank the first (newest) CANDIDATES rows; one more only tells that there are more."""
    bounded = len(scored) > CANDIDATES
    ranked = sorted(scored[:CANDIDATES], key=lambda row: (-row[1], -row[0]))
    return [pk for pk, _score in ranked[:limit]], bounded


def _sqlite_matches(
    organisation_id: int, query: str, filters: SearchFilters, limit: int, *, prefix: bool
) -> tuple[list[int], bool]:
    tags = search_tags.tag_query(
        organisation_id=organisation_id,
        accounts=filters.accounts,
        states=filters.record_states,
        first=filters.date_from,
        last=filters.date_to,
        dated=filters.date_from is not None or filters.date_to is not None,
    )
    ids = search_sqlite.candidate_ids(
        search_sqlite.words_query(query, prefix=prefix), tags, CANDIDATES + 1
    )
    where, params = _item_filter_sql(organisation_id, filters)
    rows = search_sqlite.texts(ids, where, params)
    scored = bm25_scores(rows[:CANDIDATES], query, prefix=prefix) + [
        (pk, 0.0) for pk, _text, _author in rows[CANDIDATES:]
    ]
    return _best(scored, limit)


def _pg_matches(
    organisation_id: int, query: str, filters: SearchFilters, limit: int, *, prefix: bool
) -> tuple[list[int], bool]:
    start, end = _window(filters)
    where, params = search_postgresql.filter_sql(
        accounts=filters.accounts, states=filters.record_states, start=start, end=end
    )
    scored = search_postgresql.ranked_candidates(
        organisation_id, query, where, params, prefix=prefix, limit=CANDIDATES + 1
    )
    return _best(scored, limit)


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
        matches = functools.partial(_pg_matches, organisation.pk, query, filters, limit)
        prefixes = not search_postgresql.WEBSEARCH.search(query)
    else:
        matches = functools.partial(_sqlite_matches, organisation.pk, query, filters, limit)
        prefixes = True
    return _whole_words_then_prefixes(matches, query, limit, prefixes=prefixes)


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
    """The items to show, best first; without the platform's payload, which no list shows."""
    found = Item.objects.select_related("account").defer("raw").in_bulk(ids)
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
