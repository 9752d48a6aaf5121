"""One report: the figures of every section for a period, with their charts."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from kanalvakt.organisations.models import Organisation
from kanalvakt.reports import charts, metrics
from kanalvakt.reports.period import Period


@dataclass
class Report:
    period: Period
    responses: metrics.ResponseReport
    moderation: metrics.ModerationReport
    registrations: metrics.RegistrationReport
    snapshots: list[metrics.SnapshotRow]
    charts: dict[str, str] = field(default_factory=dict)
    """Section name → SVG, only for the sections that have figures to draw."""


def _charts(report: Report) -> dict[str, str]:
    drawn: dict[str, str] = {}
    answered = [row for row in report.responses.accounts if row.answered]
    if answered:
        drawn["response_times"] = charts.paired_bar_chart(
            _("Svarstid per konto (timmar)"),
            [(row.label, row.median_hours, row.p90_hours) for row in answered],
            names=(_("median"), _("90:e percentilen")),
            unit=_("timmar"),
        )
    weekly = metrics.weekly_share(report.responses.weeks)
    if weekly:
        drawn["weekly"] = charts.line_chart(
            _("Andel besvarade i tid per vecka"), weekly, unit=_("procent")
        )
    if report.moderation.categories:
        drawn["categories"] = charts.bar_chart(
            _("Modereringsärenden per kategori"),
            [(label, float(count)) for label, count in report.moderation.categories],
            unit=_("ärenden"),
        )
    if report.registrations.by_status:
        drawn["registrations"] = charts.bar_chart(
            _("Inkomna handlingar per status"),
            [(label, float(count)) for label, count in report.registrations.by_status],
            unit=_("handlingar"),
        )
    return drawn


def build_report(*, organisation: Organisation, period: Period, charts: bool = True) -> Report:
    report = Report(
        period=period,
        responses=metrics.response_report(organisation=organisation, period=period),
        moderation=metrics.moderation_report(organisation=organisation, period=period),
        registrations=metrics.registration_report(organisation=organisation, period=period),
        snapshots=metrics.snapshot_report(organisation=organisation, period=period),
    )
    if charts:
        report.charts = _charts(report)
    return report
