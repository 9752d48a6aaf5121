"""`python -m tests.oidc_provider.prepare REDIRECT_URI USER:PASSWORD:GROUP[,GROUP]...`:
migrate the provider's database, register Kanalvakt as a client and add people."""

from __future__ import annotations

import os
import sys

import django

CLIENT_ID = "kanalvakt"
CLIENT_SECRET = "kanalvakt-test-secret"  # noqa: S105 - a throwaway test server


def main(redirect_uri: str, people: list[str]) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    Application.objects.create(
        name="Kanalvakt",
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=redirect_uri,
        skip_authorization=True,
        algorithm=Application.RS256_ALGORITHM,
    )
    for person in people:
        username, password, groups = person.split(":", 2)
        user = User.objects.create_user(
            username=username,
            password=password,
            email=f"{username}@overkalix.se",
            first_name=username.capitalize(),
            last_name="Testsson",
        )
        for name in filter(None, groups.split(",")):
            user.groups.add(Group.objects.get_or_create(name=name)[0])


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
