"""Big deliveries: own fragments per item, batches, a cap, a busy database (11.3, 12.1)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.db import OperationalError
from django.test import Client

from kanalvakt.audit.models import AuditEvent
from kanalvakt.audit.services import audit_verify_chain
from kanalvakt.connectors.facebook.parse import parse_delivery
from kanalvakt.inbox import ingest
from kanalvakt.inbox.batches import items_received_verify
from kanalvakt.inbox.events import InboxEvent
from kanalvakt.inbox.ingest import retry_when_locked
from kanalvakt.inbox.models import (
    Delivery,
    DeliveryIngest,
    InboxEntry,
    Item,
    ItemProcessing,
    PlatformCredentials,
)
from kanalvakt.inbox.processing import items_process
from kanalvakt.inbox.tests.conftest import meta_signature
from kanalvakt.register.models import Account

pytestmark = pytest.mark.django_db

PAGE = "104857600123456"
COUNT = 5000


def big_delivery(changes: int, *, page: str = PAGE, suffix: str = "") -> bytes:
    """One signed-looking Facebook feed delivery with `changes` new comments."""
    return json.dumps(
        {
            "object": "page",
            "entry": [
                {
                    "id": page,
                    "time": 1764400000,
                    "changes": [
                        {
                            "field": "feed",
                            "value": {
                                "item": "comment",
                                "verb": "add",
                                "comment_id": f"{page}_1_{number}{suffix}",
                                "post_id": f"{page}_1",
                                "parent_id": f"{page}_1",
                                "from": {"id": f"9{number:08d}", "name": "Åsa Öberg"},
                                "created_time": 1764400000 + number,
                                "message": f"När öppnar simhallen igen? Fråga nummer {number}.",
                            },
                        }
                        for number in range(changes)
                    ],
                }
            ],
        },
        ensure_ascii=False,
    ).encode()


def post(client: Client, credentials: PlatformCredentials, body: bytes) -> Any:
    return client.post(
        f"/webhooks/facebook/{credentials.webhook_key}/",
        data=body,
        content_type="application/json",
        headers={"X-Hub-Signature-256": meta_signature(body)},
    )


def test_a_5000_change_delivery_stores_each_fragment_once_and_is_processed(
    client: Client,
    facebook_credentials: PlatformCredentials,
    page: Account,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    settings.WEBHOOK_MAX_BYTES = 4 * 1024 * 1024
    queued: list[list[int]] = []
    monkeypatch.setattr(ingest, "_enqueue_batch", queued.append)
    body = big_delivery(COUNT)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, facebook_credentials, body)
    assert response.status_code == 200

    delivery = Delivery.objects.get()
    assert bytes(delivery.body) == body
    assert Item.objects.filter(account=page).count() == COUNT
    # Each item keeps its own fragment, not the whole body: bounded bytes, not 5000 × body.
    raw_bytes = sum(len(bytes(raw)) for raw in Item.objects.values_list("raw", flat=True))
    assert raw_bytes < 2 * len(body)
    item = Item.objects.get(external_id=f"{PAGE}_1_4321")
    assert "Fråga nummer 4321.".encode() in bytes(item.raw)
    assert b"nummer 4322" not in bytes(item.raw)
    # The fragment reads back as the same item, and its checksum is its own.
    [again] = parse_delivery(bytes(item.raw))
    assert (again.external_id, again.text, again.sha256) == (
        item.external_id,
        item.text,
        item.raw_sha256,
    )
    assert item.delivery_id == delivery.pk
    # Read in batches, each with one chained audit event that verifies against the items.
    batches = AuditEvent.objects.filter(event_type=InboxEvent.ITEMS_RECEIVED)
    assert batches.count() == COUNT // 500
    assert sum(event.data["count"] for event in batches) == COUNT
    assert all(items_received_verify(event.data) == [] for event in batches)
    assert not AuditEvent.objects.filter(event_type=InboxEvent.ITEM_RECEIVED).exists()
    assert audit_verify_chain().intact
    assert DeliveryIngest.objects.get().done_at is not None
    # Every item is queued for processing once: one task per batch of 500.
    assert [len(batch) for batch in queued] == [500] * (COUNT // 500)
    assert sorted(i for batch in queued for i in batch) == sorted(
        Item.objects.values_list("pk", flat=True)
    )
    assert ItemProcessing.objects.filter(processed_at__isnull=True).count() == COUNT
    # A queued batch is processed: its items get their inbox entries (a slice keeps this quick).
    sample = queued[-1][:40]
    assert items_process(item_ids=sample) == len(sample)
    assert items_process(item_ids=sample) == 0
    assert InboxEntry.objects.filter(item_id__in=sample).count() == len(sample)
    assert ItemProcessing.objects.filter(processed_at__isnull=False).count() == len(sample)


def test_items_beyond_the_cap_stay_in_the_delivery_only(
    client: Client,
    facebook_credentials: PlatformCredentials,
    page: Account,
    settings: Any,
) -> None:
    settings.INBOX_MAX_ITEMS_PER_DELIVERY = 10
    body = big_delivery(25)
    assert post(client, facebook_credentials, body).status_code == 200
    assert bytes(Delivery.objects.get().body) == body
    assert Item.objects.count() == 10
    ingest = DeliveryIngest.objects.get()
    assert ingest.done_at is not None
    assert "25 meddelanden" in ingest.error


def test_a_signed_delivery_the_parser_rejects_is_kept_and_marked(
    client: Client, facebook_credentials: PlatformCredentials, page: Account
) -> None:
    body = b'{"object": "instagram", "entry": []}'
    assert post(client, facebook_credentials, body).status_code == 200
    ingest = DeliveryIngest.objects.get()
    assert ingest.done_at is not None
    assert "Oväntat innehåll" in ingest.error
    assert not Item.objects.exists()


def test_a_batch_event_names_a_changed_or_missing_item() -> None:
    assert items_received_verify({"items": [987654], "sha256": "0" * 64}) == [
        "item 987654 is missing"
    ]


def test_work_is_tried_again_while_the_database_is_locked() -> None:
    calls = []

    def work() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("database is locked")
        return "done"

    assert retry_when_locked(work, first_wait=0.001) == "done"
    assert len(calls) == 3


def test_other_database_errors_are_not_retried() -> None:
    calls = []

    def work() -> None:
        calls.append(1)
        raise OperationalError("no such table: inbox_item")

    with pytest.raises(OperationalError):
        retry_when_locked(work, first_wait=0.001)
    assert len(calls) == 1


def test_the_worker_command_starts_again_when_the_database_is_locked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from kanalvakt.inbox.management.commands import worker

    runs: list[dict[str, Any]] = []

    def db_worker(name: str, **options: Any) -> None:
        runs.append(options)
        if len(runs) < 3:
            raise OperationalError("database is locked")

    monkeypatch.setattr(worker, "call_command", db_worker)
    monkeypatch.setattr("kanalvakt.inbox.management.commands.worker.time.sleep", lambda s: None)
    worker.Command().handle(interval=0.1, batch=True, max_restarts=0, verbosity=0)
    assert len(runs) == 3
    assert all(run["batch"] for run in runs)


def test_the_worker_command_stops_on_other_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    from kanalvakt.inbox.management.commands import worker

    def db_worker(name: str, **options: Any) -> None:
        raise OperationalError("no such table: django_tasks_db_dbtaskresult")

    monkeypatch.setattr(worker, "call_command", db_worker)
    with pytest.raises(OperationalError):
        worker.Command().handle(interval=0.1, batch=True, max_restarts=0, verbosity=0)


@pytest.mark.parametrize("platform", ["x", "instagram"])
def test_several_events_in_one_delivery_each_keep_a_fragment_that_reads_back(
    platform: str,
) -> None:
    from kanalvakt.connectors.registry import connector_for
    from kanalvakt.inbox.tests.conftest import fixture_bytes

    if platform == "x":
        parts = [
            json.loads(fixture_bytes(f"x/{name}.json"))
            for name in (
                "aaa-tweet-create-mention-sv",
                "aaa-tweet-create-reply-fi",
                "aaa-direct-message-sv",
                "aaa-tweet-delete",
            )
        ]
        merged: dict[str, Any] = {"for_user_id": parts[0]["for_user_id"], "users": {}}
        for part in parts:
            for key, value in part.items():
                if key.endswith("_events"):
                    merged.setdefault(key, []).extend(value)
                elif key == "users":
                    merged["users"].update(value)
    else:
        merged = json.loads(fixture_bytes("instagram/wh-comments.json"))
        entry = merged["entry"][0]
        entry["changes"] = entry["changes"] * 2 if len(entry["changes"]) == 1 else entry["changes"]
        entry["changes"][1] = json.loads(
            json.dumps(entry["changes"][1]).replace('"id": "', '"id": "9')
        )
    body = json.dumps(merged).encode()
    connector = connector_for(platform)
    items = connector.parse_webhook(body)
    assert len(items) >= 2
    for item in items:
        assert item.raw != body
        [again] = connector.parse_webhook(item.raw)
        assert (again.external_id, again.text, again.kind, again.author_external_id) == (
            item.external_id,
            item.text,
            item.kind,
            item.author_external_id,
        )


def test_a_delivery_queued_with_one_insert_is_a_task_the_database_backend_runs(
    world: Any, page: Account, settings: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    from kanalvakt.inbox.models import DeliverySource
    from kanalvakt.inbox.tasks import delivery_ingest_task

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    result = ingest.delivery_accept(
        organisation_id=world.organisation.pk,
        platform="facebook",
        source=DeliverySource.WEBHOOK,
        body=big_delivery(3),
    )
    (row,) = DBTaskResult.objects.ready()
    assert row.task == delivery_ingest_task
    assert row.task_result.args == [result.delivery.pk]
    # What the worker does with the row: the delivery's items are stored.
    assert row.task.call(*row.task_result.args) == 3
    assert Item.objects.filter(delivery=result.delivery).count() == 3
