from __future__ import annotations

import datetime

import pytest
import time_machine

from conftest import OrganisationWorld
from kanalvakt.policies.pack import Pack
from kanalvakt.register.models import Account
from kanalvakt.register.services import (
    account_admin_remove,
    account_set_substitute,
    mandate_revoke,
    profile_check_record,
)
from kanalvakt.register.warnings import account_warnings

TODAY = datetime.date(2026, 11, 22)


def pack_of(account: Account) -> Pack:
    version = account.organisation.policy_version
    assert version is not None
    return version.pack


def codes(account: Account, today: datetime.date = TODAY) -> set[str]:
    pack = pack_of(account)
    return {warning.code for warning in account_warnings(account, pack=pack, today=today)}


@pytest.mark.django_db
def test_compliant_account_has_no_warnings(compliant_account: Account) -> None:
    assert codes(compliant_account) == set()


@pytest.mark.django_db
def test_bare_account_shows_everything_it_lacks(account: Account) -> None:
    assert codes(account) == {
        "admins.too_few",
        "admins.no_web_manager",
        "substitute.missing",
        "mandate.none",
        "account.passive",
        "profile.logo",
        "profile.website_link",
        "security.password_unknown",
        "security.credentials_location",
    }


@pytest.mark.django_db
def test_silent_rule_without_default_is_not_checked(account: Account) -> None:
    # The test pack is silent on two-factor authentication and gives no default.
    assert "security.no_2fa" not in codes(account)


@pytest.mark.django_db
def test_removing_an_admin_brings_back_the_warning(
    world: OrganisationWorld, compliant_account: Account
) -> None:
    admin = compliant_account.admins.get(user=world.publisher)
    account_admin_remove(actor=world.comms_lead, admin=admin)
    assert codes(Account.objects.get(pk=compliant_account.pk)) == {"admins.too_few"}


@pytest.mark.django_db
def test_expired_and_revoked_mandates(world: OrganisationWorld, compliant_account: Account) -> None:
    mandate = compliant_account.mandates.get()
    mandate.valid_until = datetime.date(2026, 10, 31)
    mandate.save(update_fields=["valid_until"])
    assert {"mandate.expired", "mandate.none"} <= codes(compliant_account)

    mandate.valid_until = datetime.date(2026, 12, 10)
    mandate.save(update_fields=["valid_until"])
    assert codes(compliant_account) == {"mandate.expiring"}

    mandate_revoke(actor=world.manager, mandate=mandate, reason="Slutat")
    assert codes(compliant_account) == {"mandate.none"}


@pytest.mark.django_db
def test_passive_after_the_interval(compliant_account: Account) -> None:
    assert "account.passive" not in codes(compliant_account, TODAY)
    assert "account.passive" in codes(compliant_account, TODAY + datetime.timedelta(days=91))


@pytest.mark.django_db
def test_passive_warning_says_it_is_the_organisations_default(account: Account) -> None:
    pack = pack_of(account)
    passive = next(
        w for w in account_warnings(account, pack=pack, today=TODAY) if w.code == "account.passive"
    )
    assert not passive.from_policy


@pytest.mark.django_db
def test_missing_profile_element_is_red_once_checked(
    world: OrganisationWorld, compliant_account: Account
) -> None:
    profile_check_record(
        actor=world.comms_lead,
        account=compliant_account,
        requirement="logo",
        satisfied=False,
        note="Gammal logotyp",
    )
    pack = pack_of(compliant_account)
    [warning] = account_warnings(compliant_account, pack=pack, today=TODAY)
    assert warning.code == "profile.logo"
    assert warning.severity == "red"


@pytest.mark.django_db
def test_old_password(compliant_account: Account) -> None:
    with time_machine.travel(datetime.datetime(2027, 6, 1, tzinfo=datetime.UTC)):
        assert "security.password_old" in codes(compliant_account, datetime.date(2027, 6, 1))


@pytest.mark.django_db
def test_substitute_cleared(world: OrganisationWorld, compliant_account: Account) -> None:
    account_set_substitute(actor=world.comms_lead, account=compliant_account, substitute=None)
    assert codes(compliant_account) == {"substitute.missing"}


@pytest.mark.django_db
def test_no_policy_no_warnings(world: OrganisationWorld) -> None:
    from kanalvakt.register.tests.factories import AccountFactory

    account = AccountFactory.create(organisation=world.organisation, unit=world.unit)
    assert account_warnings(account, pack=None, today=TODAY) == []
