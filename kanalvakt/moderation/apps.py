from collections.abc import Sequence

from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "kanalvakt.moderation"
    label = "moderation"
    verbose_name = "Moderering"

    def ready(self) -> None:
        from kanalvakt.inbox.models import Item
        from kanalvakt.inbox.processing import processing_batch_step

        def prepare_screenings(items: Sequence[Item]) -> None:
            from kanalvakt.moderation.batch import items_screen_prepare

            items_screen_prepare(items=items)

        @processing_batch_step(order=100, name="moderation.screen", prepare=prepare_screenings)
        def screen_items(items: Sequence[Item]) -> None:
            from kanalvakt.moderation.batch import items_screen

            items_screen(items=items)
