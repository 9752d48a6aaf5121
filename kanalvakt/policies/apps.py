from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "kanalvakt.policies"
    label = "policies"
    verbose_name = "Policyer"
