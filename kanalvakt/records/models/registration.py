"""Registration: record-number series and what the policy and the registrar decided."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kanalvakt.inbox.models import Item
from kanalvakt.organisations.models import Organisation, Unit, User
from kanalvakt.records.models.base import NeverDeleted


class RecordSeries(NeverDeleted):
    """A record-number series of one organisation and year, e.g. `KS 2026/123`.

    `format` takes `{prefix}`, `{year}` and `{number}` (with format specs, e.g.
    `{number:04d}`). Numbers are taken with a row lock and a conditional update,
    so two registrars never get the same number and none is skipped.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    prefix = models.CharField(_("prefix"), max_length=20, default="KS")
    format = models.CharField(_("format"), max_length=60, default="{prefix} {year}/{number}")
    year = models.PositiveIntegerField(_("år"))
    next_number = models.PositiveIntegerField(_("nästa nummer"), default=1)

    class Meta:
        verbose_name = _("diarieserie")
        verbose_name_plural = _("diarieserier")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "prefix", "year"], name="record_series_unique"
            ),
            models.CheckConstraint(condition=Q(next_number__gte=1), name="record_series_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.prefix} {self.year}"

    def render(self, number: int) -> str:
        return self.format.format(prefix=self.prefix, year=self.year, number=number)


class Decision(models.TextChoices):
    REGISTER = "register", _("ska diarieföras")
    EXEMPT = "exempt", _("undantaget enligt policyn")
    NOT_REQUIRED = "not_required", _("ingen regel kräver diarieföring")


class RegistrationStatus(models.TextChoices):
    """pending → registered | exempt. not_required rows never enter the queue."""

    PENDING = "pending", _("väntar på registrator")
    REGISTERED = "registered", _("diariefört")
    EXEMPT = "exempt", _("undantaget")
    NOT_REQUIRED = "not_required", _("behöver inte diarieföras")


class Registration(NeverDeleted):
    """What the policy said about one item or snapshot, and what the registrar did."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    item = models.OneToOneField(
        Item, on_delete=models.PROTECT, null=True, blank=True, related_name="registration"
    )
    snapshot = models.OneToOneField(
        "Snapshot", on_delete=models.PROTECT, null=True, blank=True, related_name="registration"
    )
    record_kind = models.CharField(_("handlingstyp"), max_length=40)
    decision = models.CharField(_("bedömning"), max_length=20, choices=Decision.choices)
    rule_path = models.CharField(_("regel"), max_length=200, blank=True)
    rule_source = models.CharField(_("källa"), max_length=500, blank=True)
    forward_required = models.BooleanField(_("ska föras vidare"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=RegistrationStatus.choices, db_index=True
    )
    created_at = models.DateTimeField(_("bedömt"))
    series = models.ForeignKey(
        RecordSeries, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    number = models.PositiveIntegerField(null=True, blank=True)
    record_number = models.CharField(_("diarienummer"), max_length=80, blank=True)
    registered_at = models.DateTimeField(_("diariefört"), null=True, blank=True)
    registered_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    forwarded_to_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    forwarded_to_user = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    forwarded_at = models.DateTimeField(_("överlämnat"), null=True, blank=True)
    exempt_reason = models.TextField(_("skäl för undantag"), blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("diarieföring")
        verbose_name_plural = _("diarieföringar")
        constraints = [
            models.CheckConstraint(
                condition=Q(item__isnull=False, snapshot__isnull=True)
                | Q(item__isnull=True, snapshot__isnull=False),
                name="registration_item_or_snapshot",
            ),
            models.UniqueConstraint(
                fields=["series", "number"],
                condition=Q(number__isnull=False),
                name="registration_number_unique",
            ),
            models.CheckConstraint(
                condition=~Q(status="registered") | ~Q(record_number=""),
                name="registration_registered_has_number",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "status", "created_at"])]

    def __str__(self) -> str:
        return self.record_number or f"{self.get_status_display()} #{self.pk}"
