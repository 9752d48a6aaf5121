"""REG-10 and REG-9: the policy's owner, review date, reminders, decisions, acknowledgements."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from conftest import OrganisationWorld
from kanalvakt.audit.models import AuditEvent
from kanalvakt.policies.lifecycle import (
    acknowledgement_remind,
    policy_reminders_send,
    policy_review_decide,
    policy_stewardship_set,
)
from kanalvakt.policies.models import AcknowledgementReminder, PolicyStewardship
from kanalvakt.policies.services import policy_acknowledge
from kanalvakt.policies.tests.helpers import use_pack


def test_the_owner_is_reminded_once_before_the_review_date_and_records_the_decision(
    world: OrganisationWorld, django_capture_on_commit_callbacks: Any
) -> None:
    use_pack(world.organisation, "skelleftea-kraft")
    today = timezone.localdate()
    review_on = today + datetime.timedelta(days=20)
    policy_stewardship_set(
        actor=world.comms_lead,
        organisation=world.organisation,
        owner=world.manager,
        review_on=review_on,
    )
    with django_capture_on_commit_callbacks(execute=True):
        policy_reminders_send(today=today - datetime.timedelta(days=30))
    assert not [m for m in mail.outbox if "granskas" in m.subject]
    with django_capture_on_commit_callbacks(execute=True):
        policy_reminders_send(today=today)
        policy_reminders_send(today=today)
    reminders = [m for m in mail.outbox if "granskas" in m.subject]
    assert len(reminders) == 1 and reminders[0].to == [world.manager.email]
    with pytest.raises(PermissionDenied):
        policy_review_decide(
            actor=world.publisher,
            organisation=world.organisation,
            decision="keep",
            next_review_on=today + datetime.timedelta(days=365),
        )
    with pytest.raises(ValidationError):
        policy_review_decide(
            actor=world.manager,
            organisation=world.organisation,
            decision="keep",
            next_review_on=today,
        )
    review = policy_review_decide(
        actor=world.manager,
        organisation=world.organisation,
        decision="revise",
        next_review_on=today + datetime.timedelta(days=365),
        note="Lägg till TikTok.",
    )
    assert review.policy_version.pack_id == "skelleftea-kraft"
    stewardship = PolicyStewardship.objects.get(organisation=world.organisation)
    assert stewardship.review_on == today + datetime.timedelta(days=365)
    assert AuditEvent.objects.filter(event_type="policy.review_decided").count() == 1


def test_staff_who_have_not_acknowledged_are_reminded_where_the_policy_requires_it(
    world: OrganisationWorld, django_capture_on_commit_callbacks: Any
) -> None:
    # Överkalix: "känna till Överkalix kommuns riktlinjer för sociala medier"
    use_pack(world.organisation, "overkalix")
    version = world.organisation.policy_version
    assert version is not None
    policy_acknowledge(
        actor=world.account_owner, organisation=world.organisation, policy_version=version
    )
    with django_capture_on_commit_callbacks(execute=True):
        sent = acknowledgement_remind(actor=world.comms_lead, organisation=world.organisation)
    assert sent == 7  # everyone but the account owner
    reminded = set(AcknowledgementReminder.objects.values_list("user__username", flat=True))
    assert world.account_owner.username not in reminded
    assert world.publisher.username in reminded
    # Not again within two weeks.
    assert acknowledgement_remind(actor=world.comms_lead, organisation=world.organisation) == 0
    # Skellefteå Kraft does not require acknowledgement.
    use_pack(world.organisation, "skelleftea-kraft")
    with pytest.raises(ValidationError):
        acknowledgement_remind(actor=world.comms_lead, organisation=world.organisation)


def test_the_review_page_works_by_form(world: OrganisationWorld, client: Client) -> None:
    use_pack(world.organisation, "degerfors")
    client.force_login(world.comms_lead)
    slug = world.organisation.slug
    next_year = (timezone.localdate() + datetime.timedelta(days=300)).isoformat()
    client.post(
        f"/o/{slug}/policy/granskning/agare/",
        {"owner": world.comms_lead.pk, "review_on": next_year},
    )
    client.post(
        f"/o/{slug}/policy/granskning/beslut/",
        {"decision": "keep", "next_review_on": next_year, "note": "Gäller."},
    )
    page = client.get(f"/o/{slug}/policy/granskning/").content.decode()
    assert "gäller oförändrad" in page
    assert "Policyn kräver ingen kvittens" in page
