from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kanalvakt.lib.csvsafe import csv_writer
from kanalvakt.organisations.selectors import get_organisation_for_user
from kanalvakt.reports import exports
from kanalvakt.reports.dashboard import dashboard as dashboard_for
from kanalvakt.reports.period import (
    Period,
    PeriodError,
    half_year_label,
    half_year_of,
    parse_period,
    previous_half_year,
)
from kanalvakt.reports.report import build_report
from kanalvakt.web.http import AuthenticatedHttpRequest


@login_required
@require_GET
def dashboard(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for_user(request, slug)
    return render(
        request,
        "reports/dashboard.html",
        {"organisation": organisation, "dashboard": dashboard_for(organisation=organisation)},
    )


def _period(request: AuthenticatedHttpRequest) -> tuple[Period, str]:
    today = timezone.localdate()
    try:
        return parse_period(request.GET.get("fran"), request.GET.get("till"), today=today), ""
    except PeriodError as error:
        return half_year_of(today), str(error)


@login_required
@require_GET
def reports(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for_user(request, slug)
    period, error = _period(request)
    today = timezone.localdate()
    return render(
        request,
        "reports/reports.html",
        {
            "organisation": organisation,
            "report": build_report(organisation=organisation, period=period),
            "period": period,
            "period_error": error,
            "presets": [
                (_("Innevarande halvår"), half_year_of(today)),
                (_("Föregående halvår"), previous_half_year(today)),
            ],
        },
        status=400 if error else 200,
    )


@login_required
@require_GET
def report_csv(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for_user(request, slug)
    period, _error = _period(request)
    buffer = io.StringIO()
    exports.write_csv(
        csv_writer(buffer), build_report(organisation=organisation, period=period, charts=False)
    )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    name = f"kanalvakt-{organisation.slug}-{period.slug}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def report_pdf(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The report as PDF; with `?halvar=foregaende` the board's half-year report."""
    organisation = get_organisation_for_user(request, slug)
    today = timezone.localdate()
    board = request.GET.get("halvar")
    if board:
        period = previous_half_year(today) if board == "foregaende" else half_year_of(today)
        title = _("Halvårsrapport %(period)s") % {"period": half_year_label(period)}
    else:
        period, _error = _period(request)
        title = _("Rapport %(period)s") % {"period": period.label}
    html = render_to_string(
        "reports/report_pdf.html",
        {
            "organisation": organisation,
            "report": build_report(organisation=organisation, period=period),
            "period": period,
            "title": title,
            "board": bool(board),
            "generated_at": timezone.localtime(),
        },
        request=request,
    )
    response = HttpResponse(exports.pdf(html), content_type="application/pdf")
    name = f"kanalvakt-{organisation.slug}-{period.slug}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
