from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kanalvakt.audit.services import audit_verify_chain


class Command(BaseCommand):
    help = "Verify the hash chain of the audit log and report the first broken link."

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit_verify_chain()
        if not report.intact:
            raise CommandError(
                f"Audit log broken at event #{report.first_broken_sequence}: {report.reason} "
                f"({report.checked} events before it are intact)."
            )
        self.stdout.write(self.style.SUCCESS(f"Audit log intact: {report.checked} events."))
