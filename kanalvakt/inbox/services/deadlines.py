"""Due times and initial states of inbox entries, from the pack (INB-2)."""

from __future__ import annotations

import datetime
import logging
from typing import Any

from kanalvakt.inbox import clock
from kanalvakt.inbox.intent import NEGATIVE_INTENTS
from kanalvakt.inbox.models import (
    DeliverySource,
    EntryState,
    Item,
)
from kanalvakt.policies.crisis import crisis_response_time, organisation_in_crisis
from kanalvakt.policies.pack import Pack
from kanalvakt.register.models import pack_channel

logger = logging.getLogger(__name__)


LATE_ARRIVAL = datetime.timedelta(days=2)
"""An item received later than this after it was written (an import, a late poll)
starts its clock on receipt, so history does not flood the overdue list."""


def deadline_for(
    pack: Pack | None, *, platform: str, intent: str
) -> tuple[str, dict[str, Any]] | None:
    """The pack's deadline for an item: negative messages, then the platform, then default."""
    if pack is None:
        return None
    paths = []
    if intent in NEGATIVE_INTENTS:
        paths.append("response_times.negative")
    paths += [f"response_times.platforms.{pack_channel(platform)}", "response_times.default"]
    for path in paths:
        value = pack.value(path)
        if isinstance(value, dict) and value.get("kind"):
            return path, value
    return None


def _calendar(pack: Pack | None) -> clock.BusinessCalendar:
    return clock.BusinessCalendar.from_rule(pack.value("calendar") if pack else None)


class PackReading:
    """What the clock reads from a pack for each item, read once: a batch of one
    organisation's items asks the same few questions for every item (issue 12)."""

    def __init__(self, pack: Pack | None) -> None:
        self.pack = pack
        self.do_not_answer = _do_not_answer(pack)
        self._calendar: clock.BusinessCalendar | None = None
        self._deadlines: dict[tuple[str, bool], tuple[str, dict[str, Any]] | None] = {}

    def calendar(self) -> clock.BusinessCalendar:
        if self._calendar is None:
            self._calendar = _calendar(self.pack)
        return self._calendar

    def deadline(self, platform: str, intent: str) -> tuple[str, dict[str, Any]] | None:
        key = (platform, intent in NEGATIVE_INTENTS)
        if key not in self._deadlines:
            self._deadlines[key] = deadline_for(self.pack, platform=platform, intent=intent)
        return self._deadlines[key]


def _clock_start(item: Item) -> datetime.datetime:
    if item.received_at - item.created_at > LATE_ARRIVAL:
        return item.received_at
    return item.created_at


def _due(
    item: Item,
    pack: Pack | None,
    intent: str,
    *,
    in_crisis: bool | None = None,
    reading: PackReading | None = None,
) -> tuple[datetime.datetime | None, str, str]:
    """The due time, the deadline's path and its description. `in_crisis`, when the
    caller knows it (a batch of one organisation's items), saves the look-up, and
    `reading` (of the same pack) saves reading the pack again."""
    if in_crisis is None:
        in_crisis = organisation_in_crisis(item.organisation)
    reading = reading or PackReading(pack)
    crisis = crisis_response_time(item.organisation) if in_crisis else None
    found = ("crisis.response_time", crisis) if crisis else None
    found = found or reading.deadline(item.platform, intent)
    if found is None:
        return None, "", ""
    path, deadline = found
    try:
        due = clock.due_at(_clock_start(item), deadline, reading.calendar())
    except clock.DeadlineError:
        logger.exception("Unusable deadline %s in pack %s", path, pack.id if pack else "")
        return None, path, ""
    return due, path, clock.describe(deadline)


def _do_not_answer(pack: Pack | None) -> set[str]:
    value = pack.value("inbox.do_not_answer") if pack else None
    return {str(intent) for intent in value} if isinstance(value, list) else set()


def item_is_imported(item: Item) -> bool:
    """Items from an account's export archive are history, not mail waiting for an answer."""
    return item.delivery is not None and item.delivery.source == DeliverySource.IMPORT


def _initial_state(
    item: Item, pack: Pack | None, intent: str, *, reading: PackReading | None = None
) -> EntryState:
    do_not_answer = reading.do_not_answer if reading is not None else _do_not_answer(pack)
    if item.by_account or item_is_imported(item) or intent in do_not_answer:
        return EntryState.NO_ANSWER_NEEDED
    return EntryState.NEW
