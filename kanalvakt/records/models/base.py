"""What every record model shares: it is never hard-deleted."""

from __future__ import annotations

from typing import Any

from django.db import models


class NeverDeleted(models.Model):
    class Meta:
        abstract = True

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise RuntimeError(f"{self._meta.verbose_name} raderas aldrig (STYLE 9).")
