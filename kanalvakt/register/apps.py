from django.apps import AppConfig


class RegisterConfig(AppConfig):
    name = "kanalvakt.register"
    label = "register"
    verbose_name = "Kontoförteckning"
