from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "kanalvakt.inbox"
    label = "inbox"
    verbose_name = "Inkorg"

    def ready(self) -> None:
        from kanalvakt.inbox.models import Item
        from kanalvakt.inbox.processing import processing_step

        @processing_step(order=200, name="inbox.entry")
        def open_entry(item: Item) -> None:
            """Intent, response clock and routing."""
            from kanalvakt.inbox.services import entry_open

            entry_open(item=item)

        @processing_step(order=500, name="inbox.escalate")
        def escalate(item: Item) -> None:
            """Threats, harassment, bullying, crimes, harmful criticism."""
            from kanalvakt.inbox.models import InboxEntry
            from kanalvakt.inbox.services import entry_escalate_automatically, item_is_imported

            entry = InboxEntry.objects.filter(item=item).first()
            if entry is not None and not item_is_imported(item):
                entry_escalate_automatically(entry=entry)
