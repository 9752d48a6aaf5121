"""What the stand-in platform holds: objects created on it and what was done to them.

The stand-in plays the platforms in the demo; it is not part of the product,
so its writes are the platform's own, not Kanalvakt services, and not audited.
"""

from __future__ import annotations

from django.db import models


class StandinState(models.TextChoices):
    VISIBLE = "visible", "synlig"
    HIDDEN = "hidden", "dold"
    REMOVED = "removed", "borttagen"


class StandinObject(models.Model):
    """A post, comment, reply or uploaded file on the stand-in platform."""

    platform = models.CharField(max_length=20)
    account = models.CharField(max_length=300, blank=True)
    external_id = models.CharField(max_length=300)
    kind = models.CharField(max_length=20)
    parent_external_id = models.CharField(max_length=300, blank=True)
    text = models.TextField(blank=True)
    state = models.CharField(
        max_length=10, choices=StandinState.choices, default=StandinState.VISIBLE
    )
    key = models.CharField(max_length=200, blank=True)
    """Idempotency key (Mastodon) or record key (Bluesky) the object was created with."""
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "external_id"], name="standin_object_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.platform} {self.kind} {self.external_id}"


class StandinEvent(models.Model):
    """One call that changed something: shown on the stand-in's overview page."""

    platform = models.CharField(max_length=20)
    action = models.CharField(max_length=20)
    external_id = models.CharField(max_length=300)
    summary = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.platform} {self.action} {self.external_id}"
