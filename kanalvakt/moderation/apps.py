from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "kanalvakt.moderation"
    label = "moderation"
    verbose_name = "Moderering"

    def ready(self) -> None:
        from kanalvakt.inbox.models import Item
        from kanalvakt.inbox.processing import processing_step

        @processing_step(order=100, name="moderation.screen")
        def screen_item(item: Item) -> None:
            from kanalvakt.moderation.services import item_screen

            item_screen(item)
