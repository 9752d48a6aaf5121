"""Requests for public records, their redactions and the disclosure log."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kanalvakt.inbox.models import Item
from kanalvakt.organisations.models import Organisation, User
from kanalvakt.records.models.base import NeverDeleted


class RecordsRequest(NeverDeleted):
    """A request for public records (begäran om allmän handling).

    received → in_review → disclosed.
    """

    class Status(models.TextChoices):
        RECEIVED = "received", _("mottagen")
        IN_REVIEW = "in_review", _("under prövning")
        DISCLOSED = "disclosed", _("utlämnad")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    requester = models.CharField(_("sökande"), max_length=300)
    requester_contact = models.CharField(_("kontaktuppgift"), max_length=300, blank=True)
    received_at = models.DateTimeField(_("mottagen"))
    description = models.TextField(_("vad som begärs"))
    query = models.CharField(_("sökord"), max_length=500, blank=True)
    date_from = models.DateField(_("från"), null=True, blank=True)
    date_to = models.DateField(_("till"), null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED)
    items = models.ManyToManyField(Item, related_name="+", blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("begäran om allmän handling")
        verbose_name_plural = _("begäranden om allmän handling")

    def __str__(self) -> str:
        return f"{self.requester} {self.received_at:%Y-%m-%d}"


class Redaction(NeverDeleted):
    """A span of one item's text withheld in one request (character offsets)."""

    request = models.ForeignKey(RecordsRequest, on_delete=models.PROTECT, related_name="redactions")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    field = models.CharField(max_length=20, default="text")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    kind = models.CharField(max_length=30)
    ground = models.CharField(_("grund"), max_length=300, blank=True)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["item_id", "field", "start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="redaction_span"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}[{self.start}:{self.end}]"


class Disclosure(NeverDeleted):
    """The disclosure log: what was handed out, to whom, when, with what redactions."""

    request = models.ForeignKey(
        RecordsRequest, on_delete=models.PROTECT, related_name="disclosures"
    )
    disclosed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    disclosed_at = models.DateTimeField()
    item_count = models.PositiveIntegerField()
    redaction_count = models.PositiveIntegerField()
    pdf_name = models.CharField(max_length=500)
    pdf_sha256 = models.CharField(max_length=64)
    csv_name = models.CharField(max_length=500)
    csv_sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["-disclosed_at"]

    def __str__(self) -> str:
        return f"{self.request} {self.disclosed_at:%Y-%m-%d %H:%M}"
