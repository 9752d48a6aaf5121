"""`account_authority`: the one rule for who may publish, reply or moderate (REG-3, REG-9)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from conftest import OrganisationWorld
from kanalvakt.policies.services import policy_acknowledge
from kanalvakt.policies.tests.helpers import use_pack
from kanalvakt.register.models import Account
from kanalvakt.register.selectors import account_authority
from kanalvakt.register.services import mandate_revoke
from kanalvakt.register.tests.factories import entered_account, grant_mandate

pytestmark = pytest.mark.django_db


def account(world: OrganisationWorld) -> Account:
    return entered_account(world, handle="sida", display_name="Sida")


def test_without_a_mandate_rule_the_accounts_people_may_act(world: OrganisationWorld) -> None:
    page = account(world)
    assert account_authority(user=world.account_owner, account=page)
    assert account_authority(user=world.comms_lead, account=page)
    assert not account_authority(user=world.case_officer, account=page)


def test_where_the_pack_requires_mandates_only_holders_may(world: OrganisationWorld) -> None:
    use_pack(world.organisation, "overkalix")
    page = account(world)
    refused = account_authority(user=world.account_owner, account=page)
    assert not refused and "uppdrag" in refused.reason
    assert not account_authority(user=world.comms_lead, account=page)
    grant_mandate(page, world.publisher, granted_by=world.manager)
    assert account_authority(user=world.publisher, account=page)


def test_an_expired_revoked_or_future_mandate_does_not_count(world: OrganisationWorld) -> None:
    use_pack(world.organisation, "overkalix")
    page = account(world)
    today = timezone.localdate()
    grant_mandate(
        page,
        world.publisher,
        granted_by=world.manager,
        valid_from=today + datetime.timedelta(days=3),
    )
    assert not account_authority(user=world.publisher, account=page)
    assert account_authority(
        user=world.publisher, account=page, on=today + datetime.timedelta(days=3)
    )
    grant_mandate(page, world.substitute, granted_by=world.manager)
    mandate = page.mandates.get(holder=world.substitute)
    mandate_revoke(actor=world.manager, mandate=mandate, reason="Slutat")
    assert not account_authority(user=world.substitute, account=page)


def test_skelleftea_kraft_the_comms_lead_appoints_publishers(world: OrganisationWorld) -> None:
    use_pack(world.organisation, "skelleftea-kraft")
    page = account(world)
    grant_mandate(page, world.publisher, granted_by=world.manager)
    refused = account_authority(user=world.publisher, account=page)
    assert not refused and "kommunikationschef" in refused.reason
    grant_mandate(page, world.publisher, granted_by=world.comms_lead)
    assert account_authority(user=world.publisher, account=page)


def test_publishing_needs_the_policy_in_force_acknowledged(world: OrganisationWorld) -> None:
    use_pack(world.organisation, "overkalix")
    page = account(world)
    grant_mandate(page, world.publisher, granted_by=world.manager)
    assert account_authority(user=world.publisher, account=page)
    refused = account_authority(user=world.publisher, account=page, publishing=True)
    assert not refused and "kvitterat" in refused.reason
    version = world.organisation.policy_version
    assert version is not None
    policy_acknowledge(
        actor=world.publisher, organisation=world.organisation, policy_version=version
    )
    assert account_authority(user=world.publisher, account=page, publishing=True)
