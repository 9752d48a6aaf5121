"""Start-up checks: the token keys must be valid Fernet keys, or stored tokens are lost."""

from __future__ import annotations

from typing import Any

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.checks import CheckMessage, Error


def check_token_keys(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    for number, key in enumerate(getattr(settings, "INTAKE_TOKEN_KEYS", []), start=1):
        try:
            Fernet(key)
        except (ValueError, TypeError):
            errors.append(
                Error(
                    f"Key {number} of KANALVAKT_TOKEN_KEYS is not a Fernet key.",
                    hint="Make one with: python -c 'from cryptography.fernet import Fernet; "
                    "print(Fernet.generate_key().decode())'",
                    id="intake.E001",
                )
            )
    return errors
