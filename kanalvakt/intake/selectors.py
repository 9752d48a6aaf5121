"""Organisation-scoped reads of connections. Another organisation's accounts answer 404."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest

from kanalvakt.intake.models import AccountConnection, AlertState
from kanalvakt.organisations.models import Organisation
from kanalvakt.register.models import Account
from kanalvakt.register.selectors import get_account_for_user


@dataclass(frozen=True)
class ConnectionRow:
    account: Account
    connection: AccountConnection | None

    @property
    def connected(self) -> bool:
        return self.connection is not None and self.connection.has_token

    @property
    def alert(self) -> str:
        return self.connection.alert if self.connection else AlertState.NONE


def connection_rows(*, organisation: Organisation) -> list[ConnectionRow]:
    """Every account of the organisation with its connection, alerts first."""
    accounts = Account.objects.filter(organisation=organisation).select_related(
        "connection", "responsible"
    )
    rows = [
        ConnectionRow(account, getattr(account, "connection", None))
        for account in accounts.order_by("platform", "handle")
    ]
    order = {AlertState.EXPIRED: 0, AlertState.EXPIRING: 1, AlertState.NONE: 2}
    return sorted(rows, key=lambda row: order.get(AlertState(row.alert), 2))


def get_connection_account_for_user(request: HttpRequest, slug: str, pk: int) -> Account:
    return get_account_for_user(request, slug, pk)


def connection_for(account: Account) -> AccountConnection | None:
    return AccountConnection.objects.filter(account=account).first()
