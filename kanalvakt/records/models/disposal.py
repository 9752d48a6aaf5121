"""Disposal: legal holds, runs, tombstones of what went, and the permits the triggers accept."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kanalvakt.inbox.models import Delivery, Item
from kanalvakt.organisations.models import Organisation, User
from kanalvakt.records.models.base import NeverDeleted
from kanalvakt.register.models import Account


class LegalHold(NeverDeleted):
    """Stops disposal for an organisation, or for one account, until released."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("skäl"))
    placed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField()
    released_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-placed_at"]
        verbose_name = _("bevarandespärr")
        verbose_name_plural = _("bevarandespärrar")

    def __str__(self) -> str:
        return f"{self.account or self.organisation}: {self.reason[:40]}"


class DisposalRun(NeverDeleted):
    """One batch of disposal under the pack's disposal decision."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    rule_path = models.CharField(max_length=200)
    decision_reference = models.CharField(max_length=200, blank=True)
    cutoff = models.DateTimeField(_("äldre än"))
    started_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField()
    disposed_count = models.PositiveIntegerField(default=0)
    held_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("gallring")
        verbose_name_plural = _("gallringar")

    def __str__(self) -> str:
        return f"{self.organisation} {self.started_at:%Y-%m-%d}"


class DisposalLogEntry(NeverDeleted):
    """The tombstone of one disposed item: what went, under which rule, its checksums."""

    run = models.ForeignKey(DisposalRun, on_delete=models.PROTECT, related_name="entries")
    item = models.OneToOneField(Item, on_delete=models.PROTECT, related_name="disposal")
    record_kind = models.CharField(max_length=40)
    disposed_at = models.DateTimeField()
    raw_sha256 = models.CharField(max_length=64)
    text_sha256 = models.CharField(max_length=64)
    versions = models.JSONField(default=list)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.item_id} ({self.raw_sha256[:12]})"


class DisposalPermit(models.Model):
    """Present only inside the disposal transaction: the one key the inbox triggers accept.

    `records.disposal.items_dispose` inserts a permit, blanks the item's content
    and deletes the permit again in one transaction. Nothing else writes here.
    """

    item_id = models.BigIntegerField(primary_key=True)

    def __str__(self) -> str:
        return str(self.item_id)


class DeliveryDisposal(NeverDeleted):
    """The tombstone of a delivery body blanked because every item cut from it was disposed."""

    run = models.ForeignKey(DisposalRun, on_delete=models.PROTECT, related_name="deliveries")
    delivery = models.OneToOneField(Delivery, on_delete=models.PROTECT, related_name="disposal")
    disposed_at = models.DateTimeField()
    sha256 = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"{self.delivery_id} ({self.sha256[:12]})"


class DeliveryDisposalPermit(models.Model):
    """Like `DisposalPermit`, for a delivery body; only `records.disposal` writes it."""

    delivery_id = models.BigIntegerField(primary_key=True)

    def __str__(self) -> str:
        return str(self.delivery_id)
