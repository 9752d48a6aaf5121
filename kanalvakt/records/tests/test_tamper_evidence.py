"""Issue 11 finding 4: every tampering a database administrator can do is named (REC-7, REC-8)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from kanalvakt.audit.models import AuditChainHead, AuditEvent
from kanalvakt.connectors.base import IncomingItem, ItemKind
from kanalvakt.inbox.models import Item, ItemVersion
from kanalvakt.inbox.services import item_ingest
from kanalvakt.records.capture import Capture
from kanalvakt.records.checkpoints import checkpoint_create, published_json
from kanalvakt.records.models import SnapshotFile, SnapshotReason
from kanalvakt.records.snapshots import snapshot_capture
from kanalvakt.records.tests.conftest import Receive
from kanalvakt.records.tests.tamperings import TAMPERINGS, Scene, findings
from kanalvakt.register.models import Account

pytestmark = pytest.mark.usefixtures("checkpoint_key")


def _capturer(url: str) -> Capture:
    return Capture(url=url, final_url=url, title="Överkalix", png=b"\x89PNG picture", warc=b"warc")


@pytest.fixture
def scene(receive: Receive, account: Account, tmp_path: Path) -> Scene:
    item = receive("Varför är det inte plogat på Storgatan?", author="Anna Andersson")
    other = receive("Tack för informationen!")
    edited = IncomingItem(
        platform="facebook",
        external_id=item.external_id,
        kind=ItemKind(item.kind),
        created_at=item.created_at,
        raw=b'{"id": "edited"}',
        text="Varför är det inte plogat på Storgatan än?",
    )
    delivery_item = receive("Hej")
    version = item_ingest(account=account, incoming=edited).version
    assert version is not None
    from kanalvakt.inbox.models import DeliverySource
    from kanalvakt.inbox.services import delivery_store

    delivery = delivery_store(
        organisation=account.organisation,
        platform="facebook",
        source=DeliverySource.WEBHOOK,
        body=b'{"entry": [1]}',
    ).delivery
    snapshot_capture(
        actor=None, account=account, reason=SnapshotReason.HALF_YEARLY, capturer=_capturer
    )
    checkpoint_create(until=timezone.now())
    assert delivery_item.pk
    return Scene(
        item=item.pk,
        other_item=other.pk,
        version=version.pk,
        delivery=delivery.pk,
        snapshot_file=SnapshotFile.objects.get(kind=SnapshotFile.Kind.PNG).pk,
        published=json.loads(published_json()),
    )


def test_an_untouched_database_is_proved_by_its_checkpoint(
    scene: Scene, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert findings(scene) == []
    published = tmp_path / "kontrollpunkter.json"
    published.write_text(json.dumps(scene.published))
    call_command("verify_audit", "--checkpoints", str(published))
    assert "1 of 1 checkpoints proved" in capsys.readouterr().out
    call_command("verify_records")


@pytest.mark.parametrize("name", list(TAMPERINGS))
def test_each_tampering_is_named(
    scene: Scene, name: str, record_property: Callable[[str, object], None]
) -> None:
    expected = TAMPERINGS[name](scene)
    found = findings(scene)
    named = [line for line in found if expected in line]
    assert named, (name, expected, found)
    record_property("named", named[0])


def test_there_are_23_tamperings() -> None:
    assert len(TAMPERINGS) == 23


def test_verify_audit_names_a_rewritten_chain_from_the_published_file(
    scene: Scene, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    published = tmp_path / "kontrollpunkter.json"
    published.write_text(json.dumps(scene.published))
    TAMPERINGS["re-hash the chain after a middle edit"](scene)
    with pytest.raises(CommandError, match="kontrollpunkt #1"):
        call_command("verify_audit")  # the stored checkpoint still vouches for the old head
    TAMPERINGS["delete the stored checkpoint"](scene)
    call_command("verify_audit")  # with that gone too, the database alone looks consistent...
    with pytest.raises(CommandError):
        call_command("verify_audit", "--checkpoints", str(published))
    assert "kontrollpunkt #1" in capsys.readouterr().err


def test_a_checkpoint_signed_with_another_key_is_not_trusted(
    scene: Scene, tmp_path: Path, settings: Any
) -> None:
    settings.CHECKPOINT_KEY_FILE = str(tmp_path / "other.pem")
    from kanalvakt.records.signing import key_generate

    key_generate(Path(settings.CHECKPOINT_KEY_FILE))
    assert any("inte är betrodd" in line for line in findings(scene))


@pytest.mark.parametrize("table", ["audit_auditevent", "inbox_item", "inbox_itemversion"])
def test_the_database_refuses_deletes(scene: Scene, table: str) -> None:
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
    assert Item.objects.exists() and ItemVersion.objects.exists() and AuditEvent.objects.exists()


def test_the_head_cannot_be_rewound(scene: Scene) -> None:
    first = AuditEvent.objects.get(sequence=1)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditChainHead.objects.filter(id=1).update(sequence=1, hash=first.hash)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(sequence=1).update(target_label="x")


def test_seal_is_written_at_receipt(receive: Callable[..., Item]) -> None:
    item = receive("Hej")
    event = AuditEvent.objects.get(event_type="item.received", target_id=str(item.pk))
    assert len(event.data["seal"]["fields"]) == 64


def test_register_page_and_json_publish_the_checkpoint(scene: Scene, client: Any) -> None:
    page = client.get("/register/overkalix/").content.decode()
    assert "Kontrollpunkter för granskningsloggen" in page
    checkpoint = scene.published["checkpoints"][0]
    assert json.loads(checkpoint["statement"])["audit_chain"]["hash"] in page
    document = client.get("/register/overkalix/kontrollpunkter.json").json()
    assert document == scene.published


def test_snapshots_and_packages_carry_the_checkpoints(
    scene: Scene, account: Account, tmp_path: Path
) -> None:
    from django.core.files.storage import default_storage

    from kanalvakt.records.archive import package_build

    snapshot = snapshot_capture(
        actor=None, account=account, reason=SnapshotReason.HALF_YEARLY, capturer=_capturer
    )
    kept = snapshot.files.get(kind=SnapshotFile.Kind.CHECKPOINTS)
    with default_storage.open(kept.name, "rb") as handle:
        assert json.loads(handle.read()) == scene.published
    today = timezone.localdate()
    for fmt, relpath in (
        ("bagit", "data/checkpoints.json"),
        ("eark", "documentation/checkpoints.json"),
    ):
        path, _items, _snapshots = package_build(
            organisation=account.organisation,
            fmt=fmt,
            date_from=today,
            date_to=today,
            output_dir=tmp_path / fmt,
        )
        assert json.loads((path / relpath).read_text()) == scene.published


def test_batch_receipts_count_like_single_ones(receive: Callable[..., Item], world: Any) -> None:
    """A batch ingest may write one event with many receipts; the cross-check reads them."""
    from kanalvakt.audit.services import audit_record
    from kanalvakt.records.crosscheck import Receipts, _batch_receipts
    from kanalvakt.records.seals import item_seal, receipts_for

    item = receive("Hej")
    with transaction.atomic():
        audit_record(
            actor=None,
            organisation=world.organisation,
            event_type="item.batch_received",
            target=world.organisation,
            data={"receipts": receipts_for([item.pk])},
        )
    receipts = Receipts()
    _batch_receipts(receipts)
    _sequence, sha256, seal = receipts.items[item.pk]
    assert (sha256, seal) == (item.raw_sha256, item_seal(item)["fields"])
