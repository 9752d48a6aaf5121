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

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kanalvakt.inbox.intent import Intent
from kanalvakt.inbox.triggers import Trigger
from kanalvakt.organisations.models import Organisation, Role
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

    # No index of their own: (organisation, -received_at) and (account, external_id) lead
    # with them, and a third and fourth index on every item cost an import of a million
    # items a good part of its time (issue 12).
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="items", db_index=False
    )
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="items", db_index=False
    )
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


class DeliveryIngest(models.Model):
    """How far a stored delivery has been cut into items: the worker's queue.

    Written with the delivery, in the same transaction, before the platform
    gets its 200; the worker moves `position` on batch by batch, in the
    transaction that stores the batch, so a killed worker resumes after the
    last stored batch and nothing acknowledged is lost.
    """

    delivery = models.OneToOneField(
        Delivery, on_delete=models.PROTECT, primary_key=True, related_name="ingest"
    )
    position = models.PositiveIntegerField(default=0)
    """Items of the delivery handled so far (stored, or recognised as known)."""
    total = models.PositiveIntegerField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("inläsning av leverans")
        verbose_name_plural = _("inläsningar av leveranser")

    def __str__(self) -> str:
        return (
            f"{self.delivery_id}: {self.position}/{self.total if self.total is not None else '?'}"
        )


class EntryState(models.TextChoices):
    """Where an inbox entry stands.

    new → assigned (a person takes it or hands it to someone)
    new | assigned → answered (a reply is sent) | forwarded (to a case officer)
                   | closed (handled elsewhere) | no_answer_needed
    forwarded → answered | closed
    no_answer_needed → new (a person corrects the intent to one that needs an answer)
    Items the account wrote itself start as no_answer_needed.
    """

    NEW = "new", _("ny")
    ASSIGNED = "assigned", _("tilldelad")
    ANSWERED = "answered", _("besvarad")
    FORWARDED = "forwarded", _("vidarebefordrad")
    CLOSED = "closed", _("avslutad")
    NO_ANSWER_NEEDED = "no_answer_needed", _("behöver inget svar")


OPEN_STATES = (EntryState.NEW, EntryState.ASSIGNED)


class ClosedReason(models.TextChoices):
    """Why an entry was closed without a reply from Kanalvakt, when not by hand."""

    MODERATED = "moderated", _("borttagen – inget svar behövs")
    DELETED_ON_PLATFORM = "deleted", _("raderad av skribenten")
    SPAM = "spam", _("skräppost")


class InboxEntry(models.Model):
    """The workflow around one received item: intent, due time, who answers it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    item = models.OneToOneField(Item, on_delete=models.PROTECT, related_name="entry")
    state = models.CharField(
        _("status"), max_length=20, choices=EntryState.choices, default=EntryState.NEW
    )
    intent = models.CharField(_("avsikt"), max_length=30, choices=Intent.choices)
    intent_words = models.JSONField(_("ord som avgjorde"), default=list, blank=True)
    intent_corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    due_at = models.DateTimeField(_("svar senast"), null=True, blank=True, db_index=True)
    deadline_rule = models.CharField(_("svarstidsregel"), max_length=100, blank=True)
    deadline_text = models.CharField(_("svarstid"), max_length=200, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tilldelad"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inbox_entries",
    )
    routed_because = models.CharField(_("skäl för tilldelningen"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("skapad"))
    warned_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hanterad av"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_reason = models.CharField(
        _("skäl för avslut"), max_length=20, choices=ClosedReason.choices, blank=True
    )

    class Meta:
        verbose_name = _("ärende i inkorgen")
        verbose_name_plural = _("ärenden i inkorgen")
        indexes = [
            models.Index(fields=["organisation", "state", "due_at"], name="entry_org_state_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | Q(closed_at__gte=models.F("created_at")),
                name="entry_closed_after_created",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} ({self.get_state_display()})"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class ReplyState(models.TextChoices):
    """sending → sent | failed. A reply is recorded before it is sent."""

    SENDING = "sending", _("skickas")
    SENT = "sent", _("skickat")
    FAILED = "failed", _("misslyckades")


class Reply(models.Model):
    """A reply written in Kanalvakt and sent through the account's connector."""

    entry = models.ForeignKey(InboxEntry, on_delete=models.PROTECT, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("text"))
    template_key = models.CharField(_("mall"), max_length=80, blank=True)
    state = models.CharField(max_length=10, choices=ReplyState.choices, default=ReplyState.SENDING)
    external_id = models.CharField(_("plattformens id"), max_length=200, blank=True)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(_("skrivet"))
    sent_at = models.DateTimeField(_("skickat"), null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("svar")
        verbose_name_plural = _("svar")

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.get_state_display()}"


class Forward(models.Model):
    """An item forwarded to a case officer by e-mail."""

    entry = models.ForeignKey(InboxEntry, on_delete=models.PROTECT, related_name="forwards")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("till"),
        on_delete=models.PROTECT,
        related_name="forwards_received",
    )
    to_email = models.EmailField(_("e-postadress"))
    note = models.TextField(_("meddelande"), blank=True)
    sent_at = models.DateTimeField(_("skickat"))

    class Meta:
        ordering = ["sent_at"]
        verbose_name = _("vidarebefordran")
        verbose_name_plural = _("vidarebefordringar")

    def __str__(self) -> str:
        return f"{self.entry_id} → {self.to_email}"


class Escalation(models.Model):
    """An item lifted to the manager, the information chief or the police (INB-6)."""

    entry = models.ForeignKey(InboxEntry, on_delete=models.PROTECT, related_name="escalations")
    trigger = models.CharField(_("anledning"), max_length=30, choices=Trigger.choices)
    words = models.JSONField(_("ord som utlöste"), default=list, blank=True)
    recipients = models.JSONField(_("mottagare"), default=list)
    urgency = models.CharField(_("brådska"), max_length=20)
    evidence_export = models.BooleanField(_("bevisexport"), default=False)
    rule = models.CharField(_("regel"), max_length=200, blank=True)
    note = models.TextField(_("anteckning"), blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    raised_at = models.DateTimeField(_("lyft"))

    class Meta:
        ordering = ["raised_at"]
        verbose_name = _("eskalering")
        verbose_name_plural = _("eskaleringar")
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "trigger"], name="escalation_once_per_trigger"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.trigger}"

    @property
    def recipient_labels(self) -> list[str]:
        """The recipients in words: roles by their Swedish names, the police, IT."""
        others = {"police": _("polisen"), "it": _("IT-avdelningen")}
        return [
            str(Role(code).label if code in Role.values else others.get(code, code))
            for code in self.recipients
        ]


class PublishedPost(models.Model):
    """Who published a post or reply on an account, matched later by its platform id (INB-3)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    external_id = models.CharField(_("plattformens id"), max_length=200)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("publicerat av"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("publicerat"))

    class Meta:
        verbose_name = _("publicerat inlägg")
        verbose_name_plural = _("publicerade inlägg")
        constraints = [
            models.UniqueConstraint(
                fields=["account", "external_id"], name="published_post_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.external_id}"


class SavedFilter(models.Model):
    """A person's named inbox filter (the list page's query string), one click away."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_filters"
    )
    name = models.CharField(_("namn"), max_length=80)
    query = models.CharField(_("filter"), max_length=1000)
    created_at = models.DateTimeField(_("skapad"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("sparat filter")
        verbose_name_plural = _("sparade filter")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user", "name"], name="saved_filter_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name
