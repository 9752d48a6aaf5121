"""Snapshots of an account's start page and their files."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kanalvakt.organisations.models import Organisation, User
from kanalvakt.records.models.base import NeverDeleted
from kanalvakt.register.models import Account


class SnapshotReason(models.TextChoices):
    HALF_YEARLY = "half_yearly", _("halvårsskifte")
    BEFORE_MAJOR_CHANGE = "before_major_change", _("inför större förändring")
    DEMO = "demo", _("demo (ersättningssida)")


class Snapshot(NeverDeleted):
    """One capture of an account's start page: PDF/A, full-page PNG and WARC."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="snapshots")
    reason = models.CharField(_("anledning"), max_length=30, choices=SnapshotReason.choices)
    period = models.CharField(_("halvår"), max_length=10, blank=True, db_index=True)
    url = models.URLField(_("adress"), max_length=1000)
    final_url = models.URLField(_("slutlig adress"), max_length=2000, blank=True)
    title = models.CharField(_("sidans titel"), max_length=500, blank=True)
    captured_at = models.DateTimeField(_("tagen"))
    requested_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    login_wall = models.BooleanField(_("bakom inloggning"), default=False)
    login_signals = models.JSONField(default=list, blank=True)
    pdfa_valid = models.BooleanField(_("PDF/A-kontroll godkänd"), default=False)
    pdfa_report = models.TextField(blank=True)
    note = models.CharField(_("anteckning"), max_length=500, blank=True)

    class Meta:
        ordering = ["-captured_at"]
        verbose_name = _("ögonblicksbild")
        verbose_name_plural = _("ögonblicksbilder")

    def __str__(self) -> str:
        return f"{self.account} {self.captured_at:%Y-%m-%d}"


class SnapshotFile(NeverDeleted):
    """One file of a snapshot, stored through Django's storage API, with its SHA-256."""

    class Kind(models.TextChoices):
        PDFA = "pdfa", _("PDF/A")
        PDF = "pdf", _("PDF (original)")
        PNG = "png", _("skärmbild (PNG)")
        WARC = "warc", _("WARC")
        CHECKPOINTS = "checkpoint", _("kontrollpunkter (JSON)")

    snapshot = models.ForeignKey(Snapshot, on_delete=models.PROTECT, related_name="files")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    name = models.CharField(max_length=500)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "kind"], name="snapshot_file_unique"),
        ]

    def __str__(self) -> str:
        return self.name
