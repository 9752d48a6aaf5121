"""Account planning at opening and the yearly review against the pack's passive limit."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from conftest import OrganisationWorld
from kanalvakt.audit.models import AuditEvent
from kanalvakt.governance.selectors import plan_rows
from kanalvakt.governance.services import account_plan_record, account_review_record
from kanalvakt.policies.tests.helpers import use_pack
from kanalvakt.register.models import Account
from kanalvakt.register.tests.factories import entered_account


def make(world: OrganisationWorld, *, opened_days_ago: int) -> Account:
    account = entered_account(
        world,
        display_name="Kommunen",
        opened_on=timezone.localdate() - datetime.timedelta(days=opened_days_ago),
    )
    return account


def test_plan_needs_need_goals_audience_and_resources(world: OrganisationWorld) -> None:
    account = make(world, opened_days_ago=10)
    with pytest.raises(ValidationError):
        account_plan_record(
            actor=world.account_owner,
            account=account,
            need="Nå unga",
            goals="",
            audience="x",
            resources="y",
        )
    with pytest.raises(PermissionDenied):
        account_plan_record(
            actor=world.registrar,
            account=account,
            need="a",
            goals="b",
            audience="c",
            resources="d",
        )
    account_plan_record(
        actor=world.account_owner,
        account=account,
        need="Unga läser inte webbplatsen.",
        goals="Fler unga söker sommarjobb.",
        audience="16–25 år",
        resources="Fritidsgården, två timmar i veckan",
    )
    assert AuditEvent.objects.filter(event_type="account.plan_recorded").count() == 1
    row = plan_rows(organisation=world.organisation, today=timezone.localdate())[0]
    assert row.plan is not None and not row.review_due


def test_yearly_review_is_due_and_measured_against_overkalix_passive_limit(
    world: OrganisationWorld,
) -> None:
    # Överkalix: "konton i sociala medier som inte uppdateras regelbundet ska avslutas" (90 days)
    use_pack(world.organisation, "overkalix")
    account = make(world, opened_days_ago=400)
    row = plan_rows(organisation=world.organisation, today=timezone.localdate())[0]
    assert row.review_due and row.passive and row.passive_limit == 90
    with pytest.raises(ValidationError, match="passivt"):
        account_review_record(
            actor=world.account_owner, account=account, purpose_still_valid=True, outcome="keep"
        )
    review = account_review_record(
        actor=world.account_owner, account=account, purpose_still_valid=False, outcome="close"
    )
    assert review.passive_limit_days == 90 and review.idle_days == 400
    row = plan_rows(organisation=world.organisation, today=timezone.localdate())[0]
    assert not row.review_due


def test_pages(world: OrganisationWorld, other_world: OrganisationWorld, client: Client) -> None:
    account = make(world, opened_days_ago=400)
    client.force_login(world.account_owner)
    slug = world.organisation.slug
    assert "översyn behövs" in client.get(f"/o/{slug}/kontoplaner/").content.decode()
    client.post(
        f"/o/{slug}/kontoplaner/{account.pk}/plan/",
        {"need": "Behov", "goals": "Mål", "audience": "Alla", "resources": "En person"},
    )
    page = client.get(f"/o/{slug}/kontoplaner/{account.pk}/").content.decode()
    assert "En person" in page
    client.force_login(other_world.comms_lead)
    assert client.get(f"/o/{slug}/kontoplaner/{account.pk}/").status_code == 404
