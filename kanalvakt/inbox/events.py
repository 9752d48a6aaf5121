from django.db import models
from django.utils.translation import gettext_lazy as _


class InboxEvent(models.TextChoices):
    ITEM_RECEIVED = "item.received", _("inkommet")
    ITEMS_RECEIVED = "items.received", _("inkomna meddelanden")
    """One chained event per stored batch: the items' ids and a hash over their checksums."""
    ITEM_EDITED = "item.edited", _("ändrat på plattformen")
    ITEM_DELETED_ON_PLATFORM = "item.deleted_on_platform", _("raderat på plattformen")
    CREDENTIALS_SET = "platform_credentials.set", _("plattformsuppgifter sparade")
    ENTRY_OPENED = "inbox_entry.opened", _("ärende i inkorgen skapat")
    ENTRY_INTENT_CORRECTED = "inbox_entry.intent_corrected", _("avsikt rättad")
    ENTRY_ASSIGNED = "inbox_entry.assigned", _("ärende tilldelat")
    ENTRY_CLOSED = "inbox_entry.closed", _("ärende avslutat")
    ENTRY_REOPENED = "inbox_entry.reopened", _("ärende öppnat igen")
    ENTRY_WARNED = "inbox_entry.warned", _("påminnelse före svarstiden")
    ENTRY_OVERDUE = "inbox_entry.overdue", _("svarstiden passerad, eskalerat")
    REPLY_SENT = "reply.sent", _("svar skickat")
    REPLY_FAILED = "reply.failed", _("svar kunde inte skickas")
    FORWARDED = "inbox_entry.forwarded", _("vidarebefordrat till handläggare")
    ESCALATED = "inbox_entry.escalated", _("eskalerat")
    EVIDENCE_EXPORTED = "inbox_entry.evidence_exported", _("bevis exporterade")
    FILTER_SAVED = "saved_filter.saved", _("filter sparat")
    FILTER_DELETED = "saved_filter.deleted", _("filter borttaget")
    POST_PUBLISHED = "published_post.recorded", _("publicerat inlägg registrerat")
