"""What arrives from the platforms, kept as received (INB-1, REC-1).

A `Delivery` is the exact bytes of one webhook delivery, poll response or
import chunk. An `Item` is one comment, reply, mention, direct message or post
cut out of it, with its own raw bytes and SHA-256 taken at receipt. Both are
records: never changed, never deleted. An edit on the platform becomes an
`ItemVersion`; a deletion on the platform is a timestamp, not a local delete.
Workflow state (who answers, by when) lives in other tables.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kanalvakt.organisations.models import Organisation
from kanalvakt.register.models import Account, Platform


class RecordProtectedError(RuntimeError):
    """Raised on any attempt to change or delete a received record."""


class ImmutableRecord(models.Model):
    """A row that is written once. Changing or deleting it raises."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise RecordProtectedError(f"{self._meta.verbose_name} ändras aldrig.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise RecordProtectedError(f"{self._meta.verbose_name} raderas aldrig.")


class DeliverySource(models.TextChoices):
    WEBHOOK = "webhook", _("webhook")
    POLL = "poll", _("hämtning")
    IMPORT = "import", _("import")
    DEMO = "demo", _("demotrafik")


class Delivery(ImmutableRecord):
    """The exact bytes of one delivery from a platform, as received."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    platform = models.CharField(_("plattform"), max_length=20, choices=Platform.choices)
    source = models.CharField(_("källa"), max_length=10, choices=DeliverySource.choices)
    received_at = models.DateTimeField(_("mottaget"), db_index=True)
    body = models.BinaryField(_("innehåll"))
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=100, blank=True)
    headers = models.JSONField(_("huvuden"), default=dict)

    class Meta:
        verbose_name = _("leverans")
        verbose_name_plural = _("leveranser")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "platform", "sha256"], name="delivery_unique_body"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.platform} {self.source} {self.received_at:%Y-%m-%d %H:%M}"


class ItemKind(models.TextChoices):
    COMMENT = "comment", _("kommentar")
    REPLY = "reply", _("svar")
    MENTION = "mention", _("omnämnande")
    DIRECT_MESSAGE = "direct_message", _("direktmeddelande")
    POST = "post", _("inlägg")


class Item(ImmutableRecord):
    """One comment, reply, mention, direct message or post, as first received."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="items")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="items")
    delivery = models.ForeignKey(
        Delivery, on_delete=models.PROTECT, null=True, blank=True, related_name="items"
    )
    platform = models.CharField(_("plattform"), max_length=20, choices=Platform.choices)
    external_id = models.CharField(_("plattformens id"), max_length=200)
    kind = models.CharField(_("typ"), max_length=20, choices=ItemKind.choices)
    parent_external_id = models.CharField(max_length=200, blank=True)
    thread_id = models.CharField(max_length=200, blank=True, db_index=True)
    author_name = models.CharField(_("avsändare"), max_length=300, blank=True)
    author_handle = models.CharField(_("användarnamn"), max_length=300, blank=True)
    author_external_id = models.CharField(max_length=200, blank=True)
    by_account = models.BooleanField(_("skrivet av kontot självt"), default=False)
    text = models.TextField(_("text"), blank=True)
    language_hint = models.CharField(max_length=10, blank=True)
    url = models.URLField(max_length=1000, blank=True)
    attachments = models.JSONField(default=list, blank=True)
    platform_data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("skrivet"), db_index=True)
    received_at = models.DateTimeField(_("mottaget"), db_index=True)
    raw = models.BinaryField(_("rådata"))
    raw_sha256 = models.CharField(_("SHA-256 vid mottagandet"), max_length=64)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("inkommet meddelande")
        verbose_name_plural = _("inkomna meddelanden")
        constraints = [
            models.UniqueConstraint(
                fields=["account", "external_id"], name="item_unique_per_account"
            ),
            models.CheckConstraint(condition=~Q(raw_sha256=""), name="item_has_checksum"),
        ]
        indexes = [models.Index(fields=["organisation", "-received_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.external_id}"


class ItemVersion(ImmutableRecord):
    """A later state of an item seen on the platform: an edit, or its deletion."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="versions")
    delivery = models.ForeignKey(
        Delivery, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("text"), blank=True)
    edited_at = models.DateTimeField(_("ändrat"), null=True, blank=True)
    deleted = models.BooleanField(_("raderat på plattformen"), default=False)
    recorded_at = models.DateTimeField(_("registrerat"))
    raw = models.BinaryField(_("rådata"))
    raw_sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["recorded_at"]
        verbose_name = _("version")
        verbose_name_plural = _("versioner")

    def __str__(self) -> str:
        return f"{self.item} @ {self.recorded_at:%Y-%m-%d %H:%M}"


def _new_webhook_key() -> str:
    return secrets.token_urlsafe(24)


class PlatformCredentials(models.Model):
    """An organisation's app on one platform: where webhooks arrive and how they are signed."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    platform = models.CharField(_("plattform"), max_length=20, choices=Platform.choices)
    webhook_key = models.CharField(max_length=64, unique=True, default=_new_webhook_key)
    app_secret = models.CharField(_("apphemlighet"), max_length=300)
    verify_token = models.CharField(_("verifieringstoken"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("plattformsuppgifter")
        verbose_name_plural = _("plattformsuppgifter")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "platform"], name="platform_credentials_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.platform}"


class ItemProcessing(models.Model):
    """Whether an item has been processed (screened, routed, clock started).

    Set in the same transaction as the processing itself, so an item counts as
    processed exactly when its effects are stored.
    """

    item = models.OneToOneField(Item, on_delete=models.PROTECT, related_name="processing")
    processed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("bearbetning")
        verbose_name_plural = _("bearbetningar")

    def __str__(self) -> str:
        return f"{self.item}: {'klar' if self.processed_at else 'väntar'}"
