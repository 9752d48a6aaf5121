from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "kanalvakt.governance"
    label = "governance"
    verbose_name = "Kontoplanering och årlig översyn"
