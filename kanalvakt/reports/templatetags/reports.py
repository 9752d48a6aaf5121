from __future__ import annotations

from django import template
from django.utils import formats
from django.utils.translation import gettext as _

from kanalvakt.reports.metrics import ResponseStats

register = template.Library()


@register.filter
def hours(value: float | None) -> str:
    """'3,5 h', or '–' when there is nothing to measure."""
    if value is None:
        return "–"
    if value < 1:
        return _("%(minutes)d min") % {"minutes": round(value * 60)}
    return _("%(hours)s h") % {"hours": formats.number_format(value, 1)}


@register.filter
def share(stats: ResponseStats) -> str:
    value = stats.share_on_time
    return "–" if value is None else f"{round(100 * value)} %"
