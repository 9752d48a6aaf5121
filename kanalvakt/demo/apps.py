from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "kanalvakt.demo"
    label = "demo"
    verbose_name = "Demodata"
