"""Start-up checks: the token keys must be valid Fernet keys, or stored tokens are lost;
Bluesky's OAuth client key must be a readable P-256 key and the site public https."""

from __future__ import annotations

from typing import Any

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning


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


def check_bluesky_client_key(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    path = str(getattr(settings, "OAUTH_BLUESKY_KEY_FILE", "") or "")
    if not path:
        return []
    from kanalvakt.connectors.bluesky.oauth import ClientKey

    try:
        with open(path, "rb") as stream:
            ClientKey.from_pem(stream.read())
    except (OSError, ValueError, TypeError) as error:
        return [
            Error(
                f"OAUTH_BLUESKY_KEY_FILE cannot be used: {error}",
                hint="Make one with: openssl ecparam -name prime256v1 -genkey -noout "
                "| openssl pkcs8 -topk8 -nocrypt > bluesky-client.pem",
                id="intake.E002",
            )
        ]
    if not settings.SITE_URL.startswith("https://"):
        return [
            Warning(
                "Bluesky fetches Kanalvakt's client metadata from SITE_URL, which is not https.",
                hint="Set SITE_URL to the public https address, or Bluesky refuses the client.",
                id="intake.W001",
            )
        ]
    return []
