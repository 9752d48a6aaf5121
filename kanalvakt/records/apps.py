from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "kanalvakt.records"
    label = "records"
    verbose_name = "Allmänna handlingar"

    def ready(self) -> None:
        from kanalvakt.inbox.models import Item
        from kanalvakt.inbox.processing import processing_step
        from kanalvakt.records.seals import register as register_seals

        register_seals()

        @processing_step(order=400, name="records.register")
        def decide_registration(item: Item) -> None:
            from kanalvakt.records.registration import item_decide_registration
            from kanalvakt.records.search import search_index_item

            item_decide_registration(item=item)
            search_index_item(item=item)
