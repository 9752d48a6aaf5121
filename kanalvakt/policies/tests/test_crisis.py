"""Crisis mode (REG-11, Kyrkslätt 003): on and off by the comms lead, audited, felt everywhere."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from conftest import OrganisationWorld
from kanalvakt.audit.models import AuditEvent
from kanalvakt.policies.crisis import (
    crisis_end,
    crisis_response_time,
    crisis_start,
    organisation_in_crisis,
)
from kanalvakt.policies.tests.helpers import use_pack


def test_the_comms_lead_switches_crisis_mode_on_and_off_and_both_are_audited(
    world: OrganisationWorld,
) -> None:
    use_pack(world.organisation, "kyrkslatt")
    organisation = world.organisation
    assert not organisation_in_crisis(organisation)
    period = crisis_start(actor=world.comms_lead, organisation=organisation, reason="Storm")
    assert organisation_in_crisis(organisation)
    assert "kirkkonummi.fi" in period.holding_message  # the pack's suggestion, in Swedish
    with pytest.raises(ValidationError):
        crisis_start(actor=world.comms_lead, organisation=organisation, reason="Igen")
    crisis_end(actor=world.comms_lead, organisation=organisation, note="Strömmen är tillbaka")
    assert not organisation_in_crisis(organisation)
    events = list(
        AuditEvent.objects.filter(event_type__startswith="crisis.").values_list(
            "event_type", flat=True
        )
    )
    assert events == ["crisis.started", "crisis.ended"]


def test_only_the_comms_lead_may_switch(world: OrganisationWorld) -> None:
    with pytest.raises(PermissionDenied):
        crisis_start(actor=world.account_owner, organisation=world.organisation, reason="Storm")
    with pytest.raises(ValidationError):
        crisis_end(actor=world.comms_lead, organisation=world.organisation)


def test_crisis_response_time_comes_from_the_pack(world: OrganisationWorld) -> None:
    use_pack(world.organisation, "kyrkslatt")
    assert crisis_response_time(world.organisation) == {
        "kind": "hours",
        "amount": 2,
        "clock": "calendar",
    }
    use_pack(world.organisation, "overkalix")
    assert crisis_response_time(world.organisation) is None


def test_every_page_shows_the_banner_while_in_crisis(
    world: OrganisationWorld, client: Client, other_world: OrganisationWorld
) -> None:
    use_pack(world.organisation, "kyrkslatt")
    client.force_login(world.account_owner)
    slug = world.organisation.slug
    assert "crisis-banner" not in client.get(f"/o/{slug}/policy/").content.decode()
    crisis_start(actor=world.comms_lead, organisation=world.organisation, reason="Vattenläcka")
    for url in (f"/o/{slug}/policy/", f"/o/{slug}/kris/", f"/o/{slug}/policy/versions/"):
        page = client.get(url).content.decode()
        assert 'class="messages crisis-banner"' in page
        assert "Vattenläcka" in page
    # The other organisation's people see no banner for it.
    client.force_login(other_world.comms_lead)
    page = client.get(f"/o/{other_world.organisation.slug}/policy/").content.decode()
    assert "crisis-banner" not in page


def test_the_crisis_page_switches_by_form(world: OrganisationWorld, client: Client) -> None:
    use_pack(world.organisation, "degerfors")
    client.force_login(world.comms_lead)
    slug = world.organisation.slug
    page = client.get(f"/o/{slug}/kris/").content.decode()
    assert "inom 2 timmar" in page
    client.post(f"/o/{slug}/kris/starta/", {"reason": "Strömavbrott", "holding_message": ""})
    assert organisation_in_crisis(world.organisation)
    client.post(f"/o/{slug}/kris/avsluta/", {"note": "Klart"})
    assert not organisation_in_crisis(world.organisation)
    client.force_login(world.account_owner)
    client.post(f"/o/{slug}/kris/starta/", {"reason": "Obehörig"})
    assert not organisation_in_crisis(world.organisation)


def test_crisis_started_at_is_before_end(world: OrganisationWorld) -> None:
    period = crisis_start(actor=world.comms_lead, organisation=world.organisation, reason="Brand")
    ended = crisis_end(actor=world.comms_lead, organisation=world.organisation)
    assert ended.pk == period.pk
    assert ended.ended_at is not None and ended.ended_at - ended.started_at >= datetime.timedelta(0)
