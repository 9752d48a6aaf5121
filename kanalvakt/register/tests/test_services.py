from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from conftest import OrganisationWorld
from kanalvakt.audit.models import AuditEvent
from kanalvakt.audit.services import audit_verify_chain
from kanalvakt.register.models import Account, AccountStatus, Mandate, RequestStatus
from kanalvakt.register.services import (
    account_admin_add,
    account_create,
    account_record_publication,
    account_request_close,
    account_request_open,
    account_request_reject,
    account_set_substitute,
    account_update,
    mandate_grant,
    mandate_revoke,
    profile_check_record,
    request_step_complete,
)

pytestmark = pytest.mark.django_db


def events(event_type: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event_type=event_type))


def open_request(world: OrganisationWorld, **overrides: object) -> object:
    data: dict[str, object] = {
        "actor": world.account_owner,
        "organisation": world.organisation,
        "unit": world.unit,
        "platform": "instagram",
        "handle": "overkalix_fritid",
        "display_name": "Fritid i Överkalix",
        "url": "https://www.instagram.com/overkalix_fritid",
        "need": "Unga nås inte via webben.",
        "goals": "Fler unga hittar fritidsaktiviteter.",
        "audience": "Unga 13–19 år",
        "content": "Aktiviteter, öppettider, bilder från fritidsgården.",
        "responsible": world.account_owner,
        "contact": "fritid@overkalix.se",
    }
    data.update(overrides)
    return account_request_open(**data)  # type: ignore[arg-type]


def test_only_comms_lead_registers_accounts(world: OrganisationWorld, policy: object) -> None:
    with pytest.raises(PermissionDenied):
        account_create(
            actor=world.publisher,
            organisation=world.organisation,
            unit=world.unit,
            platform="x",
            handle="overkalix",
            display_name="Överkalix",
            url="https://x.com/overkalix",
            purpose="p",
            audience="a",
            responsible=world.account_owner,
            contact="c",
        )
    assert not Account.objects.exists()


def test_account_handle_is_unique_per_platform(account: Account, world: OrganisationWorld) -> None:
    with pytest.raises(ValidationError):
        account_create(
            actor=world.comms_lead,
            organisation=world.organisation,
            unit=world.unit,
            platform="facebook",
            handle=account.handle,
            display_name="Dubblett",
            url="https://www.facebook.com/x",
            purpose="p",
            audience="a",
            responsible=world.account_owner,
            contact="c",
        )


def test_closed_before_opened_is_refused_by_the_database(account: Account) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.filter(pk=account.pk).update(
            status="closed", closed_on=datetime.date(2019, 1, 1)
        )


def test_people_of_another_organisation_cannot_be_named(
    account: Account, world: OrganisationWorld, other_world: OrganisationWorld
) -> None:
    with pytest.raises(PermissionDenied):
        account_admin_add(actor=world.comms_lead, account=account, user=other_world.publisher)
    with pytest.raises(PermissionDenied):
        account_set_substitute(
            actor=world.comms_lead, account=account, substitute=other_world.substitute
        )
    with pytest.raises(PermissionDenied):
        account_update(actor=other_world.comms_lead, account=account, purpose="Kapat")


def test_the_owner_may_update_their_own_account(account: Account, world: OrganisationWorld) -> None:
    account_update(actor=world.account_owner, account=account, two_factor_enabled=True)
    account.refresh_from_db()
    assert account.two_factor_enabled
    [event] = events("account.updated")
    assert event.data["new"] == {"two_factor_enabled": True}
    with pytest.raises(ValueError, match="status"):
        account_update(actor=world.account_owner, account=account, status="closed")


def test_substitute_cannot_be_the_owner(account: Account, world: OrganisationWorld) -> None:
    with pytest.raises(ValidationError):
        account_set_substitute(
            actor=world.comms_lead, account=account, substitute=world.account_owner
        )


def test_profile_requirement_must_exist_in_the_pack(
    account: Account, world: OrganisationWorld
) -> None:
    with pytest.raises(ValidationError):
        profile_check_record(
            actor=world.comms_lead, account=account, requirement="unicorn", satisfied=True
        )


def test_manager_grants_and_revokes_a_mandate(account: Account, world: OrganisationWorld) -> None:
    mandate = mandate_grant(
        actor=world.manager,
        organisation=world.organisation,
        holder=world.publisher,
        accounts=[account],
        scope="Nyheter",
        anchored_with="Förvaltningschefen",
        anchored_on=datetime.date(2026, 1, 1),
        valid_from=datetime.date(2026, 1, 1),
        valid_until=datetime.date(2026, 12, 31),
    )
    assert list(mandate.accounts.all()) == [account]
    mandate_revoke(actor=world.manager, mandate=mandate, reason="Ny tjänst")
    mandate.refresh_from_db()
    assert mandate.revoked_by == world.manager
    assert [e.event_type for e in AuditEvent.objects.filter(target_type="register.mandate")] == [
        "mandate.granted",
        "mandate.revoked",
    ]
    with pytest.raises(ValidationError):
        mandate_revoke(actor=world.manager, mandate=mandate, reason="Igen")


def test_mandate_rules(account: Account, world: OrganisationWorld) -> None:
    common: dict[str, Any] = {
        "organisation": world.organisation,
        "holder": world.publisher,
        "accounts": [account],
        "scope": "Nyheter",
        "anchored_with": "Förvaltningschefen",
        "anchored_on": datetime.date(2026, 1, 1),
    }
    with pytest.raises(PermissionDenied):
        mandate_grant(actor=world.publisher, valid_from=datetime.date(2026, 1, 1), **common)
    with pytest.raises(ValidationError):
        mandate_grant(
            actor=world.manager,
            valid_from=datetime.date(2026, 2, 1),
            valid_until=datetime.date(2026, 1, 1),
            **common,
        )
    with pytest.raises(ValidationError):
        mandate_grant(
            actor=world.manager, valid_from=datetime.date(2026, 1, 1), **{**common, "accounts": []}
        )
    assert not Mandate.objects.exists()


def test_opening_goes_through_the_policys_steps(world: OrganisationWorld, policy: object) -> None:
    request = open_request(world)
    account = request.account  # type: ignore[attr-defined]
    assert account.status == AccountStatus.REQUESTED
    steps = {step.key: step for step in request.steps.all()}  # type: ignore[attr-defined]
    assert list(steps) == [
        "stated_need",
        "manager_approval",
        "management_anchoring",
        "notify_information_unit",
    ]
    assert steps["stated_need"].done_at is not None

    with pytest.raises(PermissionDenied):
        request_step_complete(actor=world.publisher, step=steps["manager_approval"])
    with pytest.raises(ValidationError, match="Tidigare steg"):
        request_step_complete(actor=world.manager, step=steps["management_anchoring"], note="x")
    request_step_complete(actor=world.manager, step=steps["manager_approval"])
    with pytest.raises(ValidationError):
        request_step_complete(actor=world.manager, step=steps["management_anchoring"])
    request_step_complete(
        actor=world.manager, step=steps["management_anchoring"], note="Förvaltningschefen 3/11"
    )
    account.refresh_from_db()
    assert account.status == AccountStatus.REQUESTED
    request_step_complete(actor=world.comms_lead, step=steps["notify_information_unit"])
    account.refresh_from_db()
    request.refresh_from_db()  # type: ignore[attr-defined]
    assert account.status == AccountStatus.ACTIVE
    assert account.opened_on is not None
    assert request.status == RequestStatus.COMPLETED  # type: ignore[attr-defined]
    assert events("account.opened")


def test_opening_needs_need_goals_audience_and_content(
    world: OrganisationWorld, policy: object
) -> None:
    with pytest.raises(ValidationError, match="behov"):
        open_request(world, need="  ")
    assert not Account.objects.exists()


def test_closing_needs_the_announcement(account: Account, world: OrganisationWorld) -> None:
    request = account_request_close(actor=world.account_owner, account=account, reason="Passivt")
    account.refresh_from_db()
    assert account.status == AccountStatus.CLOSING
    notify, announce = request.steps.all()
    request_step_complete(actor=world.comms_lead, step=notify)
    with pytest.raises(ValidationError, match="adressen"):
        request_step_complete(actor=world.account_owner, step=announce, note="")
    request_step_complete(
        actor=world.account_owner,
        step=announce,
        note="https://www.facebook.com/overkalixkommun/posts/1",
    )
    account.refresh_from_db()
    assert account.status == AccountStatus.CLOSED
    assert account.closed_on is not None


def test_rejecting_a_close_request_keeps_the_account_active(
    account: Account, world: OrganisationWorld
) -> None:
    request = account_request_close(actor=world.account_owner, account=account, reason="Passivt")
    with pytest.raises(PermissionDenied):
        account_request_reject(actor=world.publisher, request=request, reason="Nej")
    account_request_reject(actor=world.manager, request=request, reason="Behövs för krisinfo")
    account.refresh_from_db()
    assert account.status == AccountStatus.ACTIVE
    with pytest.raises(ValidationError):
        request_step_complete(actor=world.comms_lead, step=request.steps.all()[0])


def test_publication_only_moves_forward(account: Account) -> None:
    later = datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)
    earlier = datetime.datetime(2026, 10, 1, tzinfo=datetime.UTC)
    account_record_publication(actor=None, account=account, published_at=later)
    account_record_publication(actor=None, account=account, published_at=earlier)
    account.refresh_from_db()
    assert account.last_published_at == later


def test_every_service_leaves_an_intact_audit_chain(
    compliant_account: Account, world: OrganisationWorld
) -> None:
    report = audit_verify_chain()
    assert report.intact
    assert report.checked == AuditEvent.objects.count() >= 20
