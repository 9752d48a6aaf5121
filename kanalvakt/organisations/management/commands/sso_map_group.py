"""`kanalvakt sso_map_group ORGANISATION GROUP ROLE`: members of GROUP at the identity
provider hold ROLE in the organisation (single sign-on, kanalvakt/organisations/sso.py)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kanalvakt.organisations.models import Organisation, Role
from kanalvakt.organisations.sso import group_role_mapping_set


class Command(BaseCommand):
    help = "Ge medlemmarna i en grupp hos identitetsleverantören en roll i organisationen."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("organisation", help="Organisationens kortnamn, t.ex. overkalix")
        parser.add_argument("group", help="Gruppens värde i gruppanspråket (namn eller id)")
        parser.add_argument("role", choices=Role.values)

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"Det finns ingen organisation {options['organisation']!r}.")
        mapping = group_role_mapping_set(
            actor=None,
            organisation=organisation,
            group=options["group"],
            role=Role(options["role"]),
        )
        self.stdout.write(f"{organisation.slug}: {mapping.group} → {mapping.get_role_display()}")
