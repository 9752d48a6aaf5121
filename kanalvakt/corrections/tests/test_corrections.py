"""INB-8: misinformation becomes a correction task with the pack's deadline and template."""

from __future__ import annotations

import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client

from conftest import OrganisationWorld
from kanalvakt.audit.models import AuditEvent
from kanalvakt.corrections.models import Correction, CorrectionStatus
from kanalvakt.corrections.services import correction_close, correction_set_source
from kanalvakt.inbox.models import InboxEntry
from kanalvakt.inbox.tests.conftest import Receive
from kanalvakt.policies.tests.helpers import use_pack
from kanalvakt.register.tests.factories import entered_account

SOURCES = Path(settings.POLICY_PACK_DIR) / "sources"
STOCKHOLM = ZoneInfo("Europe/Stockholm")


def in_source(file: str, quote: str) -> bool:
    return " ".join(quote.split()) in " ".join((SOURCES / file).read_text("utf-8").split())


def test_overkalix_misinformation_opens_a_correction_due_in_48_hours(
    world: OrganisationWorld, receive: Receive
) -> None:
    quote = (
        "Det ger oss en möjlighet att i olika forum bemöta osaklig kritik och direkta felaktigheter"
    )
    assert in_source("001_a3d89b8332877af7.txt", quote)
    use_pack(world.organisation, "overkalix")
    page = entered_account(world, staffed=True)
    monday = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=STOCKHOLM)
    with time_machine.travel(monday, tick=False):
        item = receive(page, "Jag har hört att simhallen stänger för gott i vår.")
    assert InboxEntry.objects.get(item=item).intent == "misinformation"
    correction = Correction.objects.get(entry__item=item)
    assert correction.status == CorrectionStatus.OPEN
    assert correction.due_at == monday + datetime.timedelta(hours=48)
    assert correction.rule.startswith("inbox.correct_misinformation")
    assert "{source_link}" in correction.template
    assert AuditEvent.objects.filter(event_type="correction.opened").count() == 1


def test_kyrkslatt_correction_uses_the_packs_template(
    world: OrganisationWorld, receive: Receive
) -> None:
    assert in_source("003_c812241455402087.txt", "Det är bra att korrigera fel och framföra fakta.")
    use_pack(world.organisation, "kyrkslatt")
    account = entered_account(world, staffed=True)
    item = receive(account, "Kuulin että kirjasto suljetaan ensi vuonna.")
    correction = Correction.objects.get(entry__item=item)
    assert correction.template.startswith("Hej! Här är fakta i saken")


def test_no_task_where_the_pack_does_not_ask(world: OrganisationWorld, receive: Receive) -> None:
    use_pack(world.organisation, "skelleftea-kraft")
    account = entered_account(world, staffed=True)
    item = receive(account, "Jag har hört att elnätet läggs ner i byn.")
    assert InboxEntry.objects.get(item=item).intent == "misinformation"
    assert not Correction.objects.filter(entry__item=item).exists()


def test_closed_by_the_published_correction_with_a_source_on_the_own_website(
    world: OrganisationWorld, receive: Receive, client: Client
) -> None:
    use_pack(world.organisation, "overkalix")
    account = entered_account(world, staffed=True)
    item = receive(account, "Det sägs att skolan ska stänga i höst.")
    correction = Correction.objects.get(entry__item=item)
    with pytest.raises(ValidationError, match="källan"):
        correction_close(
            actor=world.account_owner, correction=correction, correction_url="https://x.se/1"
        )
    with pytest.raises(ValidationError, match="egen webbplats"):
        correction_set_source(
            actor=world.account_owner, correction=correction, source_url="https://evil.example/"
        )
    correction_set_source(
        actor=world.account_owner,
        correction=correction,
        source_url="https://www.overkalix.se/skolor/skolplan-2027",
    )
    with pytest.raises(ValidationError, match="Svara"):
        correction_close(actor=world.account_owner, correction=correction)
    closed = correction_close(
        actor=world.account_owner,
        correction=correction,
        correction_url="https://www.facebook.com/overkalix/posts/123",
    )
    assert closed.status == CorrectionStatus.CLOSED and closed.closed_at is not None
    client.force_login(world.account_owner)
    page = client.get(f"/o/{world.organisation.slug}/rattelser/{closed.pk}/").content.decode()
    assert "skolplan-2027" in page
    assert "Rättad" in page
