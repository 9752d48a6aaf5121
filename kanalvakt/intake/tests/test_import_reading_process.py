"""Issue 12: a large import on PostgreSQL is read and built by a second process
(`intake.reading`); what it stores, how its failures reach the user, and the fallback
to reading in the importing process when a batch cannot be written as built."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError
from django.db import connection

from conftest import OrganisationWorld
from kanalvakt.audit.services import audit_verify_chain
from kanalvakt.inbox.models import Item, ItemProcessing, ItemVersion
from kanalvakt.intake import copying, importing, reading
from kanalvakt.intake.models import ImportJob, ImportState
from kanalvakt.intake.tests.conftest import make_account
from kanalvakt.intake.tests.test_import_archive import (
    BAD_TAIL,
    assert_bad_input_named_and_the_five_before_kept,
    deleted_tweets_js,
    received_counts,
    records_verified,
    run,
    tweet,
    tweets_js,
)
from kanalvakt.register.models import Account

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the reading process serves PostgreSQL only"
)


@pytest.fixture
def through_process(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every import goes through the reading process; the list collects each process's
    batches as the importer took them."""
    monkeypatch.setattr(importing, "PROCESS_MIN_BYTES", 0)
    taken: list[int] = []
    real = importing._store_built

    def counting(job: ImportJob, built: reading.Built, *, expect_new: bool) -> bool:
        taken.append(built.count)
        return real(job, built, expect_new=expect_new)

    monkeypatch.setattr(importing, "_store_built", counting)
    return taken


def _reading_processes() -> list[str]:
    """Reading processes still running (or not yet reaped) under this one."""
    found = []
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        children = (task / "children").read_text().split()
        for pid in children:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            if b"kanalvakt.intake.reading_child" in command:
                found.append(pid)
    return found


def test_a_large_import_is_read_by_a_second_process(
    world: OrganisationWorld, x_account: Account, tmp_path: Path, through_process: list[int]
) -> None:
    path = tweets_js(tmp_path / "tweets.js", 25)
    out = run(str(path), "--account", str(x_account.pk), "--format", "x", "--batch-size", "10")
    assert "25 nya, 0 redan kända, 0 ändrade" in out
    assert through_process == [10, 10, 5]
    assert received_counts() == [10, 10, 5]
    assert audit_verify_chain().intact
    records_verified()
    assert ItemProcessing.objects.filter(processed_at=None).count() == 25
    item = Item.objects.get(external_id="1990000000000000007")
    assert item.text == "Meddelande nummer 7 från kommunen"
    assert item.language_hint == "sv"
    assert item.platform_data == {"latest_id": "1990000000000000007"}
    assert item.url == "https://x.com/overkalixkommun/status/1990000000000000007"
    assert item.created_at.isoformat() == "2025-11-19T10:00:00+00:00"
    job = ImportJob.objects.get()
    assert job.state == ImportState.FINISHED and job.position == 24
    assert not _reading_processes()


def test_the_process_rows_are_the_ones_the_importer_writes(
    world: OrganisationWorld, x_account: Account, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = make_account(world, "x", "overkalix", "1500000000000000002")
    path = tweets_js(tmp_path / "tweets.js", 12)
    run(str(path), "--account", str(x_account.pk), "--format", "x")
    monkeypatch.setattr(importing, "PROCESS_MIN_BYTES", 0)
    run(str(path), "--account", str(other.pk), "--format", "x")
    apart = {"id", "account_id", "delivery_id", "received_at"}
    apart |= {"author_handle", "author_external_id", "url"}  # the other account's
    columns = [field.attname for field in Item._meta.concrete_fields if field.attname not in apart]

    def rows(account: Account) -> list[tuple[Any, ...]]:
        stored = Item.objects.filter(account=account).order_by("external_id")
        return [
            tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
            for row in stored.values_list(*columns)
        ]

    assert len(rows(other)) == 12
    assert rows(other) == rows(x_account)
    item = Item.objects.get(account=other, external_id="1990000000000000003")
    assert (item.author_handle, item.author_external_id, item.url) == (
        "overkalix",
        "1500000000000000002",
        "https://x.com/overkalix/status/1990000000000000003",
    )


def test_a_batch_with_known_items_is_read_again_by_the_importer(
    world: OrganisationWorld, x_account: Account, tmp_path: Path, through_process: list[int]
) -> None:
    # Tweets 15-19 are stored already. The process builds tweets 0-24 in batches of 10:
    # the first is written as built, the second meets the stored five (the unique
    # constraint answers), is rolled back, and the importer reads on from it itself.
    earlier = tmp_path / "earlier.js"
    body = ",\n".join(tweet(n) for n in range(15, 20))
    earlier.write_text(f"window.YTD.tweets.part0 = [\n{body}\n]", encoding="utf-8")
    run(str(earlier), "--account", str(x_account.pk), "--format", "x")
    through_process.clear()
    path = tweets_js(tmp_path / "tweets.js", 25)
    out = run(str(path), "--account", str(x_account.pk), "--format", "x", "--batch-size", "10")
    assert "20 nya, 5 redan kända, 0 ändrade" in out
    assert through_process == [10, 10]  # the first written, the second handed back
    assert Item.objects.count() == Item.objects.values("external_id").distinct().count() == 25
    assert ItemProcessing.objects.count() == 25
    assert received_counts() == [5, 10, 5, 5]
    assert audit_verify_chain().intact
    records_verified()
    assert not _reading_processes()


def test_tweets_that_arrived_deleted_are_stored_by_the_importer(
    world: OrganisationWorld, x_account: Account, tmp_path: Path, through_process: list[int]
) -> None:
    path = deleted_tweets_js(tmp_path / "deleted-tweets.js", 12)
    out = run(str(path), "--account", str(x_account.pk), "--format", "x", "--batch-size", "5")
    assert "12 nya" in out
    assert through_process == [5]  # not writable as built: read again by the importer
    assert ItemVersion.objects.filter(deleted=True).count() == 3
    assert audit_verify_chain().intact
    records_verified()


def test_bad_input_in_the_process_names_the_position_and_keeps_what_came_before(
    world: OrganisationWorld, x_account: Account, tmp_path: Path, through_process: list[int]
) -> None:
    path = tweets_js(tmp_path / "tweets.js", 5, tail=BAD_TAIL)
    assert_bad_input_named_and_the_five_before_kept(path, x_account)
    assert not _reading_processes()


def test_a_reading_process_that_dies_is_a_clear_error_and_the_import_resumes(
    world: OrganisationWorld,
    x_account: Account,
    tmp_path: Path,
    through_process: list[int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = tweets_js(tmp_path / "tweets.js", 45)
    real = reading.ReadingProcess.batches

    def killed(self: reading.ReadingProcess) -> Iterator[reading.Built]:
        assert _reading_processes() == [str(self.pid)]
        os.kill(self.pid, signal.SIGKILL)  # still starting: it sent nothing
        yield from real(self)

    monkeypatch.setattr(reading.ReadingProcess, "batches", killed)
    args = ["--account", str(x_account.pk), "--format", "x", "--batch-size", "10"]
    with pytest.raises(CommandError) as error:
        run(str(path), *args)
    assert "läsprocessen avslutades oväntat (slutkod -9)" in str(error.value)
    assert "fortsätt med --resume" in str(error.value)
    job = ImportJob.objects.get()
    assert job.state == ImportState.FAILED and job.position == -1
    assert not Item.objects.exists()
    assert not _reading_processes()

    monkeypatch.setattr(reading.ReadingProcess, "batches", real)
    out = run(str(path), *args, "--resume")
    assert "45 nya" in out
    assert Item.objects.count() == Item.objects.values("external_id").distinct().count() == 45
    assert received_counts() == [10, 10, 10, 10, 5]
    assert audit_verify_chain().intact
    records_verified()


def test_a_failure_inside_the_reading_process_is_named_and_loses_nothing(
    world: OrganisationWorld,
    x_account: Account,
    tmp_path: Path,
    through_process: list[int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = tweets_js(tmp_path / "tweets.js", 25)
    args = ["--account", str(x_account.pk), "--format", "x", "--batch-size", "10"]
    run(str(tweets_js(tmp_path / "first.js", 3)), *args)  # stored before, and kept
    real = copying.column_oids
    monkeypatch.setattr(importing, "column_oids", lambda model, columns: [0] * len(columns))
    with pytest.raises(CommandError) as error:
        run(str(path), *args)
    message = str(error.value)
    assert str(path) in message and "läsningen avbröts vid post nr 1" in message
    assert "cannot find a dumper" in message  # what stopped it, as it said
    assert Item.objects.count() == 3
    assert not _reading_processes()

    monkeypatch.setattr(importing, "column_oids", real)
    out = run(str(path), *args, "--resume")
    assert "22 nya, 3 redan kända" in out
    assert Item.objects.count() == 25
    assert audit_verify_chain().intact


def test_an_interrupt_stops_the_process_and_the_import_resumes(
    world: OrganisationWorld,
    x_account: Account,
    tmp_path: Path,
    through_process: list[int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = tweets_js(tmp_path / "tweets.js", 35)
    counting = importing._store_built

    def interrupted_at_third(job: ImportJob, built: reading.Built, **kwargs: Any) -> bool:
        if len(through_process) == 2:
            raise KeyboardInterrupt
        return counting(job, built, **kwargs)

    monkeypatch.setattr(importing, "_store_built", interrupted_at_third)
    args = ["--account", str(x_account.pk), "--format", "x", "--batch-size", "10"]
    with pytest.raises(CommandError, match="--resume"):
        run(str(path), *args)
    job = ImportJob.objects.get()
    assert job.state == ImportState.INTERRUPTED and job.position == 19
    assert not _reading_processes()

    monkeypatch.setattr(importing, "_store_built", counting)
    out = run(str(path), *args, "--resume")
    assert "35 nya" in out
    assert Item.objects.count() == 35
    assert received_counts() == [10, 10, 10, 5]
    assert audit_verify_chain().intact
