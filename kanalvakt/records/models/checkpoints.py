"""Signed checkpoints of the audit chain and their RFC 3161 time-stamps."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kanalvakt.records.models.base import NeverDeleted


class Checkpoint(NeverDeleted):
    """A signed statement of the audit chain's head and a Merkle root over a period's records.

    `statement` is the canonical JSON exactly as signed with the Ed25519 key
    kept outside the database; the other columns repeat it for queries.
    """

    number = models.PositiveIntegerField(unique=True)
    created_at = models.DateTimeField()
    period_start = models.DateTimeField()
    period_end = models.DateTimeField()
    chain_sequence = models.BigIntegerField()
    chain_hash = models.CharField(max_length=64)
    record_count = models.PositiveBigIntegerField()
    merkle_root = models.CharField(max_length=64)
    key_id = models.CharField(max_length=64)
    public_key = models.CharField(max_length=100)
    statement = models.TextField()
    signature = models.CharField(max_length=200)

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"#{self.number} {self.period_end:%Y-%m-%d %H:%M}"


class CheckpointStamp(NeverDeleted):
    """An RFC 3161 time-stamp of one checkpoint's statement, asked for in the background.

    Made with the checkpoint when `TSA_URL` is set, `pending` until the
    authority answers, `failed` after the last retry (the daily job tries it
    again). Once `stamped` the row is final (a database trigger refuses changes).
    The token is the DER TimeStampToken; it proves itself without this row.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("väntar")
        STAMPED = "stamped", _("tidsstämplad")
        FAILED = "failed", _("misslyckades")

    checkpoint = models.OneToOneField(Checkpoint, on_delete=models.PROTECT, related_name="stamp")
    tsa_url = models.CharField(max_length=500)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    nonce = models.CharField(max_length=40, blank=True)
    token = models.BinaryField(default=b"", blank=True)
    gen_time = models.DateTimeField(null=True, blank=True)
    tsa_name = models.CharField(max_length=500, blank=True)

    def __str__(self) -> str:
        return f"#{self.checkpoint.number} {self.status}"
