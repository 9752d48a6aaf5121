"""`kanalvakt demo`: load the packs, seed the demo organisations, connect the stand-in."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from kanalvakt.demo.organisations import DEMO_ORGANISATIONS, OVERKALIX
from kanalvakt.demo.seed import DEMO_PASSWORD, DEMO_USERNAME, seed_demo
from kanalvakt.demo.standin.connect import demo_standin_connect
from kanalvakt.organisations.models import User


class Command(BaseCommand):
    help = "Load the five policy packs and seed the demo organisations (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        report = seed_demo()
        for slug in report.created:
            self.stdout.write(f"Skapade demoorganisationen {slug}.")
        if report.existing:
            self.stdout.write(f"Demoorganisationerna fanns redan: {', '.join(report.existing)}.")
        if settings.STANDIN_ENABLED:
            connected = demo_standin_connect(
                actor=User.objects.get(username=DEMO_USERNAME),
                site_url=settings.SITE_URL,
                slugs=tuple(spec.slug for spec in DEMO_ORGANISATIONS),
            )
            self.stdout.write(
                f"Ersättningsplattformen: {connected.connected} konton anslutna, "
                f"{connected.unchanged} oförändrade."
            )
        manager = next(p for p in OVERKALIX.people if p[3] == "manager")[0]
        self.stdout.write(
            self.style.SUCCESS(
                f"Logga in som {DEMO_USERNAME} / {DEMO_PASSWORD} "
                f"(kommunikationschef i alla fem organisationer), "
                f"eller som {manager} / {DEMO_PASSWORD} (chef i Överkalix)."
            )
        )
