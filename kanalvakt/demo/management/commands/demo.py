from typing import Any

from django.core.management.base import BaseCommand

from kanalvakt.demo.organisations import OVERKALIX
from kanalvakt.demo.seed import DEMO_PASSWORD, DEMO_USERNAME, seed_demo


class Command(BaseCommand):
    help = "Load the five policy packs and seed the demo organisations (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        report = seed_demo()
        for slug in report.created:
            self.stdout.write(f"Skapade demoorganisationen {slug}.")
        for slug in report.existing:
            self.stdout.write(f"Demoorganisationen {slug} fanns redan.")
        manager = next(p for p in OVERKALIX.people if p[3] == "manager")[0]
        self.stdout.write(
            self.style.SUCCESS(
                f"Logga in som {DEMO_USERNAME} / {DEMO_PASSWORD} "
                f"(kommunikationschef i alla fem organisationer), "
                f"eller som {manager} / {DEMO_PASSWORD} (chef i Överkalix)."
            )
        )
