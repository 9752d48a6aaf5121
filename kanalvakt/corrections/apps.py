from collections.abc import Sequence

from django.apps import AppConfig


class CorrectionsConfig(AppConfig):
    name = "kanalvakt.corrections"
    label = "corrections"
    verbose_name = "Rättelser"

    def ready(self) -> None:
        from kanalvakt.inbox.models import Item
        from kanalvakt.inbox.processing import processing_batch_step

        @processing_batch_step(order=450, name="corrections.open")
        def open_corrections(items: Sequence[Item]) -> None:
            from kanalvakt.corrections.services import item_open_correction

            for item in items:
                item_open_correction(item=item)
