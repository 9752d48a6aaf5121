from django.db import models
from django.utils.translation import gettext_lazy as _


class RecordsEvent(models.TextChoices):
    REGISTRATION_DECIDED = "record.registration_decided", _("diarieföring bedömd")
    REGISTERED = "record.registered", _("diariefört")
    FORWARDED = "record.forwarded", _("överlämnat")
    EXEMPTED = "record.exempted", _("undantaget från diarieföring")
    SERIES_CREATED = "record.series_created", _("diarieserie skapad")
    EXPORTED = "record.exported", _("exporterat till diariesystemet")
    SNAPSHOT_CAPTURED = "record.snapshot_captured", _("ögonblicksbild tagen")
    SNAPSHOT_FAILED = "record.snapshot_failed", _("ögonblicksbild misslyckades")
    HOLD_PLACED = "record.hold_placed", _("bevarandespärr lagd")
    HOLD_RELEASED = "record.hold_released", _("bevarandespärr hävd")
    DISPOSAL_RUN = "record.disposal_run", _("gallring genomförd")
    ITEM_DISPOSED = "record.item_disposed", _("meddelande gallrat")
    DELIVERY_DISPOSED = "record.delivery_disposed", _("leverans gallrad")
    REQUEST_RECEIVED = "record.request_received", _("begäran om allmän handling mottagen")
    REQUEST_ITEMS_SELECTED = "record.request_items_selected", _("handlingar valda för begäran")
    REDACTION_ADDED = "record.redaction_added", _("maskering tillagd")
    REDACTION_REMOVED = "record.redaction_removed", _("maskering borttagen")
    DISCLOSED = "record.disclosed", _("handlingar lämnade ut")
    PACKAGE_EXPORTED = "record.package_exported", _("arkivpaket exporterat")
    VERIFIED = "record.verified", _("kontrollsummor kontrollerade")
