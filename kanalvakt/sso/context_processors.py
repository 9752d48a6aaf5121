from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def sso(request: HttpRequest) -> dict[str, Any]:
    """Whether the login page offers the organisation's identity provider, and its name."""
    return {"sso_enabled": settings.SSO_ENABLED, "sso_provider_name": settings.OIDC_PROVIDER_NAME}
