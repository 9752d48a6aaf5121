from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from kanalvakt.organisations.selectors import organisation_list_for_user


def organisation(request: HttpRequest) -> dict[str, Any]:
    """The organisations the logged-in user belongs to, for the navigation."""
    user = request.user
    if not user.is_authenticated:
        return {"my_organisations": []}
    return {"my_organisations": list(organisation_list_for_user(user=user))}
