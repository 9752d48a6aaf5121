from django.apps import AppConfig


class ConnectorsConfig(AppConfig):
    name = "kanalvakt.connectors"
    label = "connectors"
    verbose_name = "Kopplingar till plattformar"
