from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from kanalvakt.inbox.models import Delivery, DeliveryIngest, Item, PlatformCredentials
from kanalvakt.inbox.tests.conftest import APP_SECRET, fixture_bytes, meta_signature
from kanalvakt.register.models import Account

pytestmark = pytest.mark.django_db

FEED = "facebook/kanalvakt-feed-sv-fi.json"


def post(client: Client, credentials: PlatformCredentials, body: bytes, **headers: str) -> object:
    return client.post(
        f"/webhooks/facebook/{credentials.webhook_key}/",
        data=body,
        content_type="application/json",
        headers=headers,
    )


def test_signed_delivery_is_stored_with_its_items(
    client: Client, facebook_credentials: PlatformCredentials, page: Account
) -> None:
    body = fixture_bytes(FEED)
    response = post(client, facebook_credentials, body, X_Hub_Signature_256=meta_signature(body))
    assert response.status_code == 200  # type: ignore[attr-defined]
    delivery = Delivery.objects.get()
    assert bytes(delivery.body) == body
    items = Item.objects.filter(account=page).order_by("created_at")
    assert [item.author_name for item in items] == ["Åsa Öberg", "Päivi Mäkelä", "Degerfors kommun"]
    assert "återvinningscentralen" in items[0].text
    assert items[1].text.startswith("Kysyin samaa")
    assert items[2].by_account
    assert all(len(item.raw_sha256) == 64 for item in items)


def test_repeated_delivery_stores_nothing_new(
    client: Client, facebook_credentials: PlatformCredentials, page: Account
) -> None:
    body = fixture_bytes(FEED)
    for _ in range(3):
        response = post(
            client, facebook_credentials, body, X_Hub_Signature_256=meta_signature(body)
        )
        assert response.status_code == 200  # type: ignore[attr-defined]
    assert Delivery.objects.count() == 1
    assert Item.objects.count() == 3


@pytest.mark.parametrize(
    "signature",
    [None, "", "sha256=" + "0" * 64, "sha1=abc", meta_signature(b"other body")],
)
def test_bad_or_missing_signature_is_refused_and_stores_nothing(
    client: Client, facebook_credentials: PlatformCredentials, page: Account, signature: str | None
) -> None:
    body = fixture_bytes(FEED)
    headers = {} if signature is None else {"X_Hub_Signature_256": signature}
    response = post(client, facebook_credentials, body, **headers)
    assert response.status_code == 403  # type: ignore[attr-defined]
    assert not Delivery.objects.exists()
    assert not Item.objects.exists()


def test_malformed_json_is_kept_and_marked_with_the_reason_by_the_worker(
    client: Client, facebook_credentials: PlatformCredentials, page: Account
) -> None:
    # Signed by the platform, so stored as received: the webhook does not parse before its 200.
    body = b'{"object": "page", "entry": [}'
    response = post(client, facebook_credentials, body, X_Hub_Signature_256=meta_signature(body))
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert bytes(Delivery.objects.get().body) == body
    ingest = DeliveryIngest.objects.get()
    assert ingest.done_at is not None
    assert "Oväntat innehåll" in ingest.error
    assert "JSON" in ingest.error
    assert not Item.objects.exists()


def test_oversized_body_is_refused(
    client: Client,
    facebook_credentials: PlatformCredentials,
    page: Account,
    settings: object,
) -> None:
    settings.WEBHOOK_MAX_BYTES = 2048  # type: ignore[attr-defined]
    body = b'{"object": "page", "entry": [], "pad": "' + b"x" * 4096 + b'"}'
    response = post(client, facebook_credentials, body, X_Hub_Signature_256=meta_signature(body))
    assert response.status_code == 413  # type: ignore[attr-defined]
    assert not Delivery.objects.exists()


def test_unknown_webhook_key_is_404(
    client: Client, facebook_credentials: PlatformCredentials
) -> None:
    body = fixture_bytes(FEED)
    response = client.post(
        "/webhooks/facebook/not-a-key/", data=body, content_type="application/json"
    )
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/plain")


def test_subscription_handshake(client: Client, facebook_credentials: PlatformCredentials) -> None:
    url = f"/webhooks/facebook/{facebook_credentials.webhook_key}/"
    ok = client.get(
        url, {"hub.mode": "subscribe", "hub.verify_token": "verify-me", "hub.challenge": "42"}
    )
    assert ok.status_code == 200
    assert ok.content == b"42"
    bad = client.get(
        url, {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "42"}
    )
    assert bad.status_code == 403


def _feed_change(verb: str, message: str | None) -> bytes:
    value: dict[str, object] = {
        "item": "comment",
        "verb": verb,
        "comment_id": "777000111222333_888000111222333",
        "post_id": "104857600123456_777000111222333",
        "parent_id": "104857600123456_777000111222333",
        "from": {"id": "5550001112223", "name": "Åsa Öberg"},
        "created_time": 1763369990,
    }
    if message is not None:
        value["message"] = message
    delivery = {
        "object": "page",
        "entry": [
            {
                "id": "104857600123456",
                "time": 1763371000,
                "changes": [{"field": "feed", "value": value}],
            }
        ],
    }
    return json.dumps(delivery, ensure_ascii=False).encode()


def test_edit_and_removal_on_the_platform_become_versions(
    client: Client, facebook_credentials: PlatformCredentials, page: Account
) -> None:
    bodies = [
        fixture_bytes(FEED),
        _feed_change("edited", "Hej! När öppnar ÅVC igen? (rättat)"),
        _feed_change("edited", "Hej! När öppnar ÅVC igen? (rättat)"),
        _feed_change("remove", None),
    ]
    for body in bodies:
        response = post(
            client, facebook_credentials, body, X_Hub_Signature_256=meta_signature(body)
        )
        assert response.status_code == 200  # type: ignore[attr-defined]
    item = Item.objects.get(external_id="777000111222333_888000111222333")
    versions = list(item.versions.all())
    assert [(v.text, v.deleted) for v in versions] == [
        ("Hej! När öppnar ÅVC igen? (rättat)", False),
        ("Hej! När öppnar ÅVC igen? (rättat)", True),
    ]
    # The original text as first received is kept unchanged beside the versions.
    assert item.text.startswith("Hej! När öppnar återvinningscentralen")
    assert Item.objects.count() == 3


def test_a_replayed_delivery_is_stored_and_queued_once(
    client: Client, facebook_credentials: PlatformCredentials, page: Account, settings: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    from kanalvakt.inbox.tasks import delivery_ingest_task

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    body = fixture_bytes(FEED)
    answers = [
        post(client, facebook_credentials, body, X_Hub_Signature_256=meta_signature(body))
        for _ in range(3)
    ]
    assert [answer.status_code for answer in answers] == [200, 200, 200]  # type: ignore[attr-defined]
    assert [json.loads(answer.content) for answer in answers] == [  # type: ignore[attr-defined]
        {"accepted": 1, "repeated": 0},
        {"accepted": 0, "repeated": 1},
        {"accepted": 0, "repeated": 1},
    ]
    delivery = Delivery.objects.get()
    assert bytes(delivery.body) == body
    assert delivery.headers["x-hub-signature-256"] == meta_signature(body)
    assert DeliveryIngest.objects.get().delivery_id == delivery.pk
    assert not Item.objects.exists()  # read by the worker, not before the 200
    (task,) = DBTaskResult.objects.ready()
    assert task.task == delivery_ingest_task
    assert task.task_result.args == [delivery.pk]
    assert task.task.call(*task.task_result.args) == 3
    assert Item.objects.filter(delivery=delivery).count() == 3


def test_the_webhook_answer_is_never_cached_nor_sniffed(
    client: Client, facebook_credentials: PlatformCredentials, page: Account
) -> None:
    body = fixture_bytes(FEED)
    url = reverse("inbox:webhook", args=["facebook", facebook_credentials.webhook_key])
    response = client.post(
        url,
        data=body,
        content_type="application/json",
        headers={"X-Hub-Signature-256": meta_signature(body)},
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sessionid" not in response.cookies


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a kept connection breaks only on a server"
)
@pytest.mark.django_db(transaction=True)
def test_a_delivery_on_a_broken_kept_connection_is_still_stored(
    facebook_credentials: PlatformCredentials, page: Account
) -> None:
    import psycopg

    client = Client()
    first = fixture_bytes(FEED)
    post(client, facebook_credentials, first, X_Hub_Signature_256=meta_signature(first))
    # The server ends the connection Django keeps (a restart, an idle timeout, a failover).
    params = connection.get_connection_params()
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [connection.connection.info.backend_pid])
    # What a server's request_started does before each request (the test client leaves it out).
    connection.close_if_unusable_or_obsolete()
    wrapper: Any = connection  # the health-check attributes are not in django-stubs
    assert wrapper.health_check_enabled and not wrapper.health_check_done
    body = _feed_change("edited", "Hej! Rättat efter omstart.")
    response = post(client, facebook_credentials, body, X_Hub_Signature_256=meta_signature(body))
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert Delivery.objects.count() == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "backend",
    ["django.tasks.backends.immediate.ImmediateBackend", "django_tasks_db.DatabaseBackend"],
)
def test_a_new_secret_or_address_holds_from_the_next_delivery(
    facebook_credentials: PlatformCredentials, page: Account, settings: Any, backend: str
) -> None:
    # The web process may keep credentials between deliveries: a change must still hold.
    settings.TASKS = {"default": {"BACKEND": backend}}
    client = Client()
    credentials = PlatformCredentials.objects.filter(pk=facebook_credentials.pk)

    def send(text: str, secret: str) -> int:
        body = _feed_change("edited", text)
        signature = meta_signature(body, secret)
        response = post(client, facebook_credentials, body, X_Hub_Signature_256=signature)
        return int(response.status_code)  # type: ignore[attr-defined]

    assert send("Första.", APP_SECRET) == 200
    credentials.update(app_secret="new-secret")
    assert send("Med den gamla hemligheten.", APP_SECRET) == 403
    assert send("Med den nya hemligheten.", "new-secret") == 200

    credentials.update(webhook_key="moved")
    assert send("Till den gamla adressen.", "new-secret") == 404
    facebook_credentials.webhook_key = "moved"
    assert send("Till den nya adressen.", "new-secret") == 200
    credentials.delete()
    assert send("Efter att uppgifterna tagits bort.", "new-secret") == 404
    assert sorted(
        json.loads(bytes(d.body))["entry"][0]["changes"][0]["value"]["message"]
        for d in Delivery.objects.all()
    ) == [
        "Första.",
        "Med den nya hemligheten.",
        "Till den nya adressen.",
    ]
