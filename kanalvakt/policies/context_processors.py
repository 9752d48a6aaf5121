"""The crisis banner on every page of an organisation in crisis mode (REG-11)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from kanalvakt.policies.models import CrisisPeriod


def crisis(request: HttpRequest) -> dict[str, Any]:
    """The open crisis period of the organisation in the URL, for members only."""
    match = getattr(request, "resolver_match", None)
    slug = match.kwargs.get("slug") if match is not None else None
    user = request.user
    if not slug or not user.is_authenticated:
        return {}
    period = (
        CrisisPeriod.objects.filter(
            organisation__slug=slug, organisation__memberships__user=user, ended_at__isnull=True
        )
        .select_related("organisation")
        .first()
    )
    return {"crisis_period": period} if period is not None else {}
