from __future__ import annotations

import datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from kanalvakt.moderation.labels import category_label

register = template.Library()


@register.simple_tag
def category_name(category: str) -> str:
    return category_label(category)


@register.simple_tag
def deadline(due_at: datetime.datetime | None, now: datetime.datetime) -> SafeString:
    """The deadline with the time left (or how long ago it passed), coloured by urgency."""
    if due_at is None:
        return format_html("{}", _("Policyn anger ingen tidsgräns"))
    left = due_at - now
    hours = int(left.total_seconds() // 3600)
    when = timezone.localtime(due_at).strftime("%Y-%m-%d %H:%M")
    if left.total_seconds() < 0:
        return format_html(
            '<span class="badge badge-red">{}</span> {}',
            _("%(hours)d h sen") % {"hours": -hours},
            when,
        )
    css = "badge-amber" if hours < 6 else "badge-green"
    return format_html(
        '<span class="badge {}">{}</span> {}', css, _("%(hours)d h kvar") % {"hours": hours}, when
    )
