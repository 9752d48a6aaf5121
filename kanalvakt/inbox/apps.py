from collections.abc import Sequence

from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "kanalvakt.inbox"
    label = "inbox"
    verbose_name = "Inkorg"

    def ready(self) -> None:
        from kanalvakt.inbox.models import Item
        from kanalvakt.inbox.processing import processing_batch_step

        def prepare_entries(items: Sequence[Item]) -> None:
            from kanalvakt.inbox.services.batch import entries_prepare

            entries_prepare(items=items)

        @processing_batch_step(order=200, name="inbox.entry", prepare=prepare_entries)
        def open_entries(items: Sequence[Item]) -> None:
            """Intent, response clock and routing."""
            from kanalvakt.inbox.services.batch import entries_open

            entries_open(items=items)

        @processing_batch_step(order=500, name="inbox.escalate")
        def escalate(items: Sequence[Item]) -> None:
            """Threats, harassment, bullying, crimes, harmful criticism."""
            from kanalvakt.inbox.services.batch import entries_escalate

            entries_escalate(items=items)
