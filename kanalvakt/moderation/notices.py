"""Texts the moderation pages take from the pack: the notice to a poster, the moderation notice."""

from __future__ import annotations

from kanalvakt.moderation.models import ModerationCase
from kanalvakt.organisations.models import User
from kanalvakt.policies.pack import Pack
from kanalvakt.register.models import Account


def _pack(account: Account) -> Pack | None:
    version = account.organisation.policy_version
    return version.pack if version is not None else None


def notify_categories(pack: Pack) -> set[str]:
    """Categories whose removal the pack says the poster is told about (Degerfors: adverts)."""
    return {
        str(rule.value.get("category"))
        for rule in pack.rule_list("moderation.categories")
        if isinstance(rule.value, dict) and rule.value.get("notify_poster")
    }


def poster_notice(case: ModerationCase, *, writer: User) -> str:
    """The pack's template for telling a poster their comment was removed, filled in."""
    pack = _pack(case.account)
    if pack is None:
        return ""
    wanted = notify_categories(pack) & set(case.categories)
    if not wanted:
        return ""
    language = "fi" if case.item.language_hint == "fi" else "sv"
    for rule in pack.rule_list("reply_templates"):
        value = rule.value if isinstance(rule.value, dict) else {}
        if wanted & set(value.get("intents", [])):
            bodies = value.get("body", {})
            body = str(bodies.get(language) or bodies.get("sv") or "")
            return body.replace("{organisation}", case.organisation.name).replace(
                "{name}", writer.get_full_name() or writer.username
            )
    return ""


def moderation_notice(account: Account) -> dict[str, str]:
    """The moderation notice the pack asks each account to publish (MOD-5), by language."""
    pack = _pack(account)
    value = pack.value("moderation.notice") if pack else None
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}
