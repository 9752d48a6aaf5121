"""Write an archival package for a period to a directory.

`kanalvakt export_package --organisation SLUG --format eark|bagit --from DATE --to DATE DIR`
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kanalvakt.organisations.models import Organisation
from kanalvakt.records.archive import package_build, package_exported_to_directory


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"{text!r} är inget datum (ÅÅÅÅ-MM-DD).") from error


class Command(BaseCommand):
    help = "Skriver ett arkivpaket (E-ARK SIP eller BagIt) för en period till en katalog."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", required=True)
        parser.add_argument("--format", choices=["eark", "bagit"], default="eark")
        parser.add_argument("--from", dest="date_from", required=True)
        parser.add_argument("--to", dest="date_to", required=True)
        parser.add_argument("output_dir")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"Ingen organisation {options['organisation']!r}.")
        date_from, date_to = _date(options["date_from"]), _date(options["date_to"])
        if date_to < date_from:
            raise CommandError("--to ligger före --from.")
        try:
            path, items, snapshots = package_build(
                organisation=organisation,
                fmt=options["format"],
                date_from=date_from,
                date_to=date_to,
                output_dir=Path(options["output_dir"]),
            )
        except (ValidationError, ImportError) as error:
            raise CommandError(str(error)) from error
        package_exported_to_directory(
            organisation=organisation,
            fmt=options["format"],
            date_from=date_from,
            date_to=date_to,
            path=path,
            items=items,
            snapshots=snapshots,
        )
        self.stdout.write(f"{path} ({items} meddelanden, {snapshots} filer av ögonblicksbilder)")
