"""What an account lacks under the policy in force (REG-4, REG-6, REG-7, SEC-1).

Each check reads one rule of the pack. A rule the source is silent on is
checked only when the pack gives the organisation's own default value, and the
warning then says so. A rule the policy words as advice ("bör", "gärna", "i mån
av möjlighet"; `advisory: true` in the pack) warns amber, never red.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kanalvakt.policies.pack import Pack, Rule
from kanalvakt.register.attestations import attestation_label, attested_rules
from kanalvakt.register.models import Account, AccountStatus, LoginEmailKind

SOON_DAYS = 30


class Severity(StrEnum):
    RED = "red"
    AMBER = "amber"


@dataclass(frozen=True)
class Warning:
    code: str
    severity: Severity
    message: str
    rule: Rule | None

    @property
    def from_policy(self) -> bool:
        return self.rule is not None and self.rule.source is not None


Check = Callable[[Account, Pack, datetime.date], Iterator[Warning]]


def _rule(pack: Pack, path: str) -> Rule | None:
    rule = pack.rule(path)
    return rule if rule is not None and rule.has_value and rule.value is not False else None


def _admins(account: Account, pack: Pack, today: datetime.date) -> Iterator[Warning]:
    admins = list(account.admins.all())
    minimum = _rule(pack, "accounts.min_admins")
    ordinary = [admin for admin in admins if not admin.is_web_manager]
    if minimum is not None and len(ordinary) < int(minimum.value):
        yield Warning(
            "admins.too_few",
            Severity.RED,
            ngettext(
                "Kontot har %(count)d administratör; policyn kräver minst %(minimum)d.",
                "Kontot har %(count)d administratörer; policyn kräver minst %(minimum)d.",
                len(ordinary),
            )
            % {"count": len(ordinary), "minimum": int(minimum.value)},
            minimum,
        )
    web_manager = _rule(pack, "accounts.web_manager_admin")
    if web_manager is not None and not any(admin.is_web_manager for admin in admins):
        yield Warning(
            "admins.no_web_manager",
            Severity.RED,
            _("Webbansvarig saknas bland kontots administratörer."),
            web_manager,
        )


def _substitute(account: Account, pack: Pack, today: datetime.date) -> Iterator[Warning]:
    rule = _rule(pack, "accounts.substitute_required")
    if rule is not None and account.substitute_id is None:
        yield Warning(
            "substitute.missing",
            Severity.RED,
            _("Ingen ersättare är utsedd för när den kontoansvariga är borta."),
            rule,
        )


def _mandates(account: Account, pack: Pack, today: datetime.date) -> Iterator[Warning]:
    rule = _rule(pack, "mandates.required")
    if rule is None:
        return
    mandates = [mandate for mandate in account.mandates.all() if mandate.revoked_at is None]
    valid = [
        mandate
        for mandate in mandates
        if mandate.valid_from <= today
        and (mandate.valid_until is None or mandate.valid_until >= today)
    ]
    for mandate in mandates:
        if mandate.valid_until is not None and mandate.valid_until < today:
            yield Warning(
                "mandate.expired",
                Severity.RED,
                _("Uppdraget för %(holder)s gick ut %(date)s.")
                % {"holder": mandate.holder, "date": mandate.valid_until.isoformat()},
                rule,
            )
        elif (
            mandate.valid_until is not None
            and mandate in valid
            and (mandate.valid_until - today).days <= SOON_DAYS
        ):
            yield Warning(
                "mandate.expiring",
                Severity.AMBER,
                _("Uppdraget för %(holder)s går ut %(date)s.")
                % {"holder": mandate.holder, "date": mandate.valid_until.isoformat()},
                rule,
            )
    if not valid:
        yield Warning(
            "mandate.none",
            Severity.RED,
            _("Ingen har ett giltigt uppdrag att publicera på kontot."),
            rule,
        )


def _passive(account: Account, pack: Pack, today: datetime.date) -> Iterator[Warning]:
    rule = _rule(pack, "accounts.passive_after_days")
    if rule is None:
        return
    limit = int(rule.value)
    if account.last_published_at is not None:
        last = account.last_published_at.date()
    elif account.opened_on is not None:
        last = account.opened_on
    else:
        return
    idle = (today - last).days
    if idle > limit:
        yield Warning(
            "account.passive",
            Severity.RED,
            _(
                "Kontot har inte uppdaterats på %(days)d dagar (gräns %(limit)d). "
                "Passiva konton ska stängas."
            )
            % {"days": idle, "limit": limit},
            rule,
        )


def _profile(account: Account, pack: Pack, today: datetime.date) -> Iterator[Warning]:
    checks = {check.requirement: check for check in account.profile_checks.all()}
    for rule in pack.rule_list("profile"):
        key = rule.value.get("key")
        check = checks.get(key)
        if check is None or not check.satisfied:
            yield Warning(
                f"profile.{key}",
                Severity.RED if check is not None else Severity.AMBER,
                (
                    _("Profilen saknar: %(label)s.")
                    if check is not None
                    else _("Ej kontrollerat i profilen: %(label)s.")
                )
                % {"label": rule.value.get("label", key)},
                rule,
            )


def _security(account: Account, pack: Pack, today: datetime.date) -> Iterator[Warning]:
    rule = _rule(pack, "accounts.password_max_age_days")
    if rule is not None:
        if account.password_changed_on is None:
            yield Warning(
                "security.password_unknown",
                Severity.AMBER,
                _("Det är inte registrerat när lösenordet senast byttes."),
                rule,
            )
        else:
            age = (today - account.password_changed_on).days
            if age > int(rule.value):
                yield Warning(
                    "security.password_old",
                    Severity.RED,
                    _("Lösenordet byttes för %(days)d dagar sedan (gräns %(limit)d).")
                    % {"days": age, "limit": int(rule.value)},
                    rule,
                )
    rule = _rule(pack, "accounts.two_factor_required")
    if rule is not None and not account.two_factor_enabled:
        yield Warning(
            "security.no_2fa", Severity.RED, _("Tvåstegsverifiering är inte påslagen."), rule
        )
    rule = _rule(pack, "accounts.shared_credentials")
    if rule is not None and not account.credentials_location.strip():
        yield Warning(
            "security.credentials_location",
            Severity.RED,
            _("Det är inte angivet var inloggningsuppgifterna förvaras så att flera når dem."),
            rule,
        )
    rule = _rule(pack, "accounts.work_email")
    if rule is not None and account.login_email_kind != LoginEmailKind.WORK:
        yield Warning(
            "security.personal_email",
            Severity.AMBER,
            _("Kontot är inte registrerat med en e-postadress i tjänsten."),
            rule,
        )


def _attested(account: Account, pack: Pack, today: datetime.date) -> Iterator[Warning]:
    checks = {check.requirement: check for check in account.profile_checks.all()}
    for rule in attested_rules(pack):
        check = checks.get(rule.path)
        if check is not None and check.satisfied:
            continue
        yield Warning(
            f"attested.{rule.path.split('.', 1)[1]}",
            Severity.RED if check is not None else Severity.AMBER,
            (
                _("Uppfylls inte: %(label)s.")
                if check is not None
                else _("Ej bekräftat för kontot: %(label)s.")
            )
            % {"label": attestation_label(rule)},
            rule,
        )


CHECKS: tuple[Check, ...] = (
    _admins,
    _substitute,
    _mandates,
    _passive,
    _profile,
    _security,
    _attested,
)


def _as_advice(warning: Warning) -> Warning:
    if warning.severity == Severity.RED and warning.rule is not None and warning.rule.advisory:
        return Warning(warning.code, Severity.AMBER, warning.message, warning.rule)
    return warning


def account_warnings(account: Account, *, pack: Pack | None, today: datetime.date) -> list[Warning]:
    """Everything the account lacks under the pack, red before amber.

    Expects `admins`, `mandates__holder` and `profile_checks` prefetched when
    called for many accounts.
    """
    if pack is None or account.status not in (AccountStatus.ACTIVE, AccountStatus.CLOSING):
        return []
    warnings = [_as_advice(warning) for check in CHECKS for warning in check(account, pack, today)]
    return sorted(warnings, key=lambda warning: warning.severity != Severity.RED)
