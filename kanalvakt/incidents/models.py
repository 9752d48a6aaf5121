"""Security incidents on the organisation's social media (SEC-2, Kyrkslätt 003).

Status: reported → in_progress → resolved (or reported → resolved). Every change
adds an `IncidentUpdate`; nothing is deleted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IncidentKind(models.TextChoices):
    THREAT = "threat", _("hot")
    HARASSMENT = "harassment", _("trakasserier")
    IDENTITY_THEFT = "identity_theft", _("identitetsstöld eller förfalskning")
    FAKE_ACCOUNT = "fake_account", _("falskt konto i organisationens namn")
    PHISHING = "phishing", _("nätfiske")
    MALWARE = "malware", _("skadeprogram")
    LOST_CREDENTIALS = "lost_credentials", _("förlorade eller röjda inloggningsuppgifter")


class IncidentStatus(models.TextChoices):
    REPORTED = "reported", _("rapporterad")
    IN_PROGRESS = "in_progress", _("åtgärdas")
    RESOLVED = "resolved", _("avslutad")


class Incident(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("typ"), max_length=30, choices=IncidentKind.choices)
    account = models.ForeignKey(
        "register.Account",
        verbose_name=_("konto"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    description = models.TextField(_("vad som hänt"))
    fake_account_url = models.URLField(_("det falska kontots adress"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=IncidentStatus.choices, db_index=True
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(_("rapporterad"))
    reported_to = models.JSONField(_("rapporterad till"), default=list)
    rule = models.CharField(_("regel"), max_length=300, blank=True)
    resolved_at = models.DateTimeField(_("avslutad"), null=True, blank=True)

    class Meta:
        ordering = ["-reported_at", "-pk"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidenter")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="fake_account") | ~models.Q(fake_account_url=""),
                name="incident_fake_account_has_url",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.reported_at:%Y-%m-%d})"


class IncidentUpdate(models.Model):
    """A follow-up on an incident: a note, and the status it left the incident in."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("tid"))
    status = models.CharField(_("status"), max_length=20, choices=IncidentStatus.choices)
    note = models.TextField(_("uppföljning"))

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("uppföljning")
        verbose_name_plural = _("uppföljningar")

    def __str__(self) -> str:
        return f"{self.incident_id}: {self.status}"
