from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "kanalvakt.incidents"
    label = "incidents"
    verbose_name = "Incidenter"
