"""How a demo organisation is described: its units, people, accounts and deliberate breaches."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DemoAccount:
    platform: str
    handle: str
    display_name: str
    url: str
    unit: str
    purpose: str
    audience: str
    languages: tuple[str, ...] = ("sv",)
    purpose_fi: str = ""
    audience_fi: str = ""
    # Breaches to leave in place: "one_admin", "no_web_manager", "no_substitute",
    # "passive", "expired_mandate", "no_mandate", "profile_gap", "old_password",
    # "no_2fa", "no_credentials_location", "personal_email".
    breaches: tuple[str, ...] = ()
    status: str = "active"


@dataclass(frozen=True)
class DemoOrganisation:
    pack: str
    slug: str
    name: str
    kind: str
    country: str
    website: str
    switchboard: str
    units: tuple[tuple[str, str, str], ...]  # (name, kind, name_fi)
    people: tuple[tuple[str, str, str, str], ...]  # (username, first, last, role)
    accounts: tuple[DemoAccount, ...]
    name_fi: str = ""
    public_languages: tuple[str, ...] = ("sv",)
    pending_open: DemoAccount | None = None
    extra: dict[str, str] = field(default_factory=dict)
