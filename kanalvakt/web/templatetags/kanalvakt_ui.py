"""Small pieces every page uses: time left in words and colour, platform icons."""

from __future__ import annotations

import datetime
import re

from django import template
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kanalvakt.organisations.models import User
from kanalvakt.register.models import Platform

register = template.Library()

PLATFORM_ICONS = {p.value for p in Platform} - {"other"}


def duration_words(seconds: float) -> str:
    """45 min, 3 h, 2 d: the largest unit that is at least one."""
    seconds = abs(seconds)
    if seconds < 3600:
        return _("%(n)d min") % {"n": max(1, int(seconds // 60))}
    if seconds < 2 * 86400:
        return _("%(n)d h") % {"n": int(seconds // 3600)}
    return _("%(n)d d") % {"n": int(seconds // 86400)}


def time_left_state(
    due_at: datetime.datetime, now: datetime.datetime, warn_minutes: int
) -> tuple[str, str]:
    """("red" | "amber" | "green", words)."""
    left = (due_at - now).total_seconds()
    if left <= 0:
        return "red", _("%(time)s sen") % {"time": duration_words(left)}
    words = _("%(time)s kvar") % {"time": duration_words(left)}
    return ("amber" if left <= warn_minutes * 60 else "green"), words


@register.simple_tag
def time_left(
    due_at: datetime.datetime | None,
    now: datetime.datetime,
    warn_minutes: int = 60,
    is_open: bool = True,
) -> SafeString:
    """The time left as words and colour; static/kanalvakt/time-left.js keeps it current.

    A closed entry or a decided case has no clock: an empty string.
    """
    if due_at is None or not is_open:
        return SafeString("")
    colour, words = time_left_state(due_at, now, warn_minutes)
    return format_html(
        '<time class="time-left badge badge-{}" datetime="{}" data-warn="{}" title="{}">{}</time>',
        colour,
        due_at.isoformat(),
        warn_minutes,
        timezone.localtime(due_at).strftime("%Y-%m-%d %H:%M"),
        words,
    )


@register.simple_tag
def platform_icon(platform: str, label: str = "") -> SafeString:
    """The platform's icon from the SVG sprite, with its name as text alternative."""
    name = label or str(Platform(platform).label if platform in Platform.values else platform)
    symbol = platform if platform in PLATFORM_ICONS else "other"
    return format_html(
        '<svg class="platform-icon" role="img" aria-label="{}" focusable="false">'
        '<title>{}</title><use href="{}#{}"></use></svg>',
        name,
        name,
        static("kanalvakt/platforms.svg"),
        symbol,
    )


@register.simple_tag(takes_context=True)
def nav_link(context: template.Context, name: str, slug: str, label: str) -> SafeString:
    """A navigation link, marked `aria-current="page"` on its page and the pages under it."""
    url = reverse(name, kwargs={"slug": slug})
    request = context.get("request")
    path = request.path if request is not None else ""
    root = reverse("register:organisation", kwargs={"slug": slug})
    current = path == url or (url != root and path.startswith(url))
    if current:
        return format_html('<a href="{}" aria-current="page">{}</a>', url, label)
    return format_html('<a href="{}">{}</a>', url, label)


RULE_SECTIONS = {
    "calendar": gettext_lazy("arbetstider"),
    "response_times": gettext_lazy("svarstider"),
    "moderation": gettext_lazy("moderering"),
    "registration": gettext_lazy("diarieföring"),
    "snapshots": gettext_lazy("ögonblicksbilder"),
    "disposal": gettext_lazy("gallring"),
    "accounts": gettext_lazy("konton"),
    "mandates": gettext_lazy("uppdrag"),
    "lifecycle": gettext_lazy("att öppna och stänga konton"),
    "profile": gettext_lazy("profilkrav"),
    "publishing": gettext_lazy("publicering"),
    "inbox": gettext_lazy("inkorgen"),
    "reply_templates": gettext_lazy("svarsmallar"),
    "escalations": gettext_lazy("eskalering"),
    "security": gettext_lazy("säkerhet"),
    "listening": gettext_lazy("omvärldsbevakning"),
    "acknowledgement": gettext_lazy("bekräftelse"),
}
_INDEX = re.compile(r"\[(\d+)\]")


@register.filter
def rule_label(path: str) -> str:
    """A pack rule's path in words: `registration.register[0]` → "policyns regel om
    diarieföring (1)". The path itself stays visible to administrators."""
    if not path:
        return ""
    section = path.split(".", 1)[0].split("[", 1)[0]
    name = RULE_SECTIONS.get(section)
    if name is None:
        return str(_("policyns regel"))
    numbers = [str(int(n) + 1) for n in _INDEX.findall(path)]
    label = _("policyns regel om %(section)s") % {"section": name}
    return f"{label} ({', '.join(numbers)})" if numbers else label


@register.simple_tag(takes_context=True)
def source_label(context: template.Context, source: object) -> str:
    """Where in the policy document a rule comes from: the document's title and section,
    not the name of the text file it was written from (administrators see both)."""
    section = str(getattr(source, "section", "") or "")
    file_name = str(getattr(source, "file", "") or "")
    organisation = context.get("organisation")
    version = getattr(organisation, "policy_version", None)
    document = version.pack.document if version is not None else {}
    title = str((document.get("source") or {}).get("title") or document.get("title") or "")
    words = ", ".join(part for part in (title or _("policyn"), section) if part)
    user = context.get("user")
    if getattr(user, "is_staff", False) and file_name:
        return f"{words} [{file_name}]"
    return words


_FILE_PREFIX = re.compile(r"^[\w.-]+\.(?:txt|pdf|docx?|html?|md)\s+[–-]\s+")


@register.filter
def without_file_name(text: str) -> str:
    """ "001_a3d8….txt – 3. Diarieföring" → "3. Diarieföring": the section, not the file."""
    return _FILE_PREFIX.sub("", str(text or ""))


@register.simple_tag
def document_title(document: object) -> str:
    """The policy document's title from a pack document (not its file name)."""
    if not isinstance(document, dict):
        return ""
    source = document.get("source") or {}
    title = source.get("title") if isinstance(source, dict) else None
    return str(title or document.get("title") or _("policydokumentet"))


@register.inclusion_tag("notifications/_failures.html", takes_context=True)
def failures(context: template.Context, *kinds: str) -> dict[str, object]:
    """What failed for this person here (a snapshot, a platform action, a publish), with the
    reason in their language and a retry. Put it on the page that starts the action."""
    from kanalvakt.notifications.services import failures_for

    user = context.get("user")
    organisation = context.get("organisation")
    request = context.get("request")
    found: list[object] = []
    if isinstance(user, User) and user.is_authenticated and organisation is not None:
        found = list(failures_for(user=user, organisation=organisation, kinds=kinds))
    return {
        "failures": found,
        "csrf_token": context.get("csrf_token"),
        "next": request.get_full_path() if request is not None else "",
    }
