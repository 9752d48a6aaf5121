"""Posts the organisation writes, checks, approves and publishes (PUB-1, PUB-2, REG-3).

A post is written once and goes to one or several accounts; each account gets
a *target* with its own variant of the text where the platform differs, its
own outcome and an idempotency key, so a retry never publishes twice. What
went out is kept as a `PublishedRecord` with the exact payload.
"""

from __future__ import annotations

import datetime
import json
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kanalvakt.organisations.models import Organisation
from kanalvakt.records.models import NeverDeleted
from kanalvakt.register.models import Account


class PostState(models.TextChoices):
    """draft → submitted → approved → scheduled | published."""

    DRAFT = "draft", _("utkast")
    SUBMITTED = "submitted", _("väntar på godkännande")
    APPROVED = "approved", _("godkänt")
    SCHEDULED = "scheduled", _("schemalagt")
    PUBLISHING = "publishing", _("publiceras")
    PUBLISHED = "published", _("publicerat")


class People(models.TextChoices):
    """Who the post names or pictures (PUB-1: consent)."""

    NONE = "none", _("ingen person")
    ADULTS = "adults", _("vuxna")
    CHILDREN = "children", _("barn")


class Post(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("arbetsnamn"), max_length=200, blank=True)
    text = models.TextField(_("text"), blank=True)
    link = models.URLField(_("länk"), max_length=500, blank=True)
    people = models.CharField(
        _("personer som nämns eller syns"),
        max_length=10,
        choices=People.choices,
        default=People.NONE,
    )
    consent_recorded = models.BooleanField(_("skriftligt samtycke finns"), default=False)
    consent_note = models.CharField(_("var samtycket finns"), max_length=300, blank=True)
    other_language_separately = models.BooleanField(
        _("det andra språket publiceras som eget inlägg"), default=False
    )
    web_news = models.BooleanField(_("nyhet från webbplatsen"), default=False)
    important = models.BooleanField(_("aktuellt och viktigt (fästs)"), default=False)
    state = models.CharField(
        _("status"), max_length=12, choices=PostState.choices, default=PostState.DRAFT
    )
    scheduled_at = models.DateTimeField(_("publiceras"), null=True, blank=True, db_index=True)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("skickat för godkännande"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("godkänt"), null=True, blank=True)
    published_at = models.DateTimeField(_("publicerat"), null=True, blank=True)
    created_at = models.DateTimeField(_("skapat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrat"), auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("inlägg")
        verbose_name_plural = _("inlägg")
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="scheduled") | Q(scheduled_at__isnull=False),
                name="post_scheduled_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.text[:60] or f"#{self.pk}"


STUCK_AFTER = datetime.timedelta(minutes=15)


class TargetState(models.TextChoices):
    PENDING = "pending", _("ej publicerat")
    PUBLISHING = "publishing", _("publiceras")
    PUBLISHED = "published", _("publicerat")
    FAILED = "failed", _("misslyckades")
    NOT_CONNECTED = "not_connected", _("kontot är inte anslutet")


class PostTarget(models.Model):
    """One account a post goes to, with its own text variant and outcome."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="targets")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("egen text för kontot"), blank=True)
    pin = models.BooleanField(_("fäst inlägget"), default=False)
    idempotency_key = models.CharField(max_length=80, unique=True)
    state = models.CharField(
        _("utfall"), max_length=14, choices=TargetState.choices, default=TargetState.PENDING
    )
    external_id = models.CharField(_("plattformens id"), max_length=200, blank=True)
    url = models.URLField(_("adress"), max_length=500, blank=True)
    error = models.CharField(_("fel"), max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(_("publicerat"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["post", "account"], name="post_target_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.post} → {self.account}"

    @property
    def effective_text(self) -> str:
        return self.text or self.post.text

    @property
    def retryable(self) -> bool:
        """Failed, not connected, never tried in a post already sent, or stuck mid-call."""
        if self.state in (TargetState.FAILED, TargetState.NOT_CONNECTED):
            return True
        if self.state == TargetState.PENDING:
            return self.post.state in (PostState.PUBLISHING, PostState.PUBLISHED)
        return self.state == TargetState.PUBLISHING and self.stuck

    @property
    def stuck(self) -> bool:
        """Claimed so long ago that the worker must have died during the platform call."""
        return (
            self.state == TargetState.PUBLISHING
            and self.claimed_at is not None
            and timezone.now() - self.claimed_at > STUCK_AFTER
        )


class MediaKind(models.TextChoices):
    IMAGE = "image", _("bild")
    VIDEO = "video", _("video")


def _public_token() -> str:
    return secrets.token_urlsafe(32)


class PostMedia(models.Model):
    """An image (with alt text and rights) or a video (with captions or accompanying text)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="media")
    kind = models.CharField(_("typ"), max_length=8, choices=MediaKind.choices)
    file = models.FileField(_("fil"), upload_to="publishing/%Y/%m/")
    content_type = models.CharField(max_length=100)
    alt_text = models.TextField(_("alternativtext"), blank=True)
    rights_holder = models.CharField(
        _("fotograf eller rättighetsinnehavare"), max_length=200, blank=True
    )
    rights_confirmed = models.BooleanField(_("rätten att publicera är klarlagd"), default=False)
    captions = models.FileField(
        _("textfil (WebVTT eller SRT)"), upload_to="publishing/%Y/%m/", blank=True
    )
    accompanying_text = models.TextField(_("medföljande text"), blank=True)
    public_token = models.CharField(max_length=64, default=_public_token, db_index=True)
    """Names the file at a public address once the post is approved, for platforms that
    fetch media themselves (Instagram)."""
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.file.name or ""


class PublishedRecord(NeverDeleted):
    """What went out on one account, byte for byte, and what the pack says about registering it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    target = models.OneToOneField(PostTarget, on_delete=models.PROTECT, related_name="record")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    payload = models.JSONField(_("innehåll som skickades"))
    payload_sha256 = models.CharField(max_length=64)
    response = models.TextField(_("plattformens svar"), blank=True)
    external_id = models.CharField(_("plattformens id"), max_length=200)
    url = models.URLField(_("adress"), max_length=500, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("publicerat"))
    record_kind = models.CharField(_("handlingstyp"), max_length=40, default="own_content")
    decision = models.CharField(_("bedömning"), max_length=20)
    rule_path = models.CharField(_("regel"), max_length=200, blank=True)
    rule_source = models.CharField(_("källa"), max_length=500, blank=True)
    record_number = models.CharField(_("diarienummer"), max_length=80, blank=True)

    class Meta:
        ordering = ["-published_at"]
        verbose_name = _("publicerad handling")
        verbose_name_plural = _("publicerade handlingar")

    def __str__(self) -> str:
        return self.record_number or f"{self.account} {self.external_id}"

    @property
    def payload_text(self) -> str:
        return json.dumps(self.payload, indent=2, ensure_ascii=False, sort_keys=True)
