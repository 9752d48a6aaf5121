"""`kanalvakt demo_traffic [--count N] [--seed S] [--org SLUG …]`: fill the demo inboxes."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kanalvakt.inbox.demo import DEMO_SLUGS, demo_traffic_generate


class Command(BaseCommand):
    help = "Ingest realistic Swedish and Finnish messages into the demo organisations' accounts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=20)
        parser.add_argument("--seed", type=int, default=None)
        parser.add_argument("--org", action="append", dest="orgs", default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        slugs = tuple(options["orgs"] or DEMO_SLUGS)
        result = demo_traffic_generate(count=options["count"], slugs=slugs, seed=options["seed"])
        if not result.accounts:
            self.stderr.write(
                "Inga aktiva konton i demoorganisationerna – kör `kanalvakt demo` först."
            )
            return
        self.stdout.write(
            f"{result.messages} meddelanden och {result.posts} egna inlägg "
            f"på {result.accounts} konton."
        )
