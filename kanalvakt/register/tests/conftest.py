from __future__ import annotations

import datetime
from typing import Any

import pytest

from conftest import OrganisationWorld
from kanalvakt.organisations.services import organisation_select_policy
from kanalvakt.policies.models import PolicyVersion
from kanalvakt.register.models import Account
from kanalvakt.register.services import account_admin_add
from kanalvakt.register.tests.factories import entered_account

SRC = {"file": "001_a3d89b8332877af7.txt", "section": "Administrera konto"}


def register_pack() -> dict[str, Any]:
    """A small pack with the account rules the register checks."""
    return {
        "format": "kanalvakt/policy-pack@1",
        "pack": "test-register",
        "version": "1",
        "title": "Testpolicy",
        "organisation": "Överkalix kommun",
        "country": "SE",
        "languages": ["sv"],
        "rules": {
            "accounts": {
                "min_admins": {"value": 2, "source": SRC},
                "web_manager_admin": {"value": True, "source": SRC},
                "substitute_required": {"value": True, "source": SRC},
                "passive_after_days": {"value": 90, "silent": "Intervall saknas; standard."},
                "password_max_age_days": {"value": 180, "source": SRC},
                "two_factor_required": {"silent": "Policyn säger inget om tvåstegsverifiering."},
                "shared_credentials": {"value": True, "source": SRC},
            },
            "mandates": {
                "required": {"value": True, "source": SRC},
                "granted_by": {"value": "manager", "source": SRC},
            },
            "lifecycle": {
                "open_steps": {
                    "value": [
                        "stated_need",
                        "manager_approval",
                        "management_anchoring",
                        "notify_information_unit",
                    ],
                    "source": SRC,
                },
                "close_steps": {
                    "value": ["notify_information_unit", "closing_announcement"],
                    "source": SRC,
                },
            },
            "profile": [
                {"key": "logo", "label": "Logotyp", "source": SRC},
                {"key": "website_link", "label": "Länk till webbplatsen", "source": SRC},
            ],
        },
    }


@pytest.fixture
def policy(world: OrganisationWorld) -> PolicyVersion:
    version = PolicyVersion.objects.create(
        pack_id="test-register",
        version="1",
        title="Testpolicy",
        organisation_name="Överkalix kommun",
        document=register_pack(),
        sha256="0" * 64,
    )
    organisation_select_policy(actor=None, organisation=world.organisation, policy_version=version)
    world.organisation.refresh_from_db()
    return version


@pytest.fixture
def account(world: OrganisationWorld, policy: PolicyVersion) -> Account:
    return entered_account(
        world,
        handle="overkalixkommun",
        display_name="Överkalix kommun",
        purpose="Informera invånarna.",
        contact="info@overkalix.se",
        opened_on=datetime.date(2020, 1, 1),
    )


@pytest.fixture
def compliant_account(world: OrganisationWorld, account: Account) -> Account:
    """An account that breaks none of the test pack's rules (as of 2026-11-22)."""
    from kanalvakt.register.services import (
        account_set_substitute,
        account_update,
        mandate_grant,
        profile_check_record,
    )

    actor = world.comms_lead
    account_admin_add(actor=actor, account=account, user=world.account_owner)
    account_admin_add(actor=actor, account=account, user=world.publisher)
    account_admin_add(actor=actor, account=account, user=world.web_manager, is_web_manager=True)
    account_set_substitute(actor=actor, account=account, substitute=world.substitute)
    account_update(
        actor=actor,
        account=account,
        credentials_location="Kommunens lösenordsvalv",
        password_changed_on=datetime.date(2026, 9, 1),
    )
    mandate_grant(
        actor=world.manager,
        organisation=world.organisation,
        holder=world.publisher,
        accounts=[account],
        scope="Publicera nyheter",
        anchored_with="Förvaltningschef Eva Ek",
        anchored_on=datetime.date(2026, 1, 10),
        valid_from=datetime.date(2026, 1, 15),
    )
    for key in ("logo", "website_link"):
        profile_check_record(actor=actor, account=account, requirement=key, satisfied=True)
    account.last_published_at = datetime.datetime(2026, 11, 20, 12, tzinfo=datetime.UTC)
    account.save(update_fields=["last_published_at"])
    return Account.objects.get(pk=account.pk)
