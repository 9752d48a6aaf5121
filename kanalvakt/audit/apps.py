from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "kanalvakt.audit"
    label = "audit"
    verbose_name = "Granskningslogg"
