from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "kanalvakt.notifications"
    label = "notifications"
    verbose_name = "Aviseringar"
