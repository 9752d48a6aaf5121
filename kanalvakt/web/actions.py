"""Running a service from a view."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _


def attempt(request: HttpRequest, action: Callable[[], Any], success: str) -> bool:
    """Run a service; show its refusal as a message instead of an error page.

    Returns True when the service succeeded (and the success message is shown).
    """
    try:
        action()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return False
    except PermissionDenied as error:
        messages.error(request, str(error) or _("Du har inte behörighet till det."))
        return False
    messages.success(request, success)
    return True
