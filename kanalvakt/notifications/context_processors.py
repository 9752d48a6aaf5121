from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from kanalvakt.notifications.services import unread_count


def notifications(request: HttpRequest) -> dict[str, Any]:
    """The unread count in the header."""
    user = request.user
    if not user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": unread_count(user)}
