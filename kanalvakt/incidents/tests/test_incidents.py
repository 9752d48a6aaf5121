"""SEC-2: the incident log reports to manager and IT as Kyrkslätt's instructions say."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from conftest import OrganisationWorld
from kanalvakt.audit.models import AuditEvent
from kanalvakt.incidents.models import IncidentStatus
from kanalvakt.incidents.services import incident_follow_up, incident_report
from kanalvakt.policies.tests.helpers import use_pack

QUOTE = (
    "ska man genast underrätta sin chef eller direkt kontakta informationsförvaltningen. "
    "Chefen ska också alltid informera informationsförvaltningen om en sådan sak."
)


def test_kyrkslatt_incident_goes_to_manager_and_it_at_once(
    world: OrganisationWorld,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    source = Path(settings.POLICY_PACK_DIR) / "sources" / "003_c812241455402087.txt"
    assert QUOTE in " ".join(source.read_text(encoding="utf-8").split())
    settings.KANALVAKT_IT_EMAIL = "it@kirkkonummi.fi"
    use_pack(world.organisation, "kyrkslatt")
    with django_capture_on_commit_callbacks(execute=True):
        incident = incident_report(
            actor=world.account_owner,
            organisation=world.organisation,
            kind="phishing",
            description="Ett meddelande bad om inloggningen till Facebooksidan.",
        )
    assert incident.reported_to == ["manager", "it"]
    assert incident.rule.startswith("security.incident_report_to")
    assert set(mail.outbox[-1].to) == {world.manager.email, "it@kirkkonummi.fi"}
    assert AuditEvent.objects.filter(event_type="incident.reported").count() == 1


def test_a_pack_silent_on_incidents_uses_the_default_and_says_so(world: OrganisationWorld) -> None:
    use_pack(world.organisation, "overkalix")
    incident = incident_report(
        actor=world.account_owner,
        organisation=world.organisation,
        kind="threat",
        description="Hot i ett direktmeddelande.",
    )
    assert incident.reported_to == ["manager", "it"]
    assert incident.rule.startswith("Kanalvaktsstandard")


def test_a_fake_account_needs_its_address_and_is_followed_up_to_resolved(
    world: OrganisationWorld,
) -> None:
    with pytest.raises(ValidationError):
        incident_report(
            actor=world.account_owner,
            organisation=world.organisation,
            kind="fake_account",
            description="Någon låtsas vara kommunen.",
        )
    incident = incident_report(
        actor=world.account_owner,
        organisation=world.organisation,
        kind="fake_account",
        description="Någon låtsas vara kommunen.",
        fake_account_url="https://www.facebook.com/overkalix.kommun.fake",
    )
    with pytest.raises(PermissionDenied):
        incident_follow_up(
            actor=world.registrar, incident=incident, status="resolved", note="Klart"
        )
    incident = incident_follow_up(
        actor=world.comms_lead, incident=incident, status="in_progress", note="Anmält till Meta."
    )
    incident = incident_follow_up(
        actor=world.comms_lead, incident=incident, status="resolved", note="Kontot borttaget."
    )
    assert incident.status == IncidentStatus.RESOLVED and incident.resolved_at is not None
    assert [u.status for u in incident.updates.all()] == ["in_progress", "resolved"]
    with pytest.raises(ValidationError):
        incident_follow_up(actor=world.comms_lead, incident=incident, status="resolved", note="x")


def test_pages_report_and_hide_other_organisations(
    world: OrganisationWorld, other_world: OrganisationWorld, client: Client
) -> None:
    client.force_login(world.account_owner)
    slug = world.organisation.slug
    response = client.post(
        f"/o/{slug}/incidenter/",
        {"kind": "malware", "description": "En bifogad fil i ett meddelande.", "account": ""},
    )
    assert response.status_code == 302
    page = client.get(f"/o/{slug}/incidenter/").content.decode()
    assert "skadeprogram" in page
    from kanalvakt.incidents.models import Incident

    incident = Incident.objects.get()
    assert client.get(f"/o/{slug}/incidenter/{incident.pk}/").status_code == 200
    client.force_login(other_world.comms_lead)
    assert client.get(f"/o/{slug}/incidenter/{incident.pk}/").status_code == 404
