"""Listening (INB-7): what is said about the organisation in sources it does not own.

Mentions are kept apart from the inbox: they are not messages to the
organisation and not public records, unless a person takes one in
(`taken_in_at`), which is recorded and audited.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SourceKind(models.TextChoices):
    MASTODON_HASHTAG = "mastodon_hashtag", _("Mastodon, hashtagg")
    MASTODON_SEARCH = "mastodon_search", _("Mastodon, sökning")
    BLUESKY_SEARCH = "bluesky_search", _("Bluesky, sökning")
    X_SEARCH = "x_search", _("X, sökning")
    YOUTUBE_SEARCH = "youtube_search", _("YouTube, sökning")
    FEED = "feed", _("RSS- eller Atom-flöde")


class ListeningSource(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("källa"), max_length=20, choices=SourceKind.choices)
    query = models.CharField(_("sökord, hashtagg eller flödets adress"), max_length=500)
    terms = models.CharField(_("ord som ska nämnas (flöden)"), max_length=500, blank=True)
    instance = models.CharField(_("Mastodon-server"), max_length=200, blank=True)
    enabled = models.BooleanField(_("aktiv"), default=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(_("tillagd"))
    last_polled_at = models.DateTimeField(_("senast hämtad"), null=True, blank=True)
    last_error = models.CharField(_("senaste fel"), max_length=300, blank=True)

    class Meta:
        ordering = ["kind", "query"]
        verbose_name = _("bevakad källa")
        verbose_name_plural = _("bevakade källor")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.query}"


class Mention(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    source = models.ForeignKey(ListeningSource, on_delete=models.PROTECT, related_name="mentions")
    external_id = models.CharField(max_length=300)
    url = models.URLField(_("adress"), max_length=1000, blank=True)
    author = models.CharField(_("avsändare"), max_length=300, blank=True)
    text = models.TextField(_("text"))
    published_at = models.DateTimeField(_("publicerad"), null=True, blank=True)
    found_at = models.DateTimeField(_("hittad"), db_index=True)
    taken_in_at = models.DateTimeField(_("tagen in"), null=True, blank=True)
    taken_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    taken_in_note = models.TextField(_("anteckning"), blank=True)

    class Meta:
        ordering = ["-found_at", "-pk"]
        verbose_name = _("omnämnande")
        verbose_name_plural = _("omnämnanden")
        constraints = [
            models.UniqueConstraint(fields=["source", "external_id"], name="mention_unique"),
        ]
        indexes = [models.Index(fields=["organisation", "found_at"])]

    def __str__(self) -> str:
        return f"{self.source_id}: {self.external_id}"


class ListeningAlert(models.Model):
    """Many more mentions than usual in a day: someone should look."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("tid"))
    count = models.PositiveIntegerField(_("omnämnanden senaste dygnet"))
    baseline = models.FloatField(_("vanligt antal per dygn"))

    class Meta:
        ordering = ["-at"]
        verbose_name = _("larm om ökning")
        verbose_name_plural = _("larm om ökning")

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.count} ({self.at:%Y-%m-%d})"
