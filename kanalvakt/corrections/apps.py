from django.apps import AppConfig


class CorrectionsConfig(AppConfig):
    name = "kanalvakt.corrections"
    label = "corrections"
    verbose_name = "Rättelser"

    def ready(self) -> None:
        from kanalvakt.inbox.models import Item
        from kanalvakt.inbox.processing import processing_step

        @processing_step(order=450, name="corrections.open")
        def open_correction(item: Item) -> None:
            from kanalvakt.corrections.services import item_open_correction

            item_open_correction(item=item)
