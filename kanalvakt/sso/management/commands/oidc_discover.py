"""Print the OIDC_* settings for a provider from its discovery document."""

from __future__ import annotations

from typing import Any

import httpx
from django.core.management.base import BaseCommand, CommandError, CommandParser

FIELDS = {
    "OIDC_OP_ISSUER": "issuer",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}


class Command(BaseCommand):
    help = (
        "Read a provider's /.well-known/openid-configuration and print the environment "
        "lines for .env (for example "
        "https://login.microsoftonline.com/TENANT/v2.0/.well-known/openid-configuration)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("url", help="the discovery document's address (https)")

    def handle(self, *args: Any, **options: Any) -> None:
        url: str = options["url"]
        if not url.startswith("https://") and not url.startswith("http://127.0.0.1"):
            raise CommandError("The discovery document must be fetched over https.")
        try:
            response = httpx.get(url, timeout=10, follow_redirects=False)
            response.raise_for_status()
            document = response.json()
        except (httpx.HTTPError, ValueError) as error:
            raise CommandError(f"Could not read {url}: {error}") from error
        missing = [key for key in FIELDS.values() if not isinstance(document.get(key), str)]
        if missing:
            raise CommandError(f"The discovery document lacks: {', '.join(missing)}")
        for name, key in FIELDS.items():
            self.stdout.write(f"{name}={document[key]}")
