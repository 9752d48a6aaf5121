"""Organisation-scoped reads of the moderation queue."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from kanalvakt.moderation.labels import BASIS_LABELS, category_label
from kanalvakt.moderation.models import CaseState, Decision, ModerationCase
from kanalvakt.organisations.models import Organisation
from kanalvakt.organisations.selectors import get_organisation_for_user


def case_list(
    *, organisation: Organisation, state: str = CaseState.OPEN
) -> QuerySet[ModerationCase]:
    """Cases oldest deadline first."""
    cases = (
        ModerationCase.objects.filter(organisation=organisation, state=state)
        .select_related("item", "account", "item__screening")
        .order_by("due_at" if state == CaseState.OPEN else "-decided_at")
    )
    if state == CaseState.DECIDED:
        # Newest decision first, so a template's `case.decisions.all.0` is the one in force.
        latest_first = Decision.objects.select_related("decided_by").order_by("-decided_at")
        cases = cases.prefetch_related(Prefetch("decisions", queryset=latest_first))
    return cases


def get_case_for_user(request: HttpRequest, slug: str, pk: int) -> ModerationCase:
    organisation = get_organisation_for_user(request, slug)
    return get_object_or_404(
        ModerationCase.objects.filter(organisation=organisation).select_related(
            "item", "account", "item__screening"
        ),
        pk=pk,
    )


@dataclass(frozen=True)
class Segment:
    """A piece of the item's text; `finding` is set where the screening found something."""

    text: str
    finding: dict[str, Any] | None = None


def highlighted(text: str, findings: list[dict[str, Any]]) -> list[Segment]:
    """Split the text at the findings' spans so a template can mark them (escaped)."""
    spans = sorted(
        (f for f in findings if 0 <= int(f["start"]) < int(f["end"]) <= len(text)),
        key=lambda f: (int(f["start"]), -int(f["end"])),
    )
    segments: list[Segment] = []
    position = 0
    for finding in spans:
        start, end = int(finding["start"]), int(finding["end"])
        if start < position:
            continue  # overlapping findings: the first one marks the span
        if start > position:
            segments.append(Segment(text[position:start]))
        segments.append(Segment(text[start:end], finding))
        position = end
    if position < len(text):
        segments.append(Segment(text[position:]))
    return segments


METHOD_LABELS = {
    "lexicon": _("ordlista"),
    "pattern": _("mönster i texten"),
    "learned": _("inlärd modell"),
    "personnummer": _("personnummer"),
    "pii": _("personuppgifter"),
    "advertising": _("reklammönster"),
}


def method_label(detector: str) -> str:
    """What kind of check found it, in words (the detector id is for administrators)."""
    kind = detector.split(":", 1)[0]
    return str(METHOD_LABELS.get(kind, _("annan kontroll")))


def explained(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Findings with the labels a moderator reads."""
    return [
        {
            **finding,
            "category_label": category_label(str(finding["category"])),
            "basis_label": BASIS_LABELS.get(str(finding.get("basis", "none")), ""),
            "percent": round(float(finding["score"]) * 100),
            "method_label": method_label(str(finding.get("detector", ""))),
        }
        for finding in findings
    ]
