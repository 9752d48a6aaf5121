from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "kanalvakt.scheduling"
    label = "scheduling"
    verbose_name = "Schemalagda jobb"
