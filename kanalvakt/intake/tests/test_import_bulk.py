"""Issue 12.2: an import batch is stored in a few statements (COPY on PostgreSQL,
executemany on SQLite) with one verifiable audit event, and resumes after SIGKILL."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from conftest import OrganisationWorld
from kanalvakt.audit.models import AuditEvent
from kanalvakt.audit.services import audit_verify_chain
from kanalvakt.inbox.events import InboxEvent
from kanalvakt.inbox.models import Item, ItemProcessing, ItemVersion
from kanalvakt.inbox.tests.test_sigkill import _database_env
from kanalvakt.intake.bulkstore import ITEM_COLUMNS
from kanalvakt.intake.tests.test_import_archive import (
    deleted_tweets_js,
    received_counts,
    records_verified,
    run,
    tweet,
    tweets_js,
)
from kanalvakt.register.models import Account

REPO = Path(__file__).resolve().parents[3]
CHILD = [sys.executable, "-m", "kanalvakt.intake.tests.crash_import"]


def test_the_bulk_rows_cover_every_item_column() -> None:
    assert set(ITEM_COLUMNS) == {field.column for field in Item._meta.concrete_fields}


def test_each_batch_is_one_verifiable_audit_event(
    world: OrganisationWorld, x_account: Account, tmp_path: Path
) -> None:
    path = tweets_js(tmp_path / "tweets.js", 25)
    out = run(str(path), "--account", str(x_account.pk), "--format", "x", "--batch-size", "10")
    assert "25 nya" in out
    assert received_counts() == [10, 10, 5]
    assert audit_verify_chain().intact
    assert ItemProcessing.objects.filter(processed_at=None).count() == 25
    item = Item.objects.get(external_id="1990000000000000007")
    assert item.text == "Meddelande nummer 7 från kommunen"
    assert item.raw_sha256 == hashlib.sha256(bytes(item.raw)).hexdigest()
    assert item.platform_data == {"latest_id": "1990000000000000007"}
    assert item.attachments == []
    assert item.created_at.isoformat() == "2025-11-19T10:00:00+00:00"
    assert item.url == "https://x.com/overkalixkommun/status/1990000000000000007"
    records_verified()


def test_an_edit_within_one_batch_is_a_version_of_the_first(
    world: OrganisationWorld, x_account: Account, tmp_path: Path
) -> None:
    first = {"id_str": "501", "created_at": "Wed Nov 19 10:00:00 +0000 2025", "full_text": "Hej"}
    edit = {
        "id_str": "502",
        "created_at": "Wed Nov 19 10:05:00 +0000 2025",
        "full_text": "Hej alla",
        "edit_info": {"edit": {"initialTweetId": "501"}},
    }
    path = tmp_path / "tweets.js"
    entries = json.dumps([{"tweet": first}, {"tweet": edit}])
    path.write_text(f"window.YTD.tweets.part0 = {entries}", encoding="utf-8")
    out = run(str(path), "--account", str(x_account.pk), "--format", "x")
    assert "1 nya, 0 redan kända, 1 ändrade" in out
    item = Item.objects.get()
    assert item.text == "Hej"
    assert ItemVersion.objects.get(item=item).text == "Hej alla"


def test_a_batch_written_without_lookup_falls_back_when_an_item_is_known(
    world: OrganisationWorld, x_account: Account, tmp_path: Path
) -> None:
    # Tweets 15-19 are stored already. Importing tweets 0-24 in batches of 10: the first
    # batch is looked up and all new, so the second is written without a lookup, meets
    # the stored five, is rolled back and stored by the lookup path instead.
    earlier = tmp_path / "earlier.js"
    body = ",\n".join(tweet(n) for n in range(15, 20))
    earlier.write_text(f"window.YTD.tweets.part0 = [\n{body}\n]", encoding="utf-8")
    run(str(earlier), "--account", str(x_account.pk), "--format", "x")
    path = tweets_js(tmp_path / "tweets.js", 25)
    out = run(str(path), "--account", str(x_account.pk), "--format", "x", "--batch-size", "10")
    assert "20 nya, 5 redan kända, 0 ändrade" in out
    assert Item.objects.count() == Item.objects.values("external_id").distinct().count() == 25
    assert ItemProcessing.objects.count() == 25
    assert received_counts() == [5, 10, 5, 5]
    assert audit_verify_chain().intact
    records_verified()


def test_each_batch_queues_its_processing_in_its_own_transaction(
    world: OrganisationWorld, x_account: Account, tmp_path: Path, settings: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    from kanalvakt.inbox.tasks import items_process_batch

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    path = tweets_js(tmp_path / "tweets.js", 25)
    run(str(path), "--account", str(x_account.pk), "--format", "x", "--batch-size", "10")
    rows = list(DBTaskResult.objects.ready().order_by("enqueued_at"))
    assert {row.task for row in rows} == {items_process_batch}
    queued = [pk for row in rows for pk in row.task_result.args[0]]
    assert sorted(queued) == sorted(Item.objects.values_list("pk", flat=True))
    for row in rows:  # what the worker does with them: every item is processed
        row.task.call(*row.task_result.args)
    assert not ItemProcessing.objects.filter(processed_at=None).exists()


def _child(env: dict[str, str], *args: str) -> dict[str, object]:
    done = subprocess.run(  # noqa: S603 - our own module, fixed arguments
        [*CHILD, *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("through_process", [False, True], ids=["in-process", "reading-process"])
def test_an_import_killed_mid_batch_resumes_and_stores_nothing_twice(
    tmp_path: Path, world: OrganisationWorld, x_account: Account, through_process: bool
) -> None:
    if through_process and connection.vendor != "postgresql":
        pytest.skip("the reading process serves PostgreSQL only")
    archive = tweets_js(tmp_path / "tweets.js", 55)
    (tmp_path / "static").mkdir()
    env = {
        **os.environ,
        **_database_env(tmp_path),
        "PYTHONPATH": str(REPO),
        "KANALVAKT_INSECURE_DEV_KEY": "1",
        "IMPORT_PROCESS_MIN_BYTES": "0" if through_process else str(2**62),
    }
    paused = tmp_path / "paused"
    importer = subprocess.Popen(  # noqa: S603 - our own module, fixed arguments
        [*CHILD, str(archive), str(x_account.pk)],
        env={**env, "PAUSE_AT_BATCH": "3", "PAUSED_FILE": str(paused)},
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        while not paused.exists():
            assert importer.poll() is None, importer.communicate()[1][-3000:]
            assert time.monotonic() < deadline, "the importer never reached the third batch"
            time.sleep(0.1)
        assert paused.read_text() == "10"  # the third batch's items were written…
        importer.send_signal(signal.SIGKILL)  # …and the process dies before its commit
    finally:
        importer.kill()
        importer.communicate()

    killed = _child(env, "-", str(x_account.pk))
    assert killed["items"] == 20  # two whole batches
    assert killed["job"] == {"state": "running", "position": 19, "new": 20}

    resumed = _child(env, str(archive), str(x_account.pk), "--resume")
    assert resumed["items"] == resumed["distinct"] == resumed["processing"] == 55
    assert resumed["job"] == {"state": "finished", "position": 54, "new": 55}
    assert resumed["jobs"] == 1
    assert resumed["received_events"] == 6
    assert resumed["problems"] == []
    assert resumed["chain_intact"] is True


def test_a_batch_is_a_few_statements_with_copy_on_postgresql(
    world: OrganisationWorld, x_account: Account, tmp_path: Path
) -> None:
    path = tweets_js(tmp_path / "tweets.js", 30)
    statements: list[tuple[str, bool]] = []

    def record(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        statements.append((sql, many))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        run(str(path), "--account", str(x_account.pk), "--format", "x", "--batch-size", "10")
    item_inserts = [many for sql, many in statements if 'INTO "inbox_item" (' in sql]
    if connection.vendor == "postgresql":
        assert item_inserts == []  # COPY, past Django's cursor
    else:
        assert item_inserts == [True, True, True]  # one executemany per batch
    assert Item.objects.count() == 30
    assert len(statements) < 3 * 30  # about 20 statements per batch, whatever its size


def test_the_fast_seal_digest_is_the_audit_one() -> None:
    from kanalvakt.audit.seals import fields_digest as audit_digest
    from kanalvakt.intake.bulkstore import fields_digest

    values = {
        "text": 'Snöröjning "nu" \\ tab\t ny rad\n nul-ish \x01 \x7f \u2028 🚜 – Kiitos!',
        "platform_data": {"z": "1", "a": {"ö": "ä", "b": [1, None, True]}},
        "attachments": ["https://example.se/a b.jpg"],
        "by_account": False,
        "delivery_id": None,
        "account_id": 17,
        "created_at": "2025-11-19T10:00:00+00:00",
    }
    assert fields_digest(values) == audit_digest(values)


def test_data_encoded_once_is_the_canonical_json_of_the_chain(world: OrganisationWorld) -> None:
    from kanalvakt.audit.services import _canonical, audit_data_encode, audit_record

    data = {
        "text": 'Snöröjning "nu" \\ tab\t ny rad\n \x01 \x1f \x7f \u2028 🚜 – Kiitos!',
        "receipts": {"10": {"sha256": "ab", "seal": {}}, "9": {"versions": {"3": "x"}}},
        "items": [10, 9, -1, 2**40],
        "flags": [True, False, None],
        'tricky "data":{} key': {"data": {}},
    }
    encoded = audit_data_encode(data)
    canonical = _canonical(
        sequence=1,
        created_at=timezone.now(),
        organisation_id=None,
        actor_id=None,
        actor_label="",
        event_type="",
        target_type="",
        target_id="",
        target_label="",
        data=data,
        previous_hash="",
    )
    assert f'"data":{encoded.text},'.encode() in canonical
    with transaction.atomic():
        event = audit_record(
            actor=None,
            organisation=world.organisation,
            event_type=InboxEvent.ITEMS_RECEIVED,
            target=world.unit,
            encoded=encoded,
        )
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.data == data
    assert stored.hash == event.hash
    assert audit_verify_chain().intact


def test_tweets_that_arrived_deleted_are_sealed_with_their_version(
    world: OrganisationWorld, x_account: Account, tmp_path: Path
) -> None:
    path = deleted_tweets_js(tmp_path / "deleted-tweets.js", 12)
    out = run(str(path), "--account", str(x_account.pk), "--format", "x", "--batch-size", "5")
    assert "12 nya" in out
    assert ItemVersion.objects.filter(deleted=True).count() == 3
    events = AuditEvent.objects.filter(event_type=InboxEvent.ITEMS_RECEIVED)
    sealed = [
        version
        for event in events
        for receipt in event.data["receipts"].values()
        for version in receipt["seal"]["versions"]
    ]
    assert sorted(int(pk) for pk in sealed) == sorted(
        ItemVersion.objects.values_list("pk", flat=True)
    )
    assert audit_verify_chain().intact
    checks = StringIO()
    try:
        call_command("verify_records", stdout=checks, stderr=checks)
    except SystemExit:
        pytest.fail(checks.getvalue())
