"""What the screening may suggest, taken from a policy pack's moderation rules."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from kanalvakt.moderation.screening.categories import CATEGORIES, DEFAULT_STATUTES

if TYPE_CHECKING:
    from kanalvakt.moderation.screening.learned import Model
    from kanalvakt.policies.pack import Pack


@dataclass(frozen=True)
class CategoryRule:
    """One of the pack's moderation categories: what to do and on what ground."""

    category: str
    action: str  # remove | review
    basis: str  # law | policy
    statute: str = ""
    wording: str = ""
    clause: str = ""  # where the policy says it: "file – section"
    auto_hide: bool = False

    @property
    def reference(self) -> str:
        """The statute for a ground in law, otherwise the policy's clause."""
        parts = [self.statute] if self.basis == "law" and self.statute else []
        if self.wording:
            parts.append(f"”{self.wording}”")
        if self.clause:
            parts.append(self.clause)
        return "; ".join(parts)


_DEFAULT_POLICY_REMOVE = (
    "personal_attack",
    "obscenity",
    "sexual_harassment",
    "advertising",
    "personal_data",
)
_DEFAULT_LAW = (
    "hate_speech",
    "threat",
    "incitement",
    "violence_depiction",
    "pornography",
    "copyright",
)


LEARNED_REVIEW = ("normal", "fewer", "never")
"""How often the learned scorer alone may send a comment to review (the pack's
`moderation.learned_review`): at the model's own threshold, only where it is
surer (FEWER_REVIEWS_AT), or never; the rules are not affected."""
FEWER_REVIEWS_AT = 0.7
"""The review head's probability for "fewer": on held-out writers it sends about
half as many acceptable comments to review as the model's own threshold
(`bench/screening/generalise.py`, docs/screening.md)."""


@dataclass(frozen=True)
class ScreeningConfig:
    """Rules per category plus thresholds.

    A finding is reported when its score reaches `review_threshold`. It is
    suggested for removal only when the pack lists its category with action
    `remove` and the score reaches `remove_threshold`; otherwise a person
    reviews it. Findings of the learned scorer are only ever reviewed unless
    `learned_may_remove` is set.
    """

    rules: Mapping[str, CategoryRule]
    remove_threshold: float = 0.85
    review_threshold: float = 0.5
    public_events_exempt: bool = False
    use_learned: bool = True
    learned_may_remove: bool = False
    model: Model | None = field(default=None, compare=False)
    pack_id: str = ""
    learned_review: str = "normal"

    @classmethod
    def default(cls, **options: Any) -> ScreeningConfig:
        """A sane configuration for tests and for organisations without a pack."""
        rules = {}
        for category in CATEGORIES:
            if category in _DEFAULT_LAW:
                rules[category] = CategoryRule(
                    category, "remove", "law", DEFAULT_STATUTES.get(category, "")
                )
            elif category in _DEFAULT_POLICY_REMOVE:
                rules[category] = CategoryRule(category, "remove", "policy")
            else:
                rules[category] = CategoryRule(category, "review", "policy")
        return cls(rules=MappingProxyType(rules), **options)

    @classmethod
    def from_pack(cls, pack: Pack, **options: Any) -> ScreeningConfig:
        """The rules of `pack`'s `moderation.categories`; thresholds from `options`."""
        rules: dict[str, CategoryRule] = {}
        for rule in pack.rule_list("moderation.categories"):
            value = rule.value if isinstance(rule.value, dict) else {}
            category = str(value.get("category", ""))
            if category not in CATEGORIES:
                continue
            basis = "law" if value.get("basis") == "law" else "policy"
            statute = str(value.get("statute") or "")
            if basis == "law" and not statute:
                statute = DEFAULT_STATUTES.get(category, "")
            rules[category] = CategoryRule(
                category=category,
                action="remove" if value.get("action") == "remove" else "review",
                basis=basis,
                statute=statute,
                wording=str(value.get("wording") or ""),
                clause=str(rule.source) if rule.source else "",
                auto_hide=bool(value.get("auto_hide", False)),
            )
        options.setdefault(
            "public_events_exempt",
            bool(pack.value("moderation.advertising_public_events_allowed", False)),
        )
        learned_review = pack.value("moderation.learned_review", "normal")
        options.setdefault(
            "learned_review", learned_review if learned_review in LEARNED_REVIEW else "normal"
        )
        return cls(rules=MappingProxyType(rules), pack_id=pack.id, **options)

    def rule(self, category: str) -> CategoryRule | None:
        return self.rules.get(category)

    def learned_review_floor(self, head_threshold: float) -> float:
        """The least score of a review-head finding this configuration keeps.

        The learned scorer rescales the head's probability so that its own
        threshold `head_threshold` scores 0.5 and certainty 1.
        """
        if self.learned_review == "never":
            return math.inf
        if self.learned_review == "fewer" and head_threshold < FEWER_REVIEWS_AT:
            return 0.5 + 0.5 * (FEWER_REVIEWS_AT - head_threshold) / (1.0 - head_threshold)
        return 0.0
