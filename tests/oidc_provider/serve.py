"""Start the test OpenID Connect provider: python -m tests.oidc_provider.serve PORT SPEC.

SPEC is JSON: {"redirect_uri", "client_id", "client_secret",
"users": [{"username", "password", "first_name", "last_name", "email", "groups"}]}.
Serves until killed; the test polls its JWKS address until it answers.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def _prepare(port: int) -> None:
    workdir = tempfile.mkdtemp(prefix="oidc-provider-")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    os.environ["OIDC_PROVIDER_KEY"] = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    os.environ["OIDC_PROVIDER_DB"] = os.path.join(workdir, "provider.sqlite3")
    os.environ["OIDC_PROVIDER_ISSUER"] = f"http://127.0.0.1:{port}/o"
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"


def _seed(spec: dict[str, object]) -> None:
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from oauth2_provider.models import Application  # type: ignore[import-untyped]

    call_command("migrate", verbosity=0)
    for person in spec["users"]:  # type: ignore[attr-defined]
        user = User.objects.create_user(
            username=person["username"],
            password=person["password"],
            first_name=person.get("first_name", ""),
            last_name=person.get("last_name", ""),
            email=person.get("email", ""),
        )
        for name in person.get("groups", []):
            user.groups.add(Group.objects.get_or_create(name=name)[0])
    Application.objects.create(
        name="Kanalvakt",
        client_id=spec["client_id"],
        client_secret=spec["client_secret"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=spec["redirect_uri"],
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
        hash_client_secret=False,
    )


def main() -> None:
    port = int(sys.argv[1])
    spec = json.loads(sys.argv[2])
    _prepare(port)
    import django

    django.setup()
    _seed(spec)
    from django.core.wsgi import get_wsgi_application
    from waitress import serve

    serve(get_wsgi_application(), host="127.0.0.1", port=port, threads=4, _quiet=True)


if __name__ == "__main__":
    main()
