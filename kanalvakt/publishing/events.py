from django.db import models
from django.utils.translation import gettext_lazy as _


class PublishingEvent(models.TextChoices):
    POST_CREATED = "post.created", _("utkast skapat")
    POST_UPDATED = "post.updated", _("utkast ändrat")
    MEDIA_ADDED = "post.media_added", _("bild eller video tillagd")
    POST_SUBMITTED = "post.submitted", _("skickat för godkännande")
    POST_APPROVED = "post.approved", _("godkänt")
    POST_SCHEDULED = "post.scheduled", _("schemalagt")
    TARGET_PUBLISHED = "post_target.published", _("publicerat på kontot")
    TARGET_FAILED = "post_target.failed", _("kunde inte publiceras på kontot")
