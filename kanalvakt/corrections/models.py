"""Correction tasks for misinformation about the organisation (INB-8; 001, 003, 004).

open → closed. A task is opened when an inbox item is classified as
misinformation and the pack's `inbox.correct_misinformation` asks for
corrections; it is closed by the published correction (its address) or by a
reply sent on the item, and it carries a link to the source on the
organisation's own website.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CorrectionStatus(models.TextChoices):
    OPEN = "open", _("öppen")
    CLOSED = "closed", _("rättad")


class Correction(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    entry = models.OneToOneField(
        "inbox.InboxEntry", on_delete=models.PROTECT, related_name="correction"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CorrectionStatus.choices, db_index=True
    )
    opened_at = models.DateTimeField(_("öppnad"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rule = models.CharField(_("regel"), max_length=300, blank=True)
    due_at = models.DateTimeField(_("rättas senast"), null=True, blank=True, db_index=True)
    deadline_rule = models.CharField(_("svarstid enligt"), max_length=100, blank=True)
    template = models.TextField(_("mall"), blank=True)
    source_url = models.URLField(_("källa på organisationens webbplats"), blank=True)
    correction_url = models.URLField(_("publicerad rättelse"), blank=True)
    closed_at = models.DateTimeField(_("rättad"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_by_reply = models.ForeignKey(
        "inbox.Reply", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["status", "due_at", "pk"]
        verbose_name = _("rättelse")
        verbose_name_plural = _("rättelser")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="closed") | models.Q(closed_at__isnull=False),
                name="correction_closed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.get_status_display()}"
