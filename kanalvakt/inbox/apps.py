from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "kanalvakt.inbox"
    label = "inbox"
    verbose_name = "Inkorg"
