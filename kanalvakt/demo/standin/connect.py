"""Connect the demo organisations' accounts to the stand-in platform.

Run by `kanalvakt demo` when the stand-in is on. Idempotent: a connection is
changed only when the demo's address changed (another PORT), so running
`make demo` again adds nothing. Each account's address becomes its page on the
stand-in, so on-demand snapshots work without internet.
"""

from __future__ import annotations

from dataclasses import dataclass

from kanalvakt.connectors.registry import CONNECTORS
from kanalvakt.demo.identities import standin_account_id
from kanalvakt.demo.standin.addresses import standin_account_base_url, standin_public_url
from kanalvakt.demo.standin.api import EXPIRED_TOKEN
from kanalvakt.intake.models import AccountConnection
from kanalvakt.intake.services import connection_set
from kanalvakt.organisations.models import User
from kanalvakt.register.models import Account, AccountStatus
from kanalvakt.register.services import account_update

STANDIN_TOKEN = "standin:{account}"  # noqa: S105 - the stand-in accepts any token
"""The stand-in reads the account from it where the API call does not name it."""
TOKENS = {"wordpress": "kanalvakt:standin demo pass", "bluesky": "standin-app-password"}
LAPSED = frozenset({("degerfors", "instagram", "degerforskommun")})
"""Accounts whose demo token the stand-in answers as lapsed, so the demo shows what a
broken connection looks like (alert, failed reply) without anything being wrong."""


@dataclass(frozen=True)
class ConnectReport:
    connected: int
    unchanged: int


def demo_standin_connect(*, actor: User, site_url: str, slugs: tuple[str, ...]) -> ConnectReport:
    connected = unchanged = 0
    accounts = Account.objects.filter(
        organisation__slug__in=slugs, status=AccountStatus.ACTIVE, platform__in=list(CONNECTORS)
    ).select_related("organisation")
    for account in accounts.order_by("pk"):
        base_url = standin_account_base_url(site_url, account.platform, account.handle)
        external_id = standin_account_id(account)
        connection = AccountConnection.objects.filter(account=account).first()
        public = standin_public_url(site_url, account.platform, account.handle)
        if (
            connection is not None
            and connection.base_url == base_url
            and connection.external_id == external_id
            and account.url == public
        ):
            unchanged += 1
            continue
        # Only an account's admins may move it to another server, and a move clears the
        # stored token (kanalvakt.intake.services.connection_set): the demo moves it as an
        # admin of the account and gives the stand-in's token again.
        server_changed = connection is not None and connection.base_url != base_url
        admin = account.admins.select_related("user").first() if server_changed else None
        connection_set(
            actor=admin.user if admin is not None else actor,
            account=account,
            access_token=""
            if connection is not None and connection.token_encrypted and not server_changed
            else _token(account, external_id),
            external_id=external_id,
            base_url=base_url,
            poll_enabled=False,
            connector_settings={"identifier": account.handle}
            if account.platform == "bluesky"
            else {},
        )
        if account.url != public:
            account_update(actor=actor, account=account, url=public)
        connected += 1
    return ConnectReport(connected=connected, unchanged=unchanged)


def _token(account: Account, external_id: str) -> str:
    if (account.organisation.slug, account.platform, account.handle) in LAPSED:
        return EXPIRED_TOKEN
    return TOKENS.get(account.platform, STANDIN_TOKEN.format(account=external_id))
