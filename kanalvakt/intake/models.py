"""How Kanalvakt reaches each account on its platform, and imports of export archives.

An `AccountConnection` holds what polling and replies need: the platform-side
id, the instance or PDS, the access token (encrypted at rest, see
`kanalvakt.intake.tokens`), when the token lapses, the poll cursor and the
account's alert. An `ImportJob` records how far an archive import got, so an
interrupted import resumes where it stopped.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kanalvakt.organisations.models import Organisation
from kanalvakt.register.models import Account


class AlertState(models.TextChoices):
    """What is wrong with an account's connection.

    none → expiring (the token lapses within the warning period)
    none | expiring → expired (the platform rejected the token, or its expiry passed)
    expiring | expired → none (a new token is saved, or a check finds it valid again)
    The account's responsible person gets one e-mail per raised alert.
    """

    NONE = "none", _("inget larm")
    EXPIRING = "expiring", _("token går snart ut")
    EXPIRED = "expired", _("token har gått ut eller underkänts")


class AccountConnection(models.Model):
    """One register account's link to its platform (one per account)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    account = models.OneToOneField(Account, on_delete=models.PROTECT, related_name="connection")
    external_id = models.CharField(
        _("plattformens id för kontot"),
        max_length=200,
        blank=True,
        help_text=_("Sidans, kanalens eller användarens id; tomt = registrets id."),
    )
    base_url = models.URLField(
        _("server"),
        max_length=300,
        blank=True,
        help_text=_("Mastodon-instansen eller Bluesky-servern (PDS), t.ex. https://mastodon.nu."),
    )
    token_encrypted = models.TextField(blank=True)
    refresh_token_encrypted = models.TextField(blank=True)
    """The platform's OAuth refresh token (Fernet), renewed in the background."""
    """The access token; for Bluesky an app password, from which sessions are made."""
    session_encrypted = models.TextField(blank=True)
    """Bluesky: the current session's access JWT (about 2 h), renewed when rejected."""
    token_expires_at = models.DateTimeField(_("token går ut"), null=True, blank=True)
    connector_settings = models.JSONField(default=dict, blank=True)
    poll_enabled = models.BooleanField(_("hämta automatiskt"), default=True)
    poll_interval_minutes = models.PositiveIntegerField(
        _("hämtningsintervall (minuter)"), null=True, blank=True
    )
    poll_cursor = models.CharField(max_length=500, blank=True)
    next_poll_at = models.DateTimeField(_("nästa hämtning"), null=True, blank=True, db_index=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_polled_at = models.DateTimeField(_("senast hämtat"), null=True, blank=True)
    last_error = models.CharField(_("senaste fel"), max_length=500, blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveIntegerField(default=0)
    alert = models.CharField(
        _("larm"), max_length=20, choices=AlertState.choices, default=AlertState.NONE
    )
    alert_message = models.CharField(max_length=300, blank=True)
    alert_since = models.DateTimeField(null=True, blank=True)
    alert_notified_at = models.DateTimeField(null=True, blank=True)
    connected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("ansluten"))
    updated_at = models.DateTimeField(_("ändrad"))

    class Meta:
        verbose_name = _("anslutning")
        verbose_name_plural = _("anslutningar")
        constraints = [
            models.CheckConstraint(
                condition=~Q(alert="none") | Q(alert_since__isnull=True),
                name="connection_alert_since_only_with_alert",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account}"

    @property
    def has_token(self) -> bool:
        return bool(self.token_encrypted)


class ImportState(models.TextChoices):
    """running → finished | failed (bad input) | interrupted (stopped by a person or a signal)
    failed | interrupted | running (a killed process) → running (resumed with --resume)
    """

    RUNNING = "running", _("pågår")
    FINISHED = "finished", _("klar")
    FAILED = "failed", _("fel i filen")
    INTERRUPTED = "interrupted", _("avbruten")


class ImportJob(models.Model):
    """One import of an export archive file into an account, with its reader position."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="import_jobs")
    format = models.CharField(_("format"), max_length=20)
    reader = models.CharField(_("filtyp"), max_length=40)
    file_name = models.CharField(_("fil"), max_length=500)
    file_size = models.PositiveBigIntegerField(_("storlek"))
    file_fingerprint = models.CharField(max_length=64)
    """SHA-256 of the first 1 MiB and the size: a resumed import must read the same file."""
    state = models.CharField(
        _("status"), max_length=20, choices=ImportState.choices, default=ImportState.RUNNING
    )
    position = models.BigIntegerField(default=-1)
    """The reader position of the last stored entry (-1: none yet)."""
    new_count = models.PositiveBigIntegerField(_("nya"), default=0)
    known_count = models.PositiveBigIntegerField(_("redan kända"), default=0)
    edited_count = models.PositiveBigIntegerField(_("ändrade"), default=0)
    deleted_count = models.PositiveBigIntegerField(_("raderade"), default=0)
    error = models.TextField(_("fel"), blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(_("startad"))
    updated_at = models.DateTimeField(_("senast framsteg"))
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("import")
        verbose_name_plural = _("importer")
        indexes = [models.Index(fields=["account", "reader", "file_fingerprint", "state"])]
        constraints = [
            models.CheckConstraint(condition=Q(position__gte=-1), name="import_position_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} → {self.account} ({self.get_state_display()})"

    @property
    def processed(self) -> int:
        return self.position + 1


class OAuthGrant(models.Model):
    """One person's visit to a platform's consent page: started here, finished once at the
    callback, within ten minutes, by the same person (the `state` of RFC 6749 §10.12)."""

    state = models.CharField(max_length=100, unique=True)
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    verifier_encrypted = models.TextField()
    redirect_uri = models.URLField(max_length=500)
    base_url = models.URLField(max_length=300, blank=True)
    """Mastodon: the server the person signs in on."""
    created_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"OAuth {self.account} ({self.created_at:%Y-%m-%d %H:%M})"


class OAuthClient(models.Model):
    """Kanalvakt's app on one Mastodon server, registered there the first time it is needed."""

    platform = models.CharField(max_length=20)
    base_url = models.URLField(max_length=300)
    client_id = models.CharField(max_length=300)
    client_secret_encrypted = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["platform", "base_url"], name="oauth_client_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.platform} {self.base_url}"
