"""The period a report covers: a half-year, a month or two dates the reader chooses."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Period:
    """Whole days from `start` to `end`, both included, in the installation's time zone."""

    start: datetime.date
    end: datetime.date

    @property
    def starts_at(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.start, datetime.time.min))

    @property
    def ends_before(self) -> datetime.datetime:
        following = self.end + datetime.timedelta(days=1)
        return timezone.make_aware(datetime.datetime.combine(following, datetime.time.min))

    @property
    def label(self) -> str:
        return f"{self.start.isoformat()} – {self.end.isoformat()}"

    @property
    def slug(self) -> str:
        return f"{self.start.isoformat()}_{self.end.isoformat()}"


def half_year_of(on: datetime.date) -> Period:
    if on.month <= 6:
        return Period(datetime.date(on.year, 1, 1), datetime.date(on.year, 6, 30))
    return Period(datetime.date(on.year, 7, 1), datetime.date(on.year, 12, 31))


def previous_half_year(on: datetime.date) -> Period:
    current = half_year_of(on)
    return half_year_of(current.start - datetime.timedelta(days=1))


def half_year_label(period: Period) -> str:
    half = 1 if period.start.month == 1 else 2
    return _("%(year)d, halvår %(half)d") % {"year": period.start.year, "half": half}


class PeriodError(ValueError):
    pass


def parse_period(start: str | None, end: str | None, *, today: datetime.date) -> Period:
    """The period from the form's two dates; the current half-year when both are empty.

    Raises `PeriodError` with a message for the reader when a date is not a date or
    the period ends before it starts.
    """
    if not start and not end:
        return half_year_of(today)
    try:
        first = datetime.date.fromisoformat(start) if start else half_year_of(today).start
        last = datetime.date.fromisoformat(end) if end else today
    except ValueError as exc:
        raise PeriodError(_("Ange datum som ÅÅÅÅ-MM-DD.")) from exc
    if last < first:
        raise PeriodError(_("Perioden slutar före den börjar."))
    if (last - first).days > 3 * 366:
        raise PeriodError(_("Välj en period på högst tre år."))
    return Period(first, last)
