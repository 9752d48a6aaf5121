from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "kanalvakt.reports"
    label = "reports"
    verbose_name = "Översikt och rapporter"
