"""The filter words the SQLite search table keeps beside each item's text.

FTS5 can only narrow by what it has indexed, so the organisation, the account,
the record state and the day, month and year the item was written go into a
third column, `tags`, as words of their own (`o12 a7 sregistered d20240315
m202403 y2024`). A search asks for them with the user's words, and FTS5
intersects the lists: a word found in half of all items and a record state
found in one item in a hundred cost as much as the rarer of the two, not a
walk through the common word's matches.

The user's words are only ever matched in `body` and `author`, so nobody can
search for a tag.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterator, Sequence

from django.utils import timezone

# Before this no social-media item exists; the open end of "until" starts here.
EARLIEST = datetime.date(2000, 1, 1)


def state_tag(status: str) -> str:
    # The tokenizer splits at "_" (not_required), so the tag keeps letters and digits only.
    return "s" + "".join(c for c in status if c.isascii() and c.isalnum())


def item_tags(
    *, organisation_id: int, account_id: int, created_at: datetime.datetime, status: str
) -> str:
    day = timezone.localtime(created_at).date()
    return (
        f"o{organisation_id} a{account_id} {state_tag(status or 'none')}"
        f" d{day:%Y%m%d} m{day:%Y%m} y{day:%Y}"
    )


def _month_end(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _days(first: datetime.date, last: datetime.date) -> Iterator[str]:
    day = first
    while day <= last:
        yield f"d{day:%Y%m%d}"
        day += datetime.timedelta(days=1)


def _months(first: datetime.date, last: datetime.date) -> Iterator[str]:
    """Whole months from the one `first` starts to the one `last` ends (both first days)."""
    month = first
    while month <= last:
        yield f"m{month:%Y%m}"
        month = _month_end(month) + datetime.timedelta(days=1)


def date_tags(first: datetime.date | None, last: datetime.date | None) -> list[str]:
    """The fewest day, month and year tags that cover `first`..`last` (inclusive) exactly."""
    first = first or EARLIEST
    last = last or timezone.localdate() + datetime.timedelta(days=366)
    if last < first:
        return []
    tags: list[str] = []
    # Days up to the first whole month, whole months up to the first whole year, ...
    if first.day != 1:
        edge = min(_month_end(first), last)
        tags += _days(first, edge)
        first = edge + datetime.timedelta(days=1)
    if first > last:
        return tags
    if last != _month_end(last):
        edge = max(last.replace(day=1), first)
        tags += _days(edge, last)
        last = edge - datetime.timedelta(days=1)
    if first > last:
        return tags
    # Now first is a month's first day and last a month's last day.
    if first.month != 1:
        edge = min(datetime.date(first.year, 12, 31), last)
        tags += _months(first, edge.replace(day=1))
        first = edge + datetime.timedelta(days=1)
    if first > last:
        return tags
    if last.month != 12:
        edge = max(datetime.date(last.year, 1, 1), first)
        tags += _months(edge, last.replace(day=1))
        last = edge - datetime.timedelta(days=1)
    tags += [f"y{year}" for year in range(first.year, last.year + 1)]
    return tags


def tag_query(
    *,
    organisation_id: int,
    accounts: Sequence[int],
    states: Sequence[str],
    first: datetime.date | None,
    last: datetime.date | None,
    dated: bool,
) -> str:
    """The FTS5 expression for the filters (every tag is letters and digits only)."""
    parts = [f'"o{organisation_id}"']
    if accounts:
        parts.append("(" + " OR ".join(f'"a{int(pk)}"' for pk in accounts) + ")")
    if states:
        parts.append("(" + " OR ".join(f'"{state_tag(s)}"' for s in states) + ")")
    if dated:
        covering = date_tags(first, last)
        parts.append("(" + " OR ".join(f'"{tag}"' for tag in covering or ["y0"]) + ")")
    return "tags : (" + " AND ".join(parts) + ")"
