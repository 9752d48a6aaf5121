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

        def prepare_registrations(items: Sequence[Item]) -> None:
            from kanalvakt.records.registration import items_prepare_registration

            items_prepare_registration(items=items)

        @processing_batch_step(order=400, name="records.register", prepare=prepare_registrations)
        def decide_registration(items: Sequence[Item]) -> None:
            from kanalvakt.records.registration import items_decide_registration

            # Decides each item's registration and indexes the batch for search.
            items_decide_registration(items=items)
