"""Audit event types of the policies app beyond loading and acknowledging."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PolicyEvent(models.TextChoices):
    CRISIS_STARTED = "crisis.started", _("krisläge påslaget")
    CRISIS_ENDED = "crisis.ended", _("krisläge avslaget")
    REVIEW_DECIDED = "policy.review_decided", _("policyn granskad")
    REVIEW_SCHEDULED = "policy.review_scheduled", _("granskning av policyn planerad")
    REMINDER_SENT = "policy.reminder_sent", _("påminnelse skickad")
