"""REC-4: disposal under the pack's decision, with a log and legal holds."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client

from conftest import OrganisationWorld
from kanalvakt.audit.models import AuditEvent
from kanalvakt.inbox.models import Item
from kanalvakt.policies.tests.helpers import use_pack
from kanalvakt.records.disposal import disposal_run, legal_hold_place, legal_hold_release
from kanalvakt.records.models import DisposalLogEntry
from kanalvakt.records.search import item_search
from kanalvakt.records.tests.conftest import Receive


def test_silent_pack_disposes_nothing_and_says_so(
    overkalix: OrganisationWorld, receive: Receive, client: Client
) -> None:
    receive("Fina bilder!")
    with pytest.raises(ValidationError):
        disposal_run(actor=overkalix.registrar, organisation=overkalix.organisation)
    client.force_login(overkalix.registrar)
    page = client.get("/o/overkalix/gallring/").content.decode()
    assert "Policyn har inget gallringsbeslut. Inget gallras." in page


def test_disposal_blanks_content_keeps_a_tombstone_and_verify_still_passes(
    world: OrganisationWorld, receive: Receive, capsys: pytest.CaptureFixture[str]
) -> None:
    item = receive("Kommentar med 19121212-1212 som ska gallras")
    use_pack(world.organisation, "skelleftea-kraft")
    run = disposal_run(
        actor=world.registrar,
        organisation=world.organisation,
        now=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1),
    )
    assert run.disposed_count == 1
    stored = Item.objects.get(pk=item.pk)
    assert stored.text == ""
    assert bytes(stored.raw) == b""
    assert stored.author_name == ""
    entry = DisposalLogEntry.objects.get(item=item)
    assert entry.raw_sha256 == item.raw_sha256
    assert entry.run.rule_path == "disposal.decision"
    assert AuditEvent.objects.filter(event_type="record.item_disposed").count() == 1
    assert not item_search(organisation=world.organisation, query="gallras").exists()
    call_command("verify_records")
    assert "Alla kontrollsummor stämmer" in capsys.readouterr().out


def test_legal_hold_stops_disposal(world: OrganisationWorld, receive: Receive) -> None:
    item = receive("Kommentar under utredning")
    use_pack(world.organisation, "skelleftea-kraft")
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1)
    hold = legal_hold_place(actor=world.registrar, organisation=world.organisation, reason="Tvist")
    with pytest.raises(ValidationError):
        disposal_run(actor=world.registrar, organisation=world.organisation, now=later)
    legal_hold_release(actor=world.registrar, hold=hold)
    legal_hold_place(
        actor=world.registrar,
        organisation=world.organisation,
        reason="Polisanmälan",
        account=item.account,
    )
    run = disposal_run(actor=world.registrar, organisation=world.organisation, now=later)
    assert run.disposed_count == 0
    assert run.held_count == 1
    assert Item.objects.get(pk=item.pk).text == "Kommentar under utredning"


def test_delivery_body_goes_when_every_item_cut_from_it_is_disposed(
    world: OrganisationWorld, account: object, capsys: pytest.CaptureFixture[str]
) -> None:
    from kanalvakt.connectors.base import IncomingItem, ItemKind
    from kanalvakt.inbox.models import Delivery, DeliverySource
    from kanalvakt.inbox.services import delivery_store, item_ingest
    from kanalvakt.records.models import DeliveryDisposal

    body = b'{"entry": [{"message": "Hemlig kommentar 19121212-1212"}]}'
    delivery = delivery_store(
        organisation=world.organisation,
        platform="facebook",
        source=DeliverySource.WEBHOOK,
        body=body,
    ).delivery
    incoming = IncomingItem(
        platform="facebook",
        external_id="d1",
        kind=ItemKind.COMMENT,
        created_at=datetime.datetime.now(datetime.UTC),
        raw=body,
        text="Hemlig kommentar",
    )
    item_ingest(account=account, incoming=incoming, delivery=delivery)  # type: ignore[arg-type]
    use_pack(world.organisation, "skelleftea-kraft")
    disposal_run(
        actor=world.registrar,
        organisation=world.organisation,
        now=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1),
    )
    assert bytes(Delivery.objects.get(pk=delivery.pk).body) == b""
    assert DeliveryDisposal.objects.get(delivery=delivery).sha256 == delivery.sha256
    call_command("verify_records")
    assert "Alla kontrollsummor stämmer" in capsys.readouterr().out
