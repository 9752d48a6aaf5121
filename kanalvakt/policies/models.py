"""Policy packs loaded into the database as versions, and staff acknowledgements."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from kanalvakt.policies.pack import Pack


class PolicyVersion(models.Model):
    """One version of one policy pack, as loaded from its file (REG-8).

    The document is stored whole and never edited; a changed file loads as a
    new version. An organisation selects the version in force.
    """

    pack_id = models.SlugField(_("policypaket"), max_length=80)
    version = models.CharField(_("version"), max_length=40)
    title = models.CharField(_("titel"), max_length=300)
    organisation_name = models.CharField(_("organisation i källan"), max_length=200)
    adopted_by = models.CharField(_("antagen av"), max_length=200, blank=True)
    adopted_on = models.DateField(_("antagen"), null=True, blank=True)
    decision = models.CharField(_("beslut"), max_length=200, blank=True)
    owner = models.CharField(_("ägare"), max_length=200, blank=True)
    document = models.JSONField(_("innehåll"))
    sha256 = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(_("inläst"), auto_now_add=True)

    class Meta:
        ordering = ["pack_id", "-loaded_at"]
        verbose_name = _("policyversion")
        verbose_name_plural = _("policyversioner")
        constraints = [
            models.UniqueConstraint(fields=["pack_id", "version"], name="policy_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.version})"

    @property
    def pack(self) -> Pack:
        from kanalvakt.policies.pack import Pack

        return Pack(self.document)


class PolicyAcknowledgement(models.Model):
    """A member of staff confirms having read a policy version (REG-9)."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="acknowledgements"
    )
    policy_version = models.ForeignKey(
        PolicyVersion, on_delete=models.PROTECT, related_name="acknowledgements"
    )
    acknowledged_at = models.DateTimeField(_("kvitterad"))

    class Meta:
        verbose_name = _("kvittens")
        verbose_name_plural = _("kvittenser")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user", "policy_version"], name="acknowledgement_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.policy_version} ({self.acknowledged_at:%Y-%m-%d})"


class CrisisPeriod(models.Model):
    """A period the organisation is in crisis mode (REG-11).

    Started and ended by the comms lead; at most one is open per organisation
    (a partial unique constraint). While open: scheduled posts wait
    (`organisation_in_crisis`), new items get the pack's crisis response time,
    every page shows a banner and the holding message is offered as a reply.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("anledning"))
    holding_message = models.TextField(_("avvaktande meddelande"), blank=True)
    started_at = models.DateTimeField(_("startad"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    ended_at = models.DateTimeField(_("avslutad"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    end_note = models.TextField(_("anteckning vid avslut"), blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("krisläge")
        verbose_name_plural = _("krislägen")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(ended_at__isnull=True),
                name="crisis_one_open_per_organisation",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=True)
                | models.Q(ended_at__gte=models.F("started_at")),
                name="crisis_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None


class PolicyStewardship(models.Model):
    """Who owns the organisation's policy and when it is next reviewed (REG-10).

    The owner is reminded `remind_days_before` the review date, once per date
    (`reminded_for` holds the date last reminded about).
    """

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ägare"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    review_on = models.DateField(_("granskas senast"))
    remind_days_before = models.PositiveIntegerField(_("påminn dagar före"), default=30)
    reminded_for = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("policyns ägare och granskning")
        verbose_name_plural = _("policyns ägare och granskning")

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.review_on}"


class ReviewDecision(models.TextChoices):
    KEEP = "keep", _("gäller oförändrad")
    REVISE = "revise", _("ska revideras")
    REPLACE = "replace", _("ersätts av en ny policy")


class PolicyReview(models.Model):
    """One review of the policy in force and what was decided (REG-10)."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    policy_version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField(_("beslutad"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(_("beslut"), max_length=10, choices=ReviewDecision.choices)
    note = models.TextField(_("motivering"), blank=True)
    next_review_on = models.DateField(_("nästa granskning"))

    class Meta:
        ordering = ["-decided_on", "-pk"]
        verbose_name = _("granskning av policyn")
        verbose_name_plural = _("granskningar av policyn")

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.decided_on} {self.decision}"


class AcknowledgementReminder(models.Model):
    """A reminder sent to someone who has not acknowledged the policy in force (REG-9)."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    policy_version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(_("skickad"))

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("påminnelse om kvittens")
        verbose_name_plural = _("påminnelser om kvittens")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.sent_at:%Y-%m-%d}"
