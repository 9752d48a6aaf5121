"""Public records: registration, snapshots, disposal, records requests, packages.

Nothing here is ever hard-deleted (`delete()` refuses). Received items stay in
`inbox`; this app adds what the organisation decided about them.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kanalvakt.inbox.models import Delivery, Item
from kanalvakt.organisations.models import Organisation, Unit, User
from kanalvakt.register.models import Account


class NeverDeleted(models.Model):
    class Meta:
        abstract = True

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise RuntimeError(f"{self._meta.verbose_name} raderas aldrig (STYLE 9).")


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


class SnapshotReason(models.TextChoices):
    HALF_YEARLY = "half_yearly", _("halvårsskifte")
    BEFORE_MAJOR_CHANGE = "before_major_change", _("inför större förändring")
    DEMO = "demo", _("demo (ersättningssida)")


class Snapshot(NeverDeleted):
    """One capture of an account's start page: PDF/A, full-page PNG and WARC."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="snapshots")
    reason = models.CharField(_("anledning"), max_length=30, choices=SnapshotReason.choices)
    period = models.CharField(_("halvår"), max_length=10, blank=True, db_index=True)
    url = models.URLField(_("adress"), max_length=1000)
    final_url = models.URLField(_("slutlig adress"), max_length=2000, blank=True)
    title = models.CharField(_("sidans titel"), max_length=500, blank=True)
    captured_at = models.DateTimeField(_("tagen"))
    requested_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    login_wall = models.BooleanField(_("bakom inloggning"), default=False)
    login_signals = models.JSONField(default=list, blank=True)
    pdfa_valid = models.BooleanField(_("PDF/A-kontroll godkänd"), default=False)
    pdfa_report = models.TextField(blank=True)
    note = models.CharField(_("anteckning"), max_length=500, blank=True)

    class Meta:
        ordering = ["-captured_at"]
        verbose_name = _("ögonblicksbild")
        verbose_name_plural = _("ögonblicksbilder")

    def __str__(self) -> str:
        return f"{self.account} {self.captured_at:%Y-%m-%d}"


class SnapshotFile(NeverDeleted):
    """One file of a snapshot, stored through Django's storage API, with its SHA-256."""

    class Kind(models.TextChoices):
        PDFA = "pdfa", _("PDF/A")
        PDF = "pdf", _("PDF (original)")
        PNG = "png", _("skärmbild (PNG)")
        WARC = "warc", _("WARC")
        CHECKPOINTS = "checkpoint", _("kontrollpunkter (JSON)")

    snapshot = models.ForeignKey(Snapshot, on_delete=models.PROTECT, related_name="files")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    name = models.CharField(max_length=500)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "kind"], name="snapshot_file_unique"),
        ]

    def __str__(self) -> str:
        return self.name


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


class RecordsRequest(NeverDeleted):
    """A request for public records (begäran om allmän handling).

    received → in_review → disclosed.
    """

    class Status(models.TextChoices):
        RECEIVED = "received", _("mottagen")
        IN_REVIEW = "in_review", _("under prövning")
        DISCLOSED = "disclosed", _("utlämnad")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    requester = models.CharField(_("sökande"), max_length=300)
    requester_contact = models.CharField(_("kontaktuppgift"), max_length=300, blank=True)
    received_at = models.DateTimeField(_("mottagen"))
    description = models.TextField(_("vad som begärs"))
    query = models.CharField(_("sökord"), max_length=500, blank=True)
    date_from = models.DateField(_("från"), null=True, blank=True)
    date_to = models.DateField(_("till"), null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED)
    items = models.ManyToManyField(Item, related_name="+", blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("begäran om allmän handling")
        verbose_name_plural = _("begäranden om allmän handling")

    def __str__(self) -> str:
        return f"{self.requester} {self.received_at:%Y-%m-%d}"


class Redaction(NeverDeleted):
    """A span of one item's text withheld in one request (character offsets)."""

    request = models.ForeignKey(RecordsRequest, on_delete=models.PROTECT, related_name="redactions")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    field = models.CharField(max_length=20, default="text")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    kind = models.CharField(max_length=30)
    ground = models.CharField(_("grund"), max_length=300, blank=True)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["item_id", "field", "start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="redaction_span"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}[{self.start}:{self.end}]"


class Disclosure(NeverDeleted):
    """The disclosure log: what was handed out, to whom, when, with what redactions."""

    request = models.ForeignKey(
        RecordsRequest, on_delete=models.PROTECT, related_name="disclosures"
    )
    disclosed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    disclosed_at = models.DateTimeField()
    item_count = models.PositiveIntegerField()
    redaction_count = models.PositiveIntegerField()
    pdf_name = models.CharField(max_length=500)
    pdf_sha256 = models.CharField(max_length=64)
    csv_name = models.CharField(max_length=500)
    csv_sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["-disclosed_at"]

    def __str__(self) -> str:
        return f"{self.request} {self.disclosed_at:%Y-%m-%d %H:%M}"


class ArchivePackage(NeverDeleted):
    """An archival package (E-ARK SIP or BagIt) built from items and snapshots."""

    class Format(models.TextChoices):
        EARK = "eark", _("E-ARK SIP")
        BAGIT = "bagit", _("BagIt")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    format = models.CharField(max_length=10, choices=Format.choices)
    date_from = models.DateField()
    date_to = models.DateField()
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    name = models.CharField(max_length=500)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    item_count = models.PositiveIntegerField()
    snapshot_count = models.PositiveIntegerField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


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
