"""Organisation-scoped reads of the account register."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from kanalvakt.organisations.models import Organisation
from kanalvakt.organisations.selectors import get_organisation_for_user
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
