from django.db import models
from django.utils.translation import gettext_lazy as _


class InboxEvent(models.TextChoices):
    ITEM_RECEIVED = "item.received", _("inkommet")
    ITEM_EDITED = "item.edited", _("ändrat på plattformen")
    ITEM_DELETED_ON_PLATFORM = "item.deleted_on_platform", _("raderat på plattformen")
    CREDENTIALS_SET = "platform_credentials.set", _("plattformsuppgifter sparade")
