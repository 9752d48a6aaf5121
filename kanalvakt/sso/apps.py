from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "kanalvakt.sso"
    label = "sso"
    verbose_name = "Inloggning via organisationens identitetstjänst"
