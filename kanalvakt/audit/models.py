"""The audit log: one hash-chained trail of everything people and the system do.

Each event stores the SHA-256 of its own canonical content together with the
hash of the event before it, so changing or removing any event breaks every
link after it. Only `kanalvakt.audit.services.audit_record` writes here, always
inside the transaction of the change it describes.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    """Events of the register, organisations and policies.

    Other apps declare their own TextChoices of namespaced event types
    (`item.hidden`, `record.registered`) in their `events.py`; the log stores
    the namespaced text, so no app needs to edit this list.
    """

    ORGANISATION_CREATED = "organisation.created", _("organisation skapad")
    ORGANISATION_POLICY_SELECTED = "organisation.policy_selected", _("policy vald")
    UNIT_CREATED = "unit.created", _("enhet skapad")
    MEMBERSHIP_GRANTED = "membership.granted", _("roll tilldelad")
    MEMBERSHIP_REVOKED = "membership.revoked", _("roll återkallad")
    ABSENCE_RECORDED = "absence.recorded", _("frånvaro registrerad")
    API_TOKEN_CREATED = "api_token.created", _("API-nyckel skapad")
    API_TOKEN_REVOKED = "api_token.revoked", _("API-nyckel återkallad")
    POLICY_LOADED = "policy.loaded", _("policyversion inläst")
    POLICY_ACKNOWLEDGED = "policy.acknowledged", _("policy kvitterad")
    ACCOUNT_CREATED = "account.created", _("konto registrerat")
    ACCOUNT_UPDATED = "account.updated", _("konto ändrat")
    ACCOUNT_OPENED = "account.opened", _("konto öppnat")
    ACCOUNT_CLOSED = "account.closed", _("konto stängt")
    ACCOUNT_ADMIN_ADDED = "account.admin_added", _("administratör tillagd")
    ACCOUNT_ADMIN_REMOVED = "account.admin_removed", _("administratör borttagen")
    ACCOUNT_SUBSTITUTE_SET = "account.substitute_set", _("ersättare utsedd")
    ACCOUNT_PUBLISHED = "account.published", _("publicering registrerad")
    PROFILE_CHECK_RECORDED = "profile.check_recorded", _("profilkrav bedömt")
    MANDATE_GRANTED = "mandate.granted", _("uppdrag beviljat")
    MANDATE_REVOKED = "mandate.revoked", _("uppdrag återkallat")
    ACCOUNT_REQUEST_SUBMITTED = "account_request.submitted", _("begäran inlämnad")
    ACCOUNT_REQUEST_STEP_DONE = "account_request.step_done", _("steg i begäran klart")
    ACCOUNT_REQUEST_REJECTED = "account_request.rejected", _("begäran avslagen")
    ACCOUNT_REQUEST_COMPLETED = "account_request.completed", _("begäran genomförd")


class AuditEvent(models.Model):
    """One thing that happened. Never updated, never deleted."""

    sequence = models.BigIntegerField(_("löpnummer"), unique=True)
    created_at = models.DateTimeField(_("tidpunkt"), db_index=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
    )
    actor_label = models.CharField(_("utförare"), max_length=200)
    event_type = models.CharField(_("händelse"), max_length=64, db_index=True)
    target_type = models.CharField(_("objekttyp"), max_length=64)
    target_id = models.CharField(_("objekt-id"), max_length=64)
    target_label = models.CharField(_("objekt"), max_length=300)
    data = models.JSONField(_("uppgifter"), default=dict)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["sequence"]
        verbose_name = _("händelse i granskningsloggen")
        verbose_name_plural = _("granskningslogg")
        indexes = [models.Index(fields=["organisation", "-sequence"])]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.event_type} {self.target_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise RuntimeError("Audit events are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise RuntimeError("Audit events are never deleted.")


class AuditChainHead(models.Model):
    """A single row that serialises writers to the chain (locked FOR UPDATE)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    sequence = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="audit_chain_head_single_row"),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.hash[:12]}"
