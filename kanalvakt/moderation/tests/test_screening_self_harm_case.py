"""A comment about self-harm goes to a person at once, with the pack's supportive reply."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from conftest import OrganisationWorld
from kanalvakt.audit.models import AuditEvent
from kanalvakt.inbox.models import Item
from kanalvakt.moderation.models import ModerationCase, Screening
from kanalvakt.moderation.services import self_harm_support

pytestmark = pytest.mark.django_db

SELF_HARM = "Jag orkar inte leva längre. Ingen på kommunen bryr sig ändå."


def test_self_harm_is_escalated_at_once_and_never_suggested_for_removal(
    receive: Callable[[str], Item],
    world: OrganisationWorld,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        item = receive(SELF_HARM)
    screening = Screening.objects.get(item=item)
    assert screening.action == "review"
    assert any(f["category"] == "self_harm" for f in screening.findings)
    case = ModerationCase.objects.get(item=item)
    assert case.escalated_at is not None
    assert case.due_at is not None and case.due_at <= case.escalated_at
    event = AuditEvent.objects.get(event_type="moderation.self_harm")
    assert world.comms_lead.username in event.data["to"]
    assert any("självskada" in message.subject for message in mail.outbox)
    assert any("90101" in message.body for message in mail.outbox)


def test_the_case_page_offers_the_packs_supportive_reply(
    receive: Callable[[str], Item], world: OrganisationWorld, client: Client
) -> None:
    item = receive(SELF_HARM)
    case = ModerationCase.objects.get(item=item)
    client.force_login(world.comms_lead)
    page = client.get(
        reverse("moderation:case", kwargs={"slug": world.organisation.slug, "pk": case.pk})
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "Självmordslinjen" in html and "90101" in html
    assert "Möjlig självskada" in html


def test_the_pack_names_who_is_told_and_the_reply(
    receive: Callable[[str], Item], world: OrganisationWorld
) -> None:
    roles, reply = self_harm_support(world.organisation)
    assert roles == ["comms_lead", "account_owner"]
    assert "90101" in reply["sv"] and "09 2525 0111" in reply["fi"]
    item = receive("Tack för hjälpen med bygglovet!")
    assert not ModerationCase.objects.filter(item=item).exists()
