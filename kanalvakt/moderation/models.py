"""The moderation queue: screenings, cases with the policy's deadline, decisions (MOD-2…MOD-7).

Case states and their transitions:

    open → decided         a person keeps, hides, removes or reports the item
    decided → open         never; a new decision (e.g. unhide) is a new Decision row

A decision's platform action goes pending → done | failed | not_connected |
unsupported; failed actions can be retried.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kanalvakt.inbox.models import Item, RecordProtectedError
from kanalvakt.organisations.models import Organisation
from kanalvakt.register.models import Account


class SuggestedAction(models.TextChoices):
    REMOVE = "remove", _("ta bort")
    REVIEW = "review", _("granska")
    NONE = "none", _("ingen åtgärd")


class Screening(models.Model):
    """What the screening found in one item, with the model and pack it used."""

    item = models.OneToOneField(Item, on_delete=models.PROTECT, related_name="screening")
    language = models.CharField(_("språk"), max_length=10)
    action = models.CharField(_("förslag"), max_length=10, choices=SuggestedAction.choices)
    findings = models.JSONField(_("fynd"), default=list)
    pack_id = models.CharField(max_length=80, blank=True)
    model_version = models.CharField(max_length=40, blank=True)
    screened_at = models.DateTimeField(_("granskat"))

    class Meta:
        verbose_name = _("maskinell granskning")
        verbose_name_plural = _("maskinella granskningar")

    def __str__(self) -> str:
        return f"{self.item}: {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise RecordProtectedError("En granskning ändras aldrig.")
        super().save(*args, **kwargs)


class CaseState(models.TextChoices):
    OPEN = "open", _("väntar på beslut")
    DECIDED = "decided", _("avgjort")


class ModerationCase(models.Model):
    """An item the screening flagged, waiting for a person's decision before `due_at`."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    item = models.OneToOneField(Item, on_delete=models.PROTECT, related_name="moderation_case")
    state = models.CharField(
        _("status"), max_length=10, choices=CaseState.choices, default=CaseState.OPEN
    )
    suggested_action = models.CharField(
        _("förslag"), max_length=10, choices=SuggestedAction.choices
    )
    categories = models.JSONField(_("kategorier"), default=list)
    opened_at = models.DateTimeField(_("öppnat"))
    due_at = models.DateTimeField(_("beslut senast"), null=True, blank=True, db_index=True)
    warned_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    auto_hidden_at = models.DateTimeField(_("dolt automatiskt"), null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at"]
        verbose_name = _("modereringsärende")
        verbose_name_plural = _("modereringsärenden")
        indexes = [models.Index(fields=["organisation", "state", "due_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_at__gte=models.F("opened_at")), name="case_due_after_opened"
            ),
            models.CheckConstraint(
                condition=~Q(state="decided") | Q(decided_at__isnull=False),
                name="case_decided_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} ({self.get_state_display()})"


class DecisionKind(models.TextChoices):
    KEEP = "keep", _("behåll")
    HIDE = "hide", _("dölj")
    UNHIDE = "unhide", _("visa igen")
    REMOVE = "remove", _("ta bort")
    REMOVE_AND_NOTIFY = "remove_notify", _("ta bort och meddela skribenten")
    REPORT = "report", _("polisanmäl")


class PlatformStatus(models.TextChoices):
    NOT_NEEDED = "not_needed", _("ingen åtgärd behövs")
    PENDING = "pending", _("väntar")
    DONE = "done", _("utfört")
    FAILED = "failed", _("misslyckades")
    NOT_CONNECTED = "not_connected", _("kontot är inte anslutet – gör det för hand")
    UNSUPPORTED = "unsupported", _("plattformen tillåter inte åtgärden – gör det för hand")


class Decision(models.Model):
    """A person's decision on a case, with the reason and what happened on the platform."""

    case = models.ForeignKey(ModerationCase, on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(_("beslut"), max_length=20, choices=DecisionKind.choices)
    reason = models.TextField(_("skäl"))
    categories = models.JSONField(_("bekräftade kategorier"), default=list, blank=True)
    notice_text = models.TextField(_("meddelande till skribenten"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("beslutat"))
    item_sha256 = models.CharField(_("SHA-256 av originalet"), max_length=64)
    platform_status = models.CharField(
        _("på plattformen"), max_length=20, choices=PlatformStatus.choices
    )
    platform_detail = models.TextField(blank=True)
    platform_done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["decided_at"]
        verbose_name = _("beslut")
        verbose_name_plural = _("beslut")
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="decision_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.case.item}"


class ScoringModel(models.Model):
    """A version of the learned scorer with its evaluation; the active one screens (MOD-7)."""

    version = models.CharField(max_length=40, unique=True)
    data = models.BinaryField()
    evaluation = models.JSONField(default=dict)
    trained_on = models.PositiveIntegerField(_("beslut i träningen"), default=0)
    created_at = models.DateTimeField()
    active = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["active"], condition=Q(active=True), name="one_active_scoring_model"
            ),
        ]

    def __str__(self) -> str:
        return self.version


class NoticeCheck(models.Model):
    """Whether an account publishes the policy's moderation notice, and where (MOD-5)."""

    account = models.OneToOneField(Account, on_delete=models.PROTECT, related_name="notice_check")
    published = models.BooleanField(_("publicerad"))
    url = models.URLField(_("adress där notisen finns"), max_length=500, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.account}: {'ja' if self.published else 'nej'}"
