from django.db import models
from django.utils.translation import gettext_lazy as _


class ModerationEvent(models.TextChoices):
    ITEM_SCREENED = "item.screened", _("granskat av maskinen")
    CASE_OPENED = "moderation.case_opened", _("ärende i modereringskön")
    CASE_AUTO_HIDDEN = "moderation.auto_hidden", _("dolt automatiskt")
    CASE_DECIDED = "moderation.decided", _("beslut fattat")
    PLATFORM_ACTION = "moderation.platform_action", _("åtgärd på plattformen")
    CASE_WARNED = "moderation.warned", _("påminnelse före tidsgränsen")
    CASE_ESCALATED = "moderation.escalated", _("eskalerat efter tidsgränsen")
    SELF_HARM_ESCALATED = "moderation.self_harm", _("möjlig självskada: till en människa direkt")
    NOTICE_CHECKED = "moderation.notice_checked", _("modereringsnotis kontrollerad")
    MODEL_TRAINED = "moderation.model_trained", _("ny modell tränad")
    MODEL_KEPT = "moderation.model_kept", _("modellen behölls")
