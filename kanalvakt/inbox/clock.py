"""Business calendars and response-time clocks (INB-2).

A pack's `calendar` rule gives the working hours and working days; public
holidays come from the `holidays` library for the calendar's country (SE, FI).
In Sweden midsommarafton, julafton and nyårsafton are treated as days off as
well (they are in practice, though not by law); Finland's juhannusaatto and
jouluaatto are in the library already.

A *deadline* (`response_times.*` in the pack) is one of

* `{kind: hours, amount: N, clock: calendar}` – N hours on the wall clock;
* `{kind: hours, amount: N, clock: working}` – N hours counted only within
  working hours on working days;
* `{kind: hours, amount: N, clock: weekdays}` – N hours of the whole day (all
  24 hours) counted only on working days: Degerfors' "inom det närmast dygnet
  på vardagar" is 24 such hours (Monday 09:00 → Tuesday 09:00; Friday 09:00 →
  Monday 09:00; received on a Saturday → Tuesday 00:00);
* `{kind: working_days, amount: N}` – N full working days of working time
  (received Monday 10:00 with one working day: due Tuesday 10:00; received
  on a Saturday: due Monday at the end of the working day);
* `{kind: next_working_day}` – by the end of the working day after the day
  the item arrived;
* `{kind: asap}` – "as fast as possible". Kanalvakt reads this as
  `ASAP_WORKING_HOURS` (2) working hours, so the clock turns red early.

All arithmetic is done in the calendar's own time zone and returned aware.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import holidays

ASAP_WORKING_HOURS = 2
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
TIME_ZONES = {"SE": "Europe/Stockholm", "FI": "Europe/Helsinki"}
DEFAULT_CALENDAR: dict[str, Any] = {
    "country": "SE",
    "subdivision": None,
    "working_hours": {"start": "08:00", "end": "16:30"},
    "working_days": ["mon", "tue", "wed", "thu", "fri"],
}


class DeadlineError(ValueError):
    """A deadline or calendar in a pack that the clock cannot use."""


def _time(text: str) -> datetime.time:
    try:
        hours, minutes = str(text).split(":")
        return datetime.time(int(hours), int(minutes))
    except ValueError as error:
        raise DeadlineError(f"Ogiltig klockslag: {text!r}") from error


@functools.lru_cache(maxsize=64)
def _holidays(country: str, subdivision: str | None, year: int) -> frozenset[datetime.date]:
    days = set(holidays.country_holidays(country, subdiv=subdivision, years=year))
    if country == "SE":
        days |= {datetime.date(year, 12, 24), datetime.date(year, 12, 31)}
        # Midsommarafton: the Friday between 19 and 25 June.
        for day in range(19, 26):
            date = datetime.date(year, 6, day)
            if date.weekday() == 4:
                days.add(date)
    return frozenset(days)


@dataclass(frozen=True)
class BusinessCalendar:
    country: str
    subdivision: str | None
    start: datetime.time
    end: datetime.time
    working_days: frozenset[int]

    @classmethod
    def from_rule(cls, value: Mapping[str, Any] | None) -> BusinessCalendar:
        value = dict(value or DEFAULT_CALENDAR)
        country = str(value.get("country") or "SE").upper()
        hours = value.get("working_hours") or DEFAULT_CALENDAR["working_hours"]
        days = value.get("working_days") or DEFAULT_CALENDAR["working_days"]
        start, end = _time(hours["start"]), _time(hours["end"])
        if end <= start:
            raise DeadlineError("Arbetsdagen måste sluta efter att den börjar.")
        try:
            numbers = frozenset(WEEKDAYS.index(str(day).lower()) for day in days)
        except ValueError as error:
            raise DeadlineError(f"Okänd veckodag i {days!r}") from error
        if not numbers:
            raise DeadlineError("Kalendern har inga arbetsdagar.")
        return cls(country, value.get("subdivision") or None, start, end, numbers)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(TIME_ZONES.get(self.country, "Europe/Stockholm"))

    @property
    def day_length(self) -> datetime.timedelta:
        return _combine(datetime.date(2000, 1, 3), self.end) - _combine(
            datetime.date(2000, 1, 3), self.start
        )

    def is_holiday(self, date: datetime.date) -> bool:
        return date in _holidays(self.country, self.subdivision, date.year)

    def is_working_day(self, date: datetime.date) -> bool:
        return date.weekday() in self.working_days and not self.is_holiday(date)

    def next_working_day(self, date: datetime.date) -> datetime.date:
        """The first working day strictly after `date`."""
        date += datetime.timedelta(days=1)
        for _ in range(400):
            if self.is_working_day(date):
                return date
            date += datetime.timedelta(days=1)
        raise DeadlineError("Ingen arbetsdag inom ett år.")

    def opening(self, date: datetime.date) -> datetime.datetime:
        return _combine(date, self.start, self.zone)

    def closing(self, date: datetime.date) -> datetime.datetime:
        return _combine(date, self.end, self.zone)

    def add_weekday_time(
        self, moment: datetime.datetime, amount: datetime.timedelta
    ) -> datetime.datetime:
        """`moment` plus `amount` counted around the clock, but only on working days."""
        local = moment.astimezone(self.zone)
        date = local.date()
        if not self.is_working_day(date):
            date = self.next_working_day(date)
            local = _combine(date, datetime.time(0, 0), self.zone)
        remaining = amount
        while True:
            midnight = _combine(date + datetime.timedelta(days=1), datetime.time(0, 0), self.zone)
            left_today = midnight - local
            if remaining <= left_today:
                return local + remaining
            remaining -= left_today
            date = self.next_working_day(date)
            local = _combine(date, datetime.time(0, 0), self.zone)

    def add_working_time(
        self, moment: datetime.datetime, amount: datetime.timedelta
    ) -> datetime.datetime:
        """`moment` plus `amount` counted only within working hours."""
        local = moment.astimezone(self.zone)
        date = local.date()
        if not self.is_working_day(date) or local >= self.closing(date):
            date = self.next_working_day(date)
            local = self.opening(date)
        elif local < self.opening(date):
            local = self.opening(date)
        remaining = amount
        while True:
            left_today = self.closing(date) - local
            if remaining <= left_today:
                return local + remaining
            remaining -= left_today
            date = self.next_working_day(date)
            local = self.opening(date)


def _combine(
    date: datetime.date, time: datetime.time, zone: ZoneInfo | None = None
) -> datetime.datetime:
    return datetime.datetime.combine(date, time, tzinfo=zone or ZoneInfo("UTC"))


def describe(deadline: Mapping[str, Any]) -> str:
    """The deadline in words, for the item page (Swedish; wrapped by the caller)."""
    kind = deadline.get("kind")
    amount = deadline.get("amount")
    if kind == "hours":
        if deadline.get("clock") == "weekdays":
            return f"{amount} timmar på vardagar"
        clock = "arbetstimmar" if deadline.get("clock") == "working" else "timmar"
        return f"{amount} {clock}"
    if kind == "working_days":
        return f"{amount} arbetsdag" + ("ar" if amount != 1 else "")
    if kind == "next_working_day":
        return "senast nästa arbetsdag"
    if kind == "asap":
        return f"så snart som möjligt (Kanalvakt räknar {ASAP_WORKING_HOURS} arbetstimmar)"
    return str(kind)


def due_at(
    received_at: datetime.datetime,
    deadline: Mapping[str, Any],
    calendar: BusinessCalendar,
) -> datetime.datetime:
    """When an item received at `received_at` must be answered under `deadline`."""
    if received_at.tzinfo is None:
        raise DeadlineError("received_at måste ha en tidszon.")
    kind = deadline.get("kind")
    if kind == "hours":
        amount = _amount(deadline)
        if deadline.get("clock", "calendar") == "working":
            return calendar.add_working_time(received_at, datetime.timedelta(hours=amount))
        if deadline.get("clock") == "weekdays":
            return calendar.add_weekday_time(received_at, datetime.timedelta(hours=amount))
        return received_at + datetime.timedelta(hours=amount)
    if kind == "working_days":
        amount = _amount(deadline)
        return calendar.add_working_time(received_at, calendar.day_length * amount)
    if kind == "next_working_day":
        return calendar.closing(
            calendar.next_working_day(received_at.astimezone(calendar.zone).date())
        )
    if kind == "asap":
        return calendar.add_working_time(received_at, datetime.timedelta(hours=ASAP_WORKING_HOURS))
    raise DeadlineError(f"Okänd typ av svarstid: {kind!r}")


def _amount(deadline: Mapping[str, Any]) -> float:
    amount = deadline.get("amount")
    if not isinstance(amount, int | float) or isinstance(amount, bool) or amount <= 0:
        raise DeadlineError(f"Svarstiden saknar ett positivt antal: {deadline!r}")
    return float(amount)
