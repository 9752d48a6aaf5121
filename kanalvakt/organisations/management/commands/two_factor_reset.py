"""`kanalvakt two_factor_reset USERNAME`: remove a person's authenticator apps and security
keys (a lost phone or key). Their next sign-in asks them to set up a new one where their
role requires it.
An operator's command, not a page: whoever can reset two-factor can bypass it."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kanalvakt.organisations.models import User
from kanalvakt.organisations.twofactor import two_factor_reset


class Command(BaseCommand):
    help = "Ta bort en persons autentiseringsappar och säkerhetsnycklar (borttappad telefon)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"Det finns ingen användare {options['username']!r}.")
        removed = two_factor_reset(actor=None, user=user)
        self.stdout.write(
            f"{user.username}: {removed} borttagna (autentiseringsappar och säkerhetsnycklar)."
        )
