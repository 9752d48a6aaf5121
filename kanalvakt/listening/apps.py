from django.apps import AppConfig


class ListeningConfig(AppConfig):
    name = "kanalvakt.listening"
    label = "listening"
    verbose_name = "Omvärldsbevakning"
