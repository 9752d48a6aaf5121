"""Response-time clocks over weekends, evenings and Swedish and Finnish holidays (INB-2)."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest

from kanalvakt.inbox.clock import BusinessCalendar, DeadlineError, due_at

STOCKHOLM = ZoneInfo("Europe/Stockholm")
HELSINKI = ZoneInfo("Europe/Helsinki")
SWEDISH = BusinessCalendar.from_rule(
    {
        "country": "SE",
        "working_hours": {"start": "08:00", "end": "16:30"},
        "working_days": ["mon", "tue", "wed", "thu", "fri"],
    }
)
FINNISH = BusinessCalendar.from_rule(
    {
        "country": "FI",
        "working_hours": {"start": "08:00", "end": "16:00"},
        "working_days": ["mon", "tue", "wed", "thu", "fri"],
    }
)
X_DEGERFORS = {"kind": "hours", "amount": 4, "clock": "working"}
FB_DEGERFORS = {"kind": "working_days", "amount": 1}
NEXT_DAY = {"kind": "next_working_day"}
OVERKALIX = {"kind": "hours", "amount": 48, "clock": "calendar"}
ASAP = {"kind": "asap"}


def se(year: int, month: int, day: int, hour: int, minute: int) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM)


def fi(year: int, month: int, day: int, hour: int, minute: int) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=HELSINKI)


@pytest.mark.parametrize(
    ("received", "deadline", "expected"),
    [
        # Överkalix: 48 hours on the wall clock, weekend or not.
        (se(2026, 11, 20, 15, 0), OVERKALIX, se(2026, 11, 22, 15, 0)),
        # Degerfors X: four working hours; Friday afternoon runs on into Monday.
        (se(2026, 11, 20, 15, 0), X_DEGERFORS, se(2026, 11, 23, 10, 30)),
        # ... an evening message starts the clock next morning.
        (se(2026, 11, 17, 20, 0), X_DEGERFORS, se(2026, 11, 18, 12, 0)),
        # ... an early morning one at opening time.
        (se(2026, 11, 17, 6, 0), X_DEGERFORS, se(2026, 11, 17, 12, 0)),
        # Degerfors Facebook and blogs: one working day.
        (se(2026, 11, 16, 10, 0), FB_DEGERFORS, se(2026, 11, 17, 10, 0)),
        (se(2026, 11, 21, 11, 0), FB_DEGERFORS, se(2026, 11, 23, 16, 30)),
        # Degerfors otherwise: by the end of the next working day.
        (se(2026, 11, 19, 9, 0), NEXT_DAY, se(2026, 11, 20, 16, 30)),
        (se(2026, 11, 20, 22, 0), NEXT_DAY, se(2026, 11, 23, 16, 30)),
        # Midsommarafton (Fri 19 June 2026) and midsommardagen are days off.
        (se(2026, 6, 18, 10, 0), NEXT_DAY, se(2026, 6, 22, 16, 30)),
        (se(2026, 6, 18, 15, 0), X_DEGERFORS, se(2026, 6, 22, 10, 30)),
        # Trettondedag jul on a Wednesday.
        (se(2027, 1, 5, 14, 0), X_DEGERFORS, se(2027, 1, 7, 9, 30)),
        # Kyrkslätt: negative messages as fast as possible = 2 working hours;
        # itsenäisyyspäivä is Monday 6 December 2027.
        (fi(2027, 12, 3, 15, 30), ASAP, fi(2027, 12, 7, 9, 30)),
        (fi(2026, 11, 17, 9, 0), ASAP, fi(2026, 11, 17, 11, 0)),
    ],
)
def test_due_times(
    received: datetime.datetime, deadline: dict[str, object], expected: datetime.datetime
) -> None:
    calendar = FINNISH if received.tzinfo == HELSINKI else SWEDISH
    assert due_at(received, deadline, calendar) == expected


def test_holidays_of_both_countries() -> None:
    assert SWEDISH.is_holiday(datetime.date(2026, 10, 31))  # Alla helgons dag
    assert SWEDISH.is_holiday(datetime.date(2026, 6, 19))  # midsommarafton
    assert SWEDISH.is_holiday(datetime.date(2026, 12, 24))  # julafton
    assert not SWEDISH.is_holiday(datetime.date(2026, 12, 6))
    assert FINNISH.is_holiday(datetime.date(2026, 12, 6))  # itsenäisyyspäivä
    assert FINNISH.is_holiday(datetime.date(2026, 10, 31))  # pyhäinpäivä
    assert FINNISH.is_holiday(datetime.date(2026, 6, 19))  # juhannusaatto
    assert not FINNISH.is_holiday(datetime.date(2026, 6, 6))  # Swedish national day


def test_a_utc_time_is_read_in_the_calendars_zone() -> None:
    # 15:30 UTC on a Friday in November is 16:30 in Stockholm: closing time.
    received = datetime.datetime(2026, 11, 20, 15, 30, tzinfo=datetime.UTC)
    assert due_at(received, X_DEGERFORS, SWEDISH) == se(2026, 11, 23, 12, 0)


@pytest.mark.parametrize(
    "deadline",
    [{"kind": "hours"}, {"kind": "hours", "amount": -1}, {"kind": "fortnight"}],
)
def test_unusable_deadline_is_refused(deadline: dict[str, object]) -> None:
    with pytest.raises(DeadlineError):
        due_at(se(2026, 11, 20, 10, 0), deadline, SWEDISH)


def test_unusable_calendar_is_refused() -> None:
    with pytest.raises(DeadlineError):
        BusinessCalendar.from_rule({"working_hours": {"start": "17:00", "end": "08:00"}})
    with pytest.raises(DeadlineError):
        BusinessCalendar.from_rule({"working_days": ["someday"]})
