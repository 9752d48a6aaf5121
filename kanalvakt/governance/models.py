"""Account planning and upkeep: the plan at opening, the yearly review (002, 003; 001, 002).

Degerfors 002: "När vi använder sociala medier ska vi först analysera syfte med
kommunikationen, målgruppen och budskapet." Kyrkslätt 003: "Före ett konto
öppnas i sociala medier ska man tänka igenom vilket behov kanalen svarar på.
Vilka är målen? Vilken är tjänstens målgrupp …". Överkalix 001: passive
accounts are closed. Each account has one plan (need, goals, audience,
resources) and a review at least once a year of its purpose and activity
against the pack's passive limit.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountPlan(models.Model):
    account = models.OneToOneField(
        "register.Account", on_delete=models.PROTECT, related_name="plan"
    )
    need = models.TextField(_("behov"))
    goals = models.TextField(_("mål och syfte"))
    audience = models.TextField(_("målgrupp"))
    resources = models.TextField(_("resurser (vem, hur mycket tid)"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("registrerad"))

    class Meta:
        verbose_name = _("kontoplan")
        verbose_name_plural = _("kontoplaner")

    def __str__(self) -> str:
        return f"{self.account_id}"


class ReviewOutcome(models.TextChoices):
    KEEP = "keep", _("fortsätter som planerat")
    CHANGE = "change", _("syfte eller arbetssätt ändras")
    CLOSE = "close", _("ska stängas")


class AccountReview(models.Model):
    """One yearly review of an account's purpose and activity."""

    account = models.ForeignKey("register.Account", on_delete=models.PROTECT, related_name="+")
    reviewed_on = models.DateField(_("granskat"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    purpose_still_valid = models.BooleanField(_("syftet gäller fortfarande"))
    idle_days = models.PositiveIntegerField(
        _("dagar sedan senaste uppdatering"), null=True, blank=True
    )
    passive_limit_days = models.PositiveIntegerField(
        _("policyns gräns för passiva konton"), null=True, blank=True
    )
    outcome = models.CharField(_("beslut"), max_length=10, choices=ReviewOutcome.choices)
    note = models.TextField(_("anteckning"), blank=True)

    class Meta:
        ordering = ["-reviewed_on", "-pk"]
        verbose_name = _("årlig översyn")
        verbose_name_plural = _("årliga översyner")

    def __str__(self) -> str:
        return f"{self.account_id}: {self.reviewed_on}"


class ForwardedMatter(models.Model):
    """A registered matter forwarded to a case officer, followed up until answered.

    Överkalix 001: "Saklig kritik ska diarieföras och föras vidare till rätt
    instans i organisationen." Where the pack's `inbox.forward_to_case_officer`
    is true, every registration forwarded to a person becomes a tracked step due
    by the pack's response time; the case officer marks it answered.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    registration = models.OneToOneField(
        "records.Registration", on_delete=models.PROTECT, related_name="+"
    )
    case_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    forwarded_at = models.DateTimeField(_("vidarebefordrat"))
    due_at = models.DateTimeField(_("besvaras senast"), null=True, blank=True, db_index=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(_("besvarat"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answer_note = models.TextField(_("hur det besvarades"), blank=True)

    class Meta:
        ordering = ["answered_at", "due_at", "pk"]
        verbose_name = _("vidarebefordrat ärende")
        verbose_name_plural = _("vidarebefordrade ärenden")

    def __str__(self) -> str:
        return f"{self.registration_id} → {self.case_officer_id}"
