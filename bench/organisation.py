"""What the webhook benchmarks set up first: an organisation with a comms lead, a unit and
an active Facebook page of a known id, and the page's webhook key.

Needs Django set up and the repository on `sys.path` (`from bench.organisation import …`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kanalvakt.register.models import Account


def facebook_page(
    *, name: str, slug: str, page_id: str, purpose: str = "Benchmark", pack: str = ""
) -> Account:
    """Organisation `name` (`slug`), under the policy pack `pack` if one is named, with a
    comms lead (the page's responsible) and the page whose external id is `page_id`."""
    from django.conf import settings

    from kanalvakt.organisations.models import Role, User
    from kanalvakt.organisations.services import (
        membership_grant,
        organisation_create,
        organisation_select_policy,
        unit_create,
    )
    from kanalvakt.policies.services import policy_version_load
    from kanalvakt.register.models import Account
    from kanalvakt.register.services import account_create

    organisation = organisation_create(
        actor=None, name=name, slug=slug, kind="municipality", country="SE"
    )
    if pack:
        version = policy_version_load(
            actor=None, path=Path(settings.POLICY_PACK_DIR) / f"{pack}.yaml"
        )
        organisation_select_policy(actor=None, organisation=organisation, policy_version=version)
    lead = User.objects.create_user(f"{slug}-lead", email="lead@example.org")
    membership_grant(actor=None, organisation=organisation, user=lead, role=Role.COMMS_LEAD)
    unit = unit_create(actor=None, organisation=organisation, name="KLF", kind="administration")
    handle = slug.replace("-", "")
    account = account_create(
        actor=lead,
        organisation=organisation,
        unit=unit,
        platform="facebook",
        handle=handle,
        display_name=name,
        url=f"https://www.facebook.com/{handle}",
        purpose=purpose,
        audience="Ingen",
        responsible=lead,
        contact="lead@example.org",
        status="active",
    )
    Account.objects.filter(pk=account.pk).update(external_id=page_id)
    account.refresh_from_db()
    return account


def webhook_key(page: Account, app_secret: str) -> str:
    """Facebook credentials for the page's organisation; the key of its webhook address."""
    from kanalvakt.inbox.services import platform_credentials_set

    credentials = platform_credentials_set(
        actor=page.responsible,
        organisation=page.organisation,
        platform="facebook",
        app_secret=app_secret,
    )
    return str(credentials.webhook_key)
