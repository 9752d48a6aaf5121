from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

import factory
from factory.django import DjangoModelFactory

from kanalvakt.organisations.models import User
from kanalvakt.organisations.tests.factories import (
    OrganisationFactory,
    UnitFactory,
    UserFactory,
)
from kanalvakt.register.models import Account, AccountStatus, Platform

if TYPE_CHECKING:
    from conftest import OrganisationWorld


class AccountFactory(DjangoModelFactory[Account]):
    class Meta:
        model = Account

    organisation = factory.SubFactory(OrganisationFactory)
    unit = factory.SubFactory(UnitFactory, organisation=factory.SelfAttribute("..organisation"))
    platform = Platform.FACEBOOK
    handle = factory.Sequence(lambda n: f"konto{n}")
    display_name = factory.LazyAttribute(lambda a: f"{a.organisation.name} {a.handle}")
    url = factory.LazyAttribute(lambda a: f"https://www.facebook.com/{a.handle}")
    purpose = "Informera invånarna om kommunens service."
    audience = "Invånare och besökare"
    languages = factory.LazyFunction(lambda: ["sv"])
    responsible = factory.SubFactory(UserFactory)
    contact = "kommunikation@example.se"
    status = AccountStatus.ACTIVE
    opened_on = datetime.date(2020, 1, 1)


def entered_account(
    world: OrganisationWorld,
    *,
    handle: str = "kommunen",
    platform: str = "facebook",
    staffed: bool = False,
    external_id: str = "",
    **fields: Any,
) -> Account:
    """An active account of the world's organisation, entered through the service by
    the comms lead; `fields` override the other values `account_create` takes.

    `staffed`: the world's substitute stands in for the owner, and the owner, the
    substitute, the comms lead and the manager hold mandates for the account (under a
    pack that requires mandates only their holders reply, moderate or publish: REG-3).
    `external_id`: the account's id at the platform, as connecting it would set it.
    """
    from kanalvakt.register.services import account_create

    values: dict[str, Any] = {
        "unit": world.unit,
        "display_name": handle,
        "url": (
            f"https://www.facebook.com/{handle}"
            if platform == "facebook"
            else f"https://example.org/{platform}/{handle}"
        ),
        "purpose": "Information",
        "audience": "Invånare",
        "responsible": world.account_owner,
        "contact": "info@example.se",
        "status": "active",
    }
    if staffed:
        values["substitute"] = world.substitute
    account = account_create(
        actor=world.comms_lead,
        organisation=world.organisation,
        platform=platform,
        handle=handle,
        **(values | fields),
    )
    if external_id:
        Account.objects.filter(pk=account.pk).update(external_id=external_id)
        account.refresh_from_db()
    if staffed:
        grant_mandate(
            account,
            world.account_owner,
            world.substitute,
            world.comms_lead,
            world.manager,
            granted_by=world.manager,
        )
    return account


def grant_mandate(
    account: Account, *holders: User, granted_by: User, valid_from: datetime.date | None = None
) -> None:
    """Record a mandate for the account's people, as their manager would (REG-3).

    Under a pack that requires mandates only mandate holders may reply,
    moderate or publish; test personas that do get one here.
    """
    from kanalvakt.register.services import mandate_grant

    for holder in holders:
        mandate_grant(
            actor=granted_by,
            organisation=account.organisation,
            holder=holder,
            accounts=[account],
            scope="Publicera, svara och moderera.",
            anchored_with="Förvaltningschefen",
            anchored_on=datetime.date(2020, 1, 1),
            valid_from=valid_from or datetime.date(2020, 1, 1),
        )
