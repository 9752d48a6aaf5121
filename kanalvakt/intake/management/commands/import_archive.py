"""`kanalvakt import_archive --account ID --format x|bluesky|facebook|instagram PATH`.

Streams an account's export archive into the inbox, in constant memory, with
a progress bar over the file's bytes. `--resume` goes on after the last batch
an earlier, interrupted run of the same file stored.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from kanalvakt.intake import importing
from kanalvakt.intake.models import ImportJob
from kanalvakt.organisations.models import User
from kanalvakt.register.models import Account


class Command(BaseCommand):
    help = "Importera ett kontos exportarkiv (X, Bluesky, Facebook, Instagram) till inkorgen."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("path", type=Path, help="Arkivfilen, t.ex. data/tweets.js")
        parser.add_argument("--account", type=int, required=True, help="Kontots id i registret")
        parser.add_argument("--format", required=True, choices=importing.FORMATS)
        parser.add_argument(
            "--resume", action="store_true", help="Fortsätt en avbruten import av samma fil"
        )
        parser.add_argument("--batch-size", type=int, default=importing.DEFAULT_BATCH)
        parser.add_argument("--user", default="", help="Användarnamn som anges som startare")
        parser.add_argument("--no-progress", action="store_true", help="Ingen förloppsindikator")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        account = (
            Account.objects.select_related("organisation").filter(pk=options["account"]).first()
        )
        if account is None:
            raise CommandError(f"Det finns inget konto med id {options['account']}.")
        actor = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"Det finns ingen användare {options['user']!r}.")
        if options["batch_size"] < 1:
            raise CommandError("--batch-size måste vara minst 1.")
        try:
            job = importing.import_job_start(
                actor=actor,
                account=account,
                format=options["format"],
                path=path,
                resume=options["resume"],
            )
        except importing.ImportFailed as exc:
            raise CommandError(str(exc)) from exc
        if options["resume"]:
            self.stdout.write(f"Fortsätter efter post nr {job.processed} av {path}.")
        console = Console(file=cast(IO[str], self.stderr), width=100)
        progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TextColumn("{task.fields[items]} poster"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=console,
            disable=options["no_progress"],
            transient=False,
        )
        with progress:
            bar: TaskID = progress.add_task(
                path.name, total=job.file_size, items=job.processed, completed=0
            )

            def show(update: importing.Progress) -> None:
                progress.update(bar, completed=update.bytes_read, items=update.job.processed)

            try:
                job = importing.import_run(
                    job=job, path=path, batch_size=options["batch_size"], on_progress=show
                )
            except importing.ImportFailed as exc:
                self._report(job)
                raise CommandError(str(exc)) from exc
            except KeyboardInterrupt:
                self._report(job)
                raise CommandError(
                    f"Avbruten efter post nr {job.processed}. Fortsätt med --resume."
                ) from None
        self._report(job)

    def _report(self, job: ImportJob) -> None:
        self.stdout.write(
            f"{job.file_name}: {job.new_count} nya, {job.known_count} redan kända, "
            f"{job.edited_count} ändrade, {job.deleted_count} raderade "
            f"({job.processed} poster lästa; {job.get_state_display()})."
        )
