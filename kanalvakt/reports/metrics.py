"""Figures for the reports (REP-2): read-only, one organisation, one period.

Each function reads what it needs in a fixed number of queries and computes in
Python; an organisation's half-year is thousands of rows, not millions.
"""

from __future__ import annotations

import datetime
import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Min, Q
from django.utils import timezone

from kanalvakt.inbox.models import OPEN_STATES, InboxEntry, ReplyState
from kanalvakt.moderation.labels import category_label
from kanalvakt.moderation.models import CaseState, Decision, ModerationCase
from kanalvakt.organisations.models import Organisation
from kanalvakt.records.models import Registration, RegistrationStatus, Snapshot
from kanalvakt.register.models import Account, AccountStatus
from kanalvakt.reports.period import Period

HOUR = 3600.0


def percentile(values: Sequence[float], share: float) -> float | None:
    """Nearest-rank percentile (the value at or below which `share` of values lie)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


@dataclass
class ResponseStats:
    """Answers against the pack's response-time rules for one group of entries."""

    label: str
    platform: str = ""
    expected: int = 0
    """Entries a rule gave a deadline, which had either been handled or fallen due."""
    on_time: int = 0
    late: int = 0
    open_overdue: int = 0
    hours: list[float] = field(default_factory=list)
    """Hours from the message to the first reply sent, per answered entry."""

    @property
    def answered(self) -> int:
        return len(self.hours)

    @property
    def median_hours(self) -> float | None:
        return median(self.hours)

    @property
    def p90_hours(self) -> float | None:
        return percentile(self.hours, 0.9)

    @property
    def share_on_time(self) -> float | None:
        return self.on_time / self.expected if self.expected else None


@dataclass(frozen=True)
class _Handled:
    account_id: int
    created: datetime.datetime
    due: datetime.datetime
    handled_at: datetime.datetime | None
    reply_hours: float | None


def _entries(organisation: Organisation, period: Period) -> list[_Handled]:
    rows = (
        InboxEntry.objects.filter(
            organisation=organisation,
            due_at__isnull=False,
            created_at__gte=period.starts_at,
            created_at__lt=period.ends_before,
        )
        .annotate(
            first_reply=Min("replies__sent_at", filter=Q(replies__state=ReplyState.SENT)),
        )
        .values_list(
            "account_id", "item__created_at", "due_at", "state", "closed_at", "first_reply"
        )
    )
    handled: list[_Handled] = []
    for account_id, written, due, state, closed_at, first_reply in rows:
        assert due is not None  # filtered above
        done_at = first_reply or (None if state in OPEN_STATES else closed_at)
        hours = (first_reply - written).total_seconds() / HOUR if first_reply else None
        handled.append(_Handled(account_id, written, due, done_at, hours))
    return handled


def _count(stats: ResponseStats, entry: _Handled, now: datetime.datetime) -> None:
    if entry.handled_at is None:
        if entry.due <= now:
            stats.expected += 1
            stats.open_overdue += 1
        return
    stats.expected += 1
    if entry.handled_at <= entry.due:
        stats.on_time += 1
    else:
        stats.late += 1
    if entry.reply_hours is not None:
        stats.hours.append(max(entry.reply_hours, 0.0))


@dataclass
class ResponseReport:
    accounts: list[ResponseStats]
    platforms: list[ResponseStats]
    total: ResponseStats
    weeks: list[ResponseStats]


def _accounts(organisation: Organisation) -> dict[int, Account]:
    return {account.pk: account for account in Account.objects.filter(organisation=organisation)}


def response_report(
    *, organisation: Organisation, period: Period, now: datetime.datetime | None = None
) -> ResponseReport:
    now = now or timezone.now()
    accounts = _accounts(organisation)
    by_account: dict[int, ResponseStats] = {}
    by_platform: dict[str, ResponseStats] = {}
    by_week: dict[tuple[int, int], ResponseStats] = {}
    total = ResponseStats(label="")
    for entry in _entries(organisation, period):
        account = accounts[entry.account_id]
        if account.pk not in by_account:
            by_account[account.pk] = ResponseStats(label=str(account), platform=account.platform)
        platform_label = account.get_platform_display()
        if account.platform not in by_platform:
            by_platform[account.platform] = ResponseStats(
                label=platform_label, platform=account.platform
            )
        iso = timezone.localtime(entry.created).isocalendar()
        week = (iso.year, iso.week)
        if week not in by_week:
            by_week[week] = ResponseStats(label=f"{iso.year}-V{iso.week:02d}")
        for stats in (by_account[account.pk], by_platform[account.platform], by_week[week], total):
            _count(stats, entry, now)
    return ResponseReport(
        accounts=sorted(by_account.values(), key=lambda stats: stats.label),
        platforms=sorted(by_platform.values(), key=lambda stats: stats.label),
        total=total,
        weeks=[by_week[key] for key in sorted(by_week)],
    )


@dataclass
class ModerationReport:
    opened: int
    decided: int
    open_overdue: int
    decided_on_time: int
    categories: list[tuple[str, int]]
    decisions: list[tuple[str, int]]
    decision_hours: list[float]

    @property
    def median_hours(self) -> float | None:
        return median(self.decision_hours)

    @property
    def p90_hours(self) -> float | None:
        return percentile(self.decision_hours, 0.9)


def moderation_report(
    *, organisation: Organisation, period: Period, now: datetime.datetime | None = None
) -> ModerationReport:
    now = now or timezone.now()
    cases = list(
        ModerationCase.objects.filter(
            organisation=organisation,
            opened_at__gte=period.starts_at,
            opened_at__lt=period.ends_before,
        ).values_list("pk", "state", "categories", "opened_at", "due_at", "decided_at")
    )
    categories: Counter[str] = Counter()
    hours: list[float] = []
    on_time = overdue = 0
    for _pk, state, case_categories, opened_at, due_at, decided_at in cases:
        categories.update(str(category) for category in case_categories or [])
        # A pack that is silent on a moderation deadline sets none: never late then.
        if state == CaseState.DECIDED and decided_at is not None:
            hours.append(max((decided_at - opened_at).total_seconds() / HOUR, 0.0))
            on_time += due_at is None or decided_at <= due_at
        elif due_at is not None and due_at <= now:
            overdue += 1
    last_kind: dict[int, str] = {}
    decisions = Decision.objects.filter(case_id__in=[row[0] for row in cases]).order_by(
        "decided_at", "pk"
    )
    for case_id, kind in decisions.values_list("case_id", "kind"):
        last_kind[case_id] = kind
    labels = dict(Decision._meta.get_field("kind").flatchoices)  # noqa: SLF001
    return ModerationReport(
        opened=len(cases),
        decided=len(hours),
        open_overdue=overdue,
        decided_on_time=on_time,
        categories=[(category_label(name), count) for name, count in categories.most_common()],
        decisions=[
            (str(labels.get(kind, kind)), count)
            for kind, count in Counter(last_kind.values()).most_common()
        ],
        decision_hours=hours,
    )


@dataclass
class RegistrationReport:
    by_status: list[tuple[str, int]]
    by_kind: list[tuple[str, int]]
    total: int


def registration_report(*, organisation: Organisation, period: Period) -> RegistrationReport:
    rows = list(
        Registration.objects.filter(
            organisation=organisation,
            created_at__gte=period.starts_at,
            created_at__lt=period.ends_before,
        ).values_list("status", "record_kind")
    )
    labels = dict(RegistrationStatus.choices)
    statuses = Counter(status for status, _kind in rows)
    return RegistrationReport(
        by_status=[(str(labels.get(status, status)), n) for status, n in statuses.most_common()],
        by_kind=Counter(kind or "–" for _status, kind in rows).most_common(),
        total=len(rows),
    )


@dataclass(frozen=True)
class SnapshotRow:
    account: Account
    latest: Snapshot | None
    in_period: int
    covered: bool
    """A snapshot of the account was taken within the period."""


def snapshot_report(*, organisation: Organisation, period: Period) -> list[SnapshotRow]:
    accounts = Account.objects.filter(
        organisation=organisation, status=AccountStatus.ACTIVE
    ).order_by("platform", "handle")
    snapshots: dict[int, list[Snapshot]] = defaultdict(list)
    for snapshot in Snapshot.objects.filter(organisation=organisation).order_by("captured_at"):
        snapshots[snapshot.account_id].append(snapshot)
    rows = []
    for account in accounts:
        taken = snapshots.get(account.pk, [])
        within = [s for s in taken if period.starts_at <= s.captured_at < period.ends_before]
        rows.append(SnapshotRow(account, taken[-1] if taken else None, len(within), bool(within)))
    return rows


def weekly_share(weeks: Iterable[ResponseStats]) -> list[tuple[str, float]]:
    """(week, share answered on time in per cent) for the weeks with any due entry."""
    return [
        (week.label, 100.0 * week.share_on_time) for week in weeks if week.share_on_time is not None
    ]
