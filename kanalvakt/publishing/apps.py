from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "kanalvakt.publishing"
    label = "publishing"
    verbose_name = "Publicering"
