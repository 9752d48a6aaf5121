"""Organisation-scoped reads of the account register."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from kanalvakt.organisations.models import Organisation, Role, User
from kanalvakt.organisations.permissions import has_role
from kanalvakt.organisations.selectors import get_organisation_for_user
from kanalvakt.policies.models import PolicyAcknowledgement
from kanalvakt.policies.pack import Pack
from kanalvakt.register.models import (
    Account,
    AccountRequest,
    AccountStatus,
    Mandate,
)
from kanalvakt.register.warnings import Warning, account_warnings

PUBLIC_STATUSES = (AccountStatus.ACTIVE, AccountStatus.CLOSING, AccountStatus.CLOSED)


def _with_register_relations(accounts: QuerySet[Account]) -> QuerySet[Account]:
    return accounts.select_related("unit", "responsible", "substitute").prefetch_related(
        "admins__user",
        Prefetch("mandates", queryset=Mandate.objects.select_related("holder")),
        "profile_checks",
    )


def account_list(*, organisation: Organisation) -> QuerySet[Account]:
    return _with_register_relations(Account.objects.filter(organisation=organisation))


def get_account_for_user(request: HttpRequest, slug: str, pk: int) -> Account:
    organisation = get_organisation_for_user(request, slug)
    return get_object_or_404(account_list(organisation=organisation), pk=pk)


def get_mandate_for_user(request: HttpRequest, slug: str, pk: int) -> Mandate:
    organisation = get_organisation_for_user(request, slug)
    return get_object_or_404(
        Mandate.objects.filter(organisation=organisation).select_related("holder", "granted_by"),
        pk=pk,
    )


def get_request_for_user(request: HttpRequest, slug: str, pk: int) -> AccountRequest:
    organisation = get_organisation_for_user(request, slug)
    return get_object_or_404(
        AccountRequest.objects.filter(organisation=organisation).select_related(
            "account", "requested_by"
        ),
        pk=pk,
    )


@dataclass(frozen=True)
class AccountRow:
    account: Account
    warnings: list[Warning]
    today: datetime.date

    @property
    def publishers(self) -> list[str]:
        """Holders of a mandate valid today (from the prefetched mandates)."""
        return sorted(
            {
                str(mandate.holder)
                for mandate in self.account.mandates.all()
                if mandate.revoked_at is None
                and mandate.valid_from <= self.today
                and (mandate.valid_until is None or mandate.valid_until >= self.today)
            }
        )

    @property
    def red(self) -> int:
        return sum(1 for warning in self.warnings if warning.severity == "red")


def account_rows(*, organisation: Organisation, today: datetime.date) -> list[AccountRow]:
    """Every account of the organisation with what it lacks under the policy in force."""
    pack = organisation.policy_version.pack if organisation.policy_version else None
    return [
        AccountRow(account, account_warnings(account, pack=pack, today=today), today)
        for account in account_list(organisation=organisation)
    ]


def mandate_list(*, organisation: Organisation) -> QuerySet[Mandate]:
    return (
        Mandate.objects.filter(organisation=organisation)
        .select_related("holder", "granted_by", "revoked_by")
        .prefetch_related("accounts")
    )


def mandates_valid_on(*, account: Account, on: datetime.date) -> QuerySet[Mandate]:
    return account.mandates.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=on),
        revoked_at__isnull=True,
        valid_from__lte=on,
    )


def request_list(*, organisation: Organisation) -> QuerySet[AccountRequest]:
    return (
        AccountRequest.objects.filter(organisation=organisation)
        .select_related("account", "requested_by")
        .prefetch_related("steps")
    )


def public_account_list(*, organisation: Organisation) -> QuerySet[Account]:
    """The accounts the public register shows: every account that has been opened."""
    return (
        Account.objects.filter(organisation=organisation, status__in=PUBLIC_STATUSES)
        .select_related("unit", "responsible")
        .order_by("status", "platform", "handle")
    )


def get_public_organisation(slug: str) -> Organisation:
    organisation = Organisation.objects.filter(slug=slug).select_related("policy_version").first()
    if organisation is None:
        raise Http404
    return organisation


# Who may act for an account (REG-3, REG-9) ----------------------------------


@dataclass(frozen=True)
class Authority:
    """Whether a person may publish, reply or moderate for an account, and why not."""

    allowed: bool
    reason: str = ""
    mandate: Mandate | None = None

    def __bool__(self) -> bool:
        return self.allowed


def _policy_pack(organisation: Organisation) -> Pack | None:
    version = organisation.policy_version
    return version.pack if version is not None else None


def mandate_granting_role(pack: Pack | None) -> str:
    """The role whose members grant publishing mandates: who appoints publishers, else
    who grants mandates (`mandates.publishers_appointed_by`, `mandates.granted_by`)."""
    if pack is None:
        return ""
    for path in ("mandates.publishers_appointed_by", "mandates.granted_by"):
        rule = pack.rule(path)
        if rule is not None and rule.source is not None and rule.value:
            return str(rule.value)
    return ""


def mandates_required(pack: Pack | None) -> bool:
    rule = pack.rule("mandates.required") if pack is not None else None
    return rule is not None and rule.enforced


def _without_mandate_rule(user: User, account: Account) -> bool:
    """Where the policy asks for no mandate: the account's people and the comms staff."""
    if user.pk in (account.responsible_id, account.substitute_id):
        return True
    if has_role(user, account.organisation, Role.COMMS_LEAD, Role.MANAGER):
        return True
    return account.admins.filter(user=user).exists()


def account_authority(
    *,
    user: User,
    account: Account,
    on: datetime.date | None = None,
    publishing: bool = False,
) -> Authority:
    """May `user` publish, reply or moderate for `account`? The one place that decides.

    When the pack in force requires mandates, only the holder of a mandate for
    the account valid on `on` may act, and only a mandate granted by a person
    holding the role the pack names (`publishers_appointed_by`, else
    `granted_by`). Otherwise the account's responsible, substitute and admins,
    the comms lead, managers and mandate holders may. With `publishing`, the
    policy version in force must also be acknowledged (REG-9).
    """
    if not user.is_authenticated or account.organisation_id is None:
        return Authority(False, _("Logga in."))
    organisation = account.organisation
    on = on or timezone.localdate()
    pack = _policy_pack(organisation)
    valid = list(mandates_valid_on(account=account, on=on).filter(holder=user))
    mandate = valid[0] if valid else None
    if mandates_required(pack):
        role = mandate_granting_role(pack)
        if role:
            granting = Role(role)
            valid = [m for m in valid if has_role(m.granted_by, organisation, granting)]
            mandate = valid[0] if valid else None
        if mandate is None:
            if role:
                reason = _(
                    "%(user)s har inget giltigt uppdrag beviljat av %(role)s för %(account)s "
                    "(REG-3). Du kan skriva utkast och skicka dem för godkännande."
                ) % {"user": user, "role": Role(role).label, "account": account}
            else:
                reason = _(
                    "%(user)s har inget giltigt uppdrag för %(account)s (REG-3). "
                    "Du kan skriva utkast och skicka dem för godkännande."
                ) % {"user": user, "account": account}
            return Authority(False, reason)
    elif mandate is None and not _without_mandate_rule(user, account):
        return Authority(
            False,
            _("%(user)s har inget uppdrag för %(account)s.") % {"user": user, "account": account},
        )
    if publishing and organisation.policy_version is not None:
        acknowledged = PolicyAcknowledgement.objects.filter(
            organisation=organisation, user=user, policy_version=organisation.policy_version
        ).exists()
        if not acknowledged:
            return Authority(
                False,
                _(
                    "%(user)s har inte kvitterat policyn som gäller (%(version)s). "
                    "Kvittera den på policysidan innan du publicerar (REG-9)."
                )
                % {"user": user, "version": organisation.policy_version},
                mandate,
            )
    return Authority(True, "", mandate)
