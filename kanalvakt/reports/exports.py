"""The report as CSV (one table per section) and as PDF."""

from __future__ import annotations

from typing import Any, Protocol

from django.utils.translation import gettext as _

from kanalvakt.lib.csvsafe import csv_safe
from kanalvakt.reports.metrics import ResponseStats
from kanalvakt.reports.report import Report


class Writer(Protocol):
    def writerow(self, row: list[Any], /) -> Any: ...


def _number(value: float | None, digits: int = 1) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def _share(stats: ResponseStats) -> str:
    share = stats.share_on_time
    return "" if share is None else f"{100 * share:.0f}"


def _row(writer: Writer, cells: list[Any]) -> None:
    writer.writerow([csv_safe(str(cell)) for cell in cells])


def write_csv(writer: Writer, report: Report) -> None:
    _row(writer, [_("Period"), report.period.start.isoformat(), report.period.end.isoformat()])
    _row(writer, [])
    _row(
        writer,
        [
            _("Svarstider"),
            _("Plattform"),
            _("Med svarstid"),
            _("I tid"),
            _("Sent"),
            _("Försenade och obesvarade"),
            _("Andel i tid (%)"),
            _("Median (h)"),
            _("90:e percentilen (h)"),
        ],
    )
    groups = [*report.responses.accounts, *report.responses.platforms]
    for stats in groups:
        _row(
            writer,
            [
                stats.label,
                stats.platform,
                stats.expected,
                stats.on_time,
                stats.late,
                stats.open_overdue,
                _share(stats),
                _number(stats.median_hours),
                _number(stats.p90_hours),
            ],
        )
    _row(writer, [])
    _row(writer, [_("Vecka"), _("Med svarstid"), _("I tid"), _("Andel i tid (%)")])
    for week in report.responses.weeks:
        _row(writer, [week.label, week.expected, week.on_time, _share(week)])
    _row(writer, [])
    moderation = report.moderation
    _row(writer, [_("Moderering: kategori"), _("Ärenden")])
    for label, count in moderation.categories:
        _row(writer, [label, count])
    _row(writer, [_("Moderering: beslut"), _("Ärenden")])
    for label, count in moderation.decisions:
        _row(writer, [label, count])
    _row(
        writer,
        [
            _("Tid till beslut, median (h)"),
            _number(moderation.median_hours),
            _("90:e percentilen (h)"),
            _number(moderation.p90_hours),
        ],
    )
    _row(writer, [])
    _row(writer, [_("Diarieföring: status"), _("Handlingar")])
    for label, count in report.registrations.by_status:
        _row(writer, [label, count])
    _row(writer, [])
    _row(writer, [_("Ögonblicksbilder: konto"), _("I perioden"), _("Senaste")])
    for row in report.snapshots:
        latest = row.latest.captured_at.date().isoformat() if row.latest else ""
        _row(writer, [str(row.account), row.in_period, latest])


def pdf(html: str) -> bytes:
    import weasyprint  # type: ignore[import-untyped]

    document: bytes = weasyprint.HTML(string=html).write_pdf()
    return document
