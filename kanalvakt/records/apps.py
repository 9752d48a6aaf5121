from collections.abc import Sequence

from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "kanalvakt.records"
    label = "records"
    verbose_name = "Allmänna handlingar"

    def ready(self) -> None:
        from kanalvakt.inbox.models import Item
        from kanalvakt.inbox.processing import processing_batch_step
        from kanalvakt.records.seals import register as register_seals

        register_seals()

        @processing_batch_step(order=400, name="records.register")
        def decide_registration(items: Sequence[Item]) -> None:
            from kanalvakt.records.registration import items_decide_registration

            # Decides each item's registration and indexes the batch for search.
            items_decide_registration(items=items)
