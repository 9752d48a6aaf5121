"""Archival packages (E-ARK SIP or BagIt) built from items and snapshots."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kanalvakt.organisations.models import Organisation, User
from kanalvakt.records.models.base import NeverDeleted


class ArchivePackage(NeverDeleted):
    """An archival package (E-ARK SIP or BagIt) built from items and snapshots."""

    class Format(models.TextChoices):
        EARK = "eark", _("E-ARK SIP")
        BAGIT = "bagit", _("BagIt")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    format = models.CharField(max_length=10, choices=Format.choices)
    date_from = models.DateField()
    date_to = models.DateField()
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    name = models.CharField(max_length=500)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    item_count = models.PositiveIntegerField()
    snapshot_count = models.PositiveIntegerField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name
