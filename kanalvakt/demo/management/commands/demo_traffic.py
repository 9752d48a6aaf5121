"""`kanalvakt demo_traffic [--count N | --up-to N] [--seed S] [--org SLUG …]`: fill the inboxes.

`--up-to N` tops the demo inboxes up to N messages from the public (running it
again adds none) and dates them back so their deadlines spread: some overdue,
some due within hours. `--count N` always adds N new ones, as they arrive now.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kanalvakt.demo.traffic import DEMO_SLUGS, demo_messages_count, demo_traffic_generate


class Command(BaseCommand):
    help = "Ingest realistic Swedish and Finnish messages into the demo organisations' accounts."

    def add_arguments(self, parser: CommandParser) -> None:
        amount = parser.add_mutually_exclusive_group()
        amount.add_argument("--count", type=int, default=None)
        amount.add_argument("--up-to", type=int, default=None, dest="up_to")
        parser.add_argument("--seed", type=int, default=None)
        parser.add_argument("--org", action="append", dest="orgs", default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        slugs = tuple(options["orgs"] or DEMO_SLUGS)
        if options["up_to"] is not None:
            count = max(0, options["up_to"] - demo_messages_count(slugs))
            spread = True
        else:
            count = 20 if options["count"] is None else options["count"]
            spread = False
        result = demo_traffic_generate(
            count=count, slugs=slugs, seed=options["seed"], spread=spread
        )
        if not result.accounts:
            self.stderr.write(
                "Inga aktiva konton i demoorganisationerna – kör `kanalvakt demo` först."
            )
            return
        self.stdout.write(
            f"{result.messages} meddelanden och {result.posts} egna inlägg "
            f"på {result.accounts} konton."
        )
