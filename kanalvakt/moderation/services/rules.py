"""What the organisation's pack asks of moderation: deadline, screening, self-harm."""

from __future__ import annotations

from kanalvakt.moderation.screening.config import ScreeningConfig
from kanalvakt.moderation.screening.learned import Model
from kanalvakt.moderation.services.learning import active_model
from kanalvakt.organisations.models import Organisation, Role
from kanalvakt.policies.pack import Pack

# Sharp criticism can look like these categories. When a pack's
# `moderation.never_auto_hide` names a criticism intent, the machine never hides
# them on its own: a person decides (MOD-5 of issue 4).
CRITICISM_LOOKALIKES = frozenset({"personal_attack", "defamation", "obscenity", "advertising"})
CRITICISM_INTENTS = frozenset({"factual_criticism", "unfair_criticism", "negative_feedback"})


# Who hears at once of a possible self-harm comment, and the reply to offer,
# when the pack does not say (issue 8; the packs' `moderation.self_harm`).
DEFAULT_SELF_HARM_ROLES = (Role.COMMS_LEAD, Role.ACCOUNT_OWNER)
DEFAULT_SELF_HARM_REPLY = {
    "sv": "Vi har läst det du skriver och vi bryr oss om hur du mår. Du är inte ensam. "
    "Ring Självmordslinjen på 90101 (dygnet runt) eller 1177. Är det akut, ring 112.",
    "fi": "Luimme viestisi ja välitämme siitä, miten voit. Et ole yksin. Soita MIELI ry:n "
    "kriisipuhelimeen 09 2525 0111. Hätätilanteessa soita 112.",
}


def _pack(organisation: Organisation) -> Pack | None:
    version = organisation.policy_version
    return version.pack if version is not None else None


def screening_config(organisation: Organisation, *, model: Model | None = None) -> ScreeningConfig:
    pack = _pack(organisation)
    model = model or active_model()
    if pack is None:
        return ScreeningConfig.default(model=model)
    return ScreeningConfig.from_pack(pack, model=model)


def deadline_hours(organisation: Organisation) -> int | None:
    """The pack's `moderation.deadline_hours`; None when the pack sets no deadline."""
    pack = _pack(organisation)
    value = pack.value("moderation.deadline_hours") if pack else None
    return int(value) if value else None


def never_auto_hide(organisation: Organisation) -> frozenset[str]:
    """The intents the pack's `moderation.never_auto_hide` says the machine never hides."""
    pack = _pack(organisation)
    value = pack.value("moderation.never_auto_hide") if pack else None
    return frozenset(str(intent) for intent in value) if isinstance(value, list) else frozenset()


def self_harm_support(organisation: Organisation) -> tuple[list[str], dict[str, str]]:
    """Who the pack alerts about a possible self-harm comment, and its supportive reply."""
    pack = _pack(organisation)
    value = pack.value("moderation.self_harm") if pack else None
    if not isinstance(value, dict):
        return list(DEFAULT_SELF_HARM_ROLES), dict(DEFAULT_SELF_HARM_REPLY)
    roles = [str(role) for role in value.get("notify") or DEFAULT_SELF_HARM_ROLES]
    reply = {str(k): str(v) for k, v in (value.get("reply") or DEFAULT_SELF_HARM_REPLY).items()}
    return roles, reply
