"""The public register of official accounts (REG-2).

One function builds the rows; the page, the JSON and the CSV all render the
same rows, so the exports hold exactly what the page shows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kanalvakt.lib.csvsafe import csv_safe as _csv_safe
from kanalvakt.organisations.models import Organisation
from kanalvakt.register.models import Account
from kanalvakt.register.selectors import public_account_list

LANGUAGE_NAMES = {"sv": "svenska", "fi": "finska", "en": "engelska"}

# (key, label) in the order the page shows them. Labels are translated when used.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("platform", "Plattform"),
    ("name", "Namn"),
    ("handle", "Kontonamn"),
    ("url", "Adress"),
    ("unit", "Ansvarig enhet"),
    ("purpose", "Syfte"),
    ("audience", "Målgrupp"),
    ("responsible", "Ansvarig"),
    ("contact", "Kontakt"),
    ("languages", "Språk"),
    ("status", "Status"),
    ("opened_on", "Öppnat"),
    ("closed_on", "Stängt"),
    ("changed_on", "Uppgifterna ändrade"),
)


@dataclass(frozen=True)
class PublicRegister:
    organisation: Organisation
    language: str
    rows: list[dict[str, str]]
    last_changed: datetime.date | None

    @property
    def organisation_name(self) -> str:
        if self.language == "fi" and self.organisation.name_fi:
            return self.organisation.name_fi
        return self.organisation.name

    def table(self) -> list[list[tuple[str, str]]]:
        """Each row as (column key, text) pairs in the order of the shown columns."""
        keys = [key for key, _label in COLUMNS if key in public_fields(self.organisation)]
        return [[(key, row.get(key, "")) for key in keys] for row in self.rows]

    def columns(self) -> list[tuple[str, str]]:
        shown = public_fields(self.organisation)
        with translation.override(self.language):
            return [(key, _(label)) for key, label in COLUMNS if key in shown]


def _row(account: Account, language: str) -> dict[str, str]:
    finnish = language == "fi"
    unit = account.unit
    return {
        "platform": account.get_platform_display(),
        "name": account.display_name,
        "handle": account.handle,
        "url": account.url,
        "unit": (unit.name_fi or unit.name) if finnish else unit.name,
        "purpose": (account.purpose_fi or account.purpose) if finnish else account.purpose,
        "audience": (account.audience_fi or account.audience) if finnish else account.audience,
        "responsible": account.responsible.get_full_name() or account.responsible.username,
        "contact": account.contact,
        "languages": ", ".join(_(LANGUAGE_NAMES.get(code, code)) for code in account.languages),
        "status": str(account.get_status_display()),
        "opened_on": account.opened_on.isoformat() if account.opened_on else "",
        "closed_on": account.closed_on.isoformat() if account.closed_on else "",
        "changed_on": _changed_on(account),
    }


def _changed_on(account: Account) -> str:
    """When the register's facts about the account were last changed here (else when opened)."""
    if account.register_changed_at is not None:
        return timezone.localtime(account.register_changed_at).date().isoformat()
    return account.opened_on.isoformat() if account.opened_on else ""


ALWAYS_PUBLIC = ("status", "opened_on", "closed_on", "changed_on")


def public_fields(organisation: Organisation) -> set[str]:
    """The columns the pack's `accounts.public_register` makes public (all when it lists none).

    Status and the opening and closing dates are always shown, so a reader can
    tell whether records still arise on an account.
    """
    version = organisation.policy_version
    value = version.pack.value("accounts.public_register") if version is not None else None
    if isinstance(value, dict) and value.get("fields"):
        return {str(field) for field in value["fields"]} | set(ALWAYS_PUBLIC)
    return {key for key, _label in COLUMNS}


def public_register(*, organisation: Organisation, language: str) -> PublicRegister:
    if language not in organisation.public_languages:
        language = organisation.public_languages[0] if organisation.public_languages else "sv"
    accounts = public_account_list(organisation=organisation)
    shown = public_fields(organisation)
    with translation.override(language):
        rows = [
            {key: text for key, text in _row(account, language).items() if key in shown}
            for account in accounts
        ]
    changed = accounts.aggregate(last=Max("updated_at"))["last"]
    return PublicRegister(
        organisation=organisation,
        language=language,
        rows=rows,
        last_changed=changed.date() if changed else None,
    )


# Kept for code that imported it from here; every CSV goes through kanalvakt.lib.csvsafe.
csv_safe = _csv_safe
