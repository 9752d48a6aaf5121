from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationEvent(models.TextChoices):
    PREFERENCE_SET = "notification_preference.set", _("aviseringsinställning ändrad")
