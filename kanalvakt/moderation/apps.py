from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "kanalvakt.moderation"
    label = "moderation"
    verbose_name = "Moderering"
