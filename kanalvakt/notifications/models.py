"""What a person is told: in the app (a count in the header and a list) and by e-mail."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kanalvakt.organisations.models import Organisation


class NotificationKind(models.TextChoices):
    ASSIGNED = "assigned", _("tilldelat dig")
    ESCALATED = "escalated", _("eskalerat")
    DUE_SOON = "due_soon", _("snart förfallet")
    OVERDUE = "overdue", _("försenat")
    FORWARDED = "forwarded", _("vidarebefordrat till dig")
    MODERATION = "moderation", _("väntar på modereringsbeslut")
    PLATFORM_FAILED = "platform_failed", _("åtgärd på plattformen misslyckades")
    TOKEN_PROBLEM = "token_problem", _("problem med anslutningen")
    SNAPSHOT_FAILED = "snapshot_failed", _("ögonblicksbild misslyckades")
    PUBLISH_FAILED = "publish_failed", _("publicering misslyckades")
    OTHER = "other", _("övrigt")


class FailureReason(models.TextChoices):
    """Why a platform call or a capture failed, said in the reader's language when shown."""

    TOKEN_EXPIRED = (
        "token_expired",
        _("kontots anslutning har gått ut. Förnya den under Anslutningar."),
    )
    RATE_LIMITED = (
        "rate_limited",
        _("plattformen tar inte emot fler anrop just nu. Försök igen om en stund."),
    )
    NOT_FOUND = "not_found", _("meddelandet finns inte längre på plattformen.")
    NOT_SUPPORTED = "not_supported", _("plattformen tillåter inte det här.")
    NOT_CONNECTED = "not_connected", _("kontot är inte anslutet till Kanalvakt.")
    UNREACHABLE = "unreachable", _("sidan gick inte att nå. Försök igen om en stund.")
    UNKNOWN = "unknown", _("plattformen svarade inte som väntat. Försök igen om en stund.")


class EmailChoice(models.TextChoices):
    IMMEDIATE = "immediate", _("genast, ett e-brev per avisering")
    DIGEST = "digest", _("en sammanfattning om dagen")
    OFF = "off", _("ingen e-post")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("typ"), max_length=20, choices=NotificationKind.choices)
    title = models.CharField(_("rubrik"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("adress"), max_length=500, blank=True)
    reason = models.CharField(_("orsak"), max_length=20, choices=FailureReason.choices, blank=True)
    retry_url = models.CharField(max_length=500, blank=True)
    """Where a failure's "Försök igen" button posts to."""
    created_at = models.DateTimeField(_("skapad"), db_index=True)
    read_at = models.DateTimeField(_("läst"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("skickad med e-post"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("avisering")
        verbose_name_plural = _("aviseringar")
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.title


class NotificationPreference(models.Model):
    """How a person wants their notifications by e-mail."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email = models.CharField(
        _("e-post"), max_length=10, choices=EmailChoice.choices, default=EmailChoice.IMMEDIATE
    )
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("aviseringsinställning")
        verbose_name_plural = _("aviseringsinställningar")

    def __str__(self) -> str:
        return f"{self.user}: {self.email}"
