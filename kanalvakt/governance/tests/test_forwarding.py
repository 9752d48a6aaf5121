"""Överkalix: registered factual criticism is forwarded as a tracked step with a due date."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client

from conftest import OrganisationWorld
from kanalvakt.governance.forwarding import forwarded_matter_answer, forwarded_matters_track
from kanalvakt.governance.models import ForwardedMatter
from kanalvakt.inbox.tests.conftest import Receive
from kanalvakt.policies.tests.helpers import use_pack
from kanalvakt.records.models import Registration
from kanalvakt.records.registration import registration_register
from kanalvakt.register.tests.factories import entered_account

QUOTE = "Saklig kritik ska diarieföras och föras vidare till rätt instans i organisationen."


def test_a_forwarded_criticism_is_due_and_reminded_and_answered(
    world: OrganisationWorld,
    receive: Receive,
    client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    source = Path(settings.POLICY_PACK_DIR) / "sources" / "001_a3d89b8332877af7.txt"
    assert QUOTE in source.read_text(encoding="utf-8")
    use_pack(world.organisation, "overkalix")
    account = entered_account(world, staffed=True)
    item = receive(account, "Gatlampan på Storgatan är trasig och fungerar inte.")
    registration = Registration.objects.get(item=item)
    assert registration.forward_required
    registration_register(
        actor=world.registrar, registration=registration, case_officer=world.case_officer
    )
    assert forwarded_matters_track() == 1
    matter = ForwardedMatter.objects.get()
    assert matter.case_officer == world.case_officer
    assert matter.due_at is not None and matter.forwarded_at is not None
    assert matter.due_at - matter.forwarded_at == datetime.timedelta(hours=48)
    with django_capture_on_commit_callbacks(execute=True):
        forwarded_matters_track(now=matter.due_at + datetime.timedelta(minutes=1))
    assert mail.outbox[-1].to == [world.case_officer.email]
    assert forwarded_matters_track(now=matter.due_at + datetime.timedelta(hours=2)) == 0
    with pytest.raises(PermissionDenied):
        forwarded_matter_answer(actor=world.publisher, matter=matter, note="x")
    client.force_login(world.case_officer)
    client.post(
        f"/o/{world.organisation.slug}/vidarebefordrat/{matter.pk}/besvarat/",
        {"note": "Lampan lagad, svar skickat."},
    )
    matter.refresh_from_db()
    assert matter.answered_at is not None and matter.answered_by == world.case_officer


def test_not_tracked_where_the_pack_does_not_ask(
    world: OrganisationWorld, receive: Receive
) -> None:
    use_pack(world.organisation, "exempel")
    account = entered_account(world, staffed=True)
    item = receive(account, "Hur ansöker jag om bygglov?")
    registration = Registration.objects.get(item=item)
    registration_register(
        actor=world.registrar, registration=registration, case_officer=world.case_officer
    )
    assert forwarded_matters_track() == 0
