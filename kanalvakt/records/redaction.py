"""Suggested redactions of personal data, and applying redactions so text is gone.

Suggestions come from the moderation engine: its personal-data detector
(`kanalvakt.moderation.screening.pii`: personnummer, samordningsnummer,
henkilötunnus, e-mail, phone) and the screening's `personal_data` and
`secrecy` findings, plus the names in the item's author fields
wherever they occur in the text. `apply` builds new text in which each
redacted span is replaced by a marker: the withheld characters are not in
the output at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kanalvakt.inbox.models import Item

MARKER = "[MASKERAT]"
AUTHOR_FIELDS = ("author_name", "author_handle")


@dataclass(frozen=True)
class Span:
    field: str
    start: int
    end: int
    kind: str


def _pii(text: str) -> list[Span]:
    try:
        from kanalvakt.moderation.screening import pii
    except ImportError:  # pragma: no cover - the moderation engine is part of the project
        return []
    return [Span("text", hit.start, hit.end, hit.kind) for hit in pii.find(text)]


SCREENED_CATEGORIES = ("personal_data", "secrecy")


def _screened(text: str) -> list[Span]:
    """Secret information and personal data found by the moderation screening engine."""
    try:
        from kanalvakt.moderation.screening import ScreeningConfig, screen
    except ImportError:  # pragma: no cover - the moderation engine is part of the project
        return []
    result = screen(text, config=ScreeningConfig.default(), learned=False)
    return [
        Span("text", finding.start, finding.end, finding.category)
        for finding in result.findings
        if finding.category in SCREENED_CATEGORIES and finding.end > finding.start
    ]


def suggest(item: Item) -> list[Span]:
    """Spans the registrar should consider withholding, in text order."""
    spans = _pii(item.text) + _screened(item.text)
    for field in AUTHOR_FIELDS:
        value = getattr(item, field).strip()
        if not value:
            continue
        spans.append(Span(field, 0, len(getattr(item, field)), "name"))
        names = {value} | {part for part in value.split() if len(part) >= 3}
        for name in sorted(names, key=len, reverse=True):
            for found in re.finditer(rf"(?<!\w){re.escape(name.lstrip('@'))}(?!\w)", item.text):
                spans.append(Span("text", found.start(), found.end(), "name"))
    return merge(spans)


def merge(spans: list[Span]) -> list[Span]:
    """Overlapping spans in one field become one."""
    result: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.field, s.start, -s.end)):
        last = result[-1] if result else None
        if last is not None and last.field == span.field and span.start <= last.end:
            result[-1] = Span(last.field, last.start, max(last.end, span.end), last.kind)
        else:
            result.append(span)
    return result


def apply(text: str, spans: list[tuple[int, int]], marker: str = MARKER) -> str:
    """`text` with every span replaced by the marker."""
    out = []
    position = 0
    for span in merge([Span("x", s, e, "") for s, e in spans]):
        start = max(span.start, position)
        end = min(span.end, len(text))
        if end <= start:
            continue
        out.append(text[position:start])
        out.append(marker)
        position = end
    out.append(text[position:])
    return "".join(out)


def find_all(text: str, needle: str) -> list[tuple[int, int]]:
    """Every occurrence of `needle` (for redacting a selected phrase everywhere)."""
    if not needle.strip():
        return []
    return [(m.start(), m.end()) for m in re.finditer(re.escape(needle), text)]
