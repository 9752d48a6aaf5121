"""Explainable screening of comments against a policy's removal categories (MOD-1, 2, 6, 7).

    from kanalvakt.moderation.screening import ScreeningConfig, screen
    result = screen(text, config=ScreeningConfig.from_pack(pack))
    result.action        # "remove" | "review" | "none"
    result.findings[0]   # category, score, start, end, detector, basis, reference

Pure Python and no database: the moderation queue calls it. See docs/screening.md.
"""

from typing import TYPE_CHECKING, Any

from kanalvakt.moderation.screening.categories import CATEGORIES
from kanalvakt.moderation.screening.config import CategoryRule, ScreeningConfig

if TYPE_CHECKING:
    from kanalvakt.moderation.screening.engine import Finding, ScreeningResult, screen

__all__ = ["CATEGORIES", "CategoryRule", "Finding", "ScreeningConfig", "ScreeningResult", "screen"]
_FROM_ENGINE = frozenset({"Finding", "ScreeningResult", "screen"})


def __getattr__(name: str) -> Any:
    """The engine loads on first use: `kanalvakt screen` starts without it (issue 8)."""
    if name in _FROM_ENGINE:
        from kanalvakt.moderation.screening import engine

        return getattr(engine, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
