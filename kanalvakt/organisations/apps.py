from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "kanalvakt.organisations"
    label = "organisations"
    verbose_name = "Organisationer"
