"""`kanalvakt import_archive`: real fixture archives, resuming, and bad input."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from io import StringIO
from pathlib import Path
from typing import IO, Any

import pytest
from django.core.management import CommandError, call_command

from conftest import OrganisationWorld
from kanalvakt.audit.models import AuditEvent
from kanalvakt.connectors.archives import ArchiveEntry
from kanalvakt.inbox.batches import items_received_verify
from kanalvakt.inbox.events import InboxEvent
from kanalvakt.inbox.models import Delivery, DeliverySource, Item
from kanalvakt.intake import importing
from kanalvakt.intake.models import ImportJob, ImportState
from kanalvakt.intake.tests.conftest import make_account
from kanalvakt.register.models import Account

FIXTURES = Path(__file__).resolve().parents[2] / "connectors" / "tests" / "fixtures"


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_archive", *args, "--no-progress", stdout=out, stderr=StringIO())
    return out.getvalue()


def tweet(n: int) -> str:
    return json.dumps(
        {
            "tweet": {
                "id_str": str(1990000000000000000 + n),
                "created_at": "Wed Nov 19 10:00:00 +0000 2025",
                "full_text": f"Meddelande nummer {n} från kommunen",
                "lang": "sv",
            }
        },
        ensure_ascii=False,
    )


def tweets_js(path: Path, count: int, *, tail: str = "\n]") -> Path:
    body = ",\n".join(tweet(n) for n in range(count))
    path.write_text(f"window.YTD.tweets.part0 = [\n{body}{tail}", encoding="utf-8")
    return path


def deleted_tweets_js(path: Path, count: int) -> Path:
    """An X `deleted-tweets.js`: every fourth tweet, from the second, arrived deleted."""
    entries = []
    for n in range(count):
        body = json.loads(tweet(n))
        if n % 4 == 1:
            body["tweet"]["deleted_at"] = "Thu Nov 20 08:00:00 +0000 2025"
        entries.append(json.dumps(body, ensure_ascii=False))
    body = ",\n".join(entries)
    path.write_text(f"window.YTD.deleted_tweets.part0 = [\n{body}\n]", encoding="utf-8")
    return path


def records_verified() -> None:
    """`verify_audit` and `verify_records` find every checksum as it should be."""
    checks = StringIO()
    call_command("verify_audit", stdout=checks, stderr=checks)
    try:
        call_command("verify_records", stdout=checks, stderr=checks)
    except SystemExit:
        pytest.fail(checks.getvalue())
    assert "Alla kontrollsummor stämmer." in checks.getvalue()


def received_counts() -> list[int]:
    """The item counts of the `items.received` events in chain order, each event's
    receipts checked against its items."""
    events = AuditEvent.objects.filter(event_type=InboxEvent.ITEMS_RECEIVED).order_by("sequence")
    assert all(items_received_verify(event.data) == [] for event in events)
    return [event.data["count"] for event in events]


BAD_TAIL = ',\n{"tweet": {"id_str": "1", "created_at" ]]'
"""Five good tweets then this: the sixth entry is bad JSON."""


def assert_bad_input_named_and_the_five_before_kept(path: Path, account: Account) -> None:
    """Importing `tweets_js(path, 5, tail=BAD_TAIL)` fails naming the file and entry 6,
    with the five entries before it stored and the job failed at position 4."""
    with pytest.raises(CommandError) as error:
        run(str(path), "--account", str(account.pk), "--format", "x", "--batch-size", "2")
    message = str(error.value)
    assert str(path) in message
    assert "post nr 6" in message
    assert Item.objects.count() == 5
    job = ImportJob.objects.get()
    assert job.state == ImportState.FAILED and job.position == 4
    assert "post nr 6" in job.error


def test_x_archive_is_imported_once(world: OrganisationWorld, x_account: Account) -> None:
    path = str(FIXTURES / "x" / "tweets-sv.js")
    out = run(path, "--account", str(x_account.pk), "--format", "x")
    assert "2 nya, 0 redan kända, 0 ändrade" in out
    assert Item.objects.filter(account=x_account).count() == 2
    assert Item.objects.filter(text__startswith="Vi lagar belysningen").exists()
    assert Delivery.objects.filter(source=DeliverySource.IMPORT).count() == 1
    job = ImportJob.objects.get()
    assert job.state == ImportState.FINISHED and job.position == 1

    again = run(path, "--account", str(x_account.pk), "--format", "x")
    assert "0 nya, 2 redan kända" in again
    assert Item.objects.count() == 2


def test_x_direct_messages_and_progress_bar(world: OrganisationWorld, x_account: Account) -> None:
    err = StringIO()
    out = StringIO()
    call_command(
        "import_archive",
        str(FIXTURES / "x" / "direct-messages-sv.js"),
        "--account",
        str(x_account.pk),
        "--format",
        "x",
        stdout=out,
        stderr=err,
    )
    assert "2 nya" in out.getvalue()
    assert Item.objects.filter(kind="direct_message").count() == 2
    progress = err.getvalue()
    assert "direct-messages-sv.js" in progress
    assert "2 poster" in progress


def test_bluesky_car_in_batches_one_delivery_each(world: OrganisationWorld) -> None:
    account = make_account(world, "bluesky", "overkalix.bsky.social", "did:plc:test")
    out = run(
        str(FIXTURES / "bluesky" / "repo.car"),
        "--account",
        str(account.pk),
        "--format",
        "bluesky",
        "--batch-size",
        "10",
    )
    assert "37 nya" in out
    assert Item.objects.filter(account=account).count() == 37
    assert Delivery.objects.filter(source=DeliverySource.IMPORT).count() == 4


@pytest.mark.parametrize(
    ("platform", "fixture", "expected"),
    [
        ("facebook", "facebook-comments.json", "Hej Åsa!"),
        ("facebook", "facebook-posts.json", "Snöröjningen"),
        ("facebook", "messenger-message_1.json", "Tack Göran"),
        ("instagram", "instagram-post_comments_1.json", "Välkommen till bibli"),
    ],
)
def test_meta_exports_with_repaired_text(
    world: OrganisationWorld, platform: str, fixture: str, expected: str
) -> None:
    account = make_account(world, platform, "overkalix", "17841400000000000")
    out = run(
        str(FIXTURES / "exports" / fixture), "--account", str(account.pk), "--format", platform
    )
    assert "2 nya" in out
    assert Item.objects.filter(account=account, text__contains=expected).exists()


def test_interrupted_import_resumes_where_it_stopped(
    world: OrganisationWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    account = make_account(world, "bluesky", "overkalix.bsky.social", "did:plc:test")
    path = str(FIXTURES / "bluesky" / "repo.car")
    real = importing.entries

    def stops_part_way(
        reader: importing.Reader, stream: IO[bytes], start: int
    ) -> Iterator[ArchiveEntry]:
        for count, entry in enumerate(real(reader, stream, start)):
            if count == 25:
                raise KeyboardInterrupt
            yield entry

    monkeypatch.setattr(importing, "entries", stops_part_way)
    with pytest.raises(CommandError, match="--resume"):
        run(path, "--account", str(account.pk), "--format", "bluesky", "--batch-size", "10")
    job = ImportJob.objects.get()
    assert job.state == ImportState.INTERRUPTED
    assert job.position == 19  # two whole batches were stored
    assert Item.objects.count() == 20

    monkeypatch.setattr(importing, "entries", real)
    out = run(
        path, "--account", str(account.pk), "--format", "bluesky", "--batch-size", "10", "--resume"
    )
    assert "Fortsätter efter post nr 20" in out
    assert "37 nya" in out  # the job's totals over both runs
    assert Item.objects.count() == 37
    job.refresh_from_db()
    assert job.state == ImportState.FINISHED and job.position == 36
    assert ImportJob.objects.count() == 1


def test_resume_without_an_unfinished_import_is_refused(
    world: OrganisationWorld, x_account: Account
) -> None:
    with pytest.raises(CommandError, match="ingen avbruten import"):
        run(
            str(FIXTURES / "x" / "tweets-sv.js"),
            "--account",
            str(x_account.pk),
            "--format",
            "x",
            "--resume",
        )


def test_bad_archive_names_file_and_position_and_keeps_what_came_before(
    world: OrganisationWorld, x_account: Account, tmp_path: Path
) -> None:
    path = tweets_js(tmp_path / "tweets.js", 5, tail=BAD_TAIL)
    assert_bad_input_named_and_the_five_before_kept(path, x_account)


def test_file_that_is_not_an_x_archive(
    world: OrganisationWorld, x_account: Account, tmp_path: Path
) -> None:
    path = tmp_path / "tweets.js"
    path.write_text('alert("hej")', encoding="utf-8")
    with pytest.raises(CommandError, match="window.YTD") as error:
        run(str(path), "--account", str(x_account.pk), "--format", "x")
    assert str(path) in str(error.value)
    assert Item.objects.count() == 0


def test_format_must_match_the_account(world: OrganisationWorld, x_account: Account) -> None:
    with pytest.raises(CommandError, match="kan inte importeras"):
        run(
            str(FIXTURES / "bluesky" / "repo.car"),
            "--account",
            str(x_account.pk),
            "--format",
            "bluesky",
        )
    with pytest.raises(CommandError, match="inget konto"):
        run(str(FIXTURES / "x" / "tweets-sv.js"), "--account", "999999", "--format", "x")


def test_resume_refuses_a_changed_file(
    world: OrganisationWorld, x_account: Account, tmp_path: Path
) -> None:
    path = tweets_js(tmp_path / "tweets.js", 3, tail=',{"tweet": ]')
    with pytest.raises(CommandError):
        run(str(path), "--account", str(x_account.pk), "--format", "x")
    shutil.copy(FIXTURES / "x" / "tweets-sv.js", path)
    with pytest.raises(CommandError, match="ingen avbruten import"):
        run(str(path), "--account", str(x_account.pk), "--format", "x", "--resume")


def test_reimport_counts_known_and_edited(
    world: OrganisationWorld, x_account: Account, tmp_path: Path
) -> None:
    path = tweets_js(tmp_path / "tweets.js", 4)
    assert "4 nya" in run(str(path), "--account", str(x_account.pk), "--format", "x")
    edited = path.read_text(encoding="utf-8").replace("nummer 2 från", "nummer 2 (rättat) från")
    path.write_text(edited, encoding="utf-8")
    out = run(str(path), "--account", str(x_account.pk), "--format", "x")
    assert "0 nya, 3 redan kända, 1 ändrade" in out
    item = Item.objects.get(external_id="1990000000000000002")
    assert item.versions.get().text == "Meddelande nummer 2 (rättat) från kommunen"


def test_imported_messages_are_history_not_mail_to_answer(
    world: OrganisationWorld,
    x_account: Account,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    """Direct messages from an export archive get no response clock and escalate nothing."""
    from kanalvakt.inbox.models import InboxEntry

    with django_capture_on_commit_callbacks(execute=True):
        run(
            str(FIXTURES / "x" / "direct-messages-sv.js"),
            "--account",
            str(x_account.pk),
            "--format",
            "x",
        )
    entries = InboxEntry.objects.filter(account=x_account, item__by_account=False)
    assert entries.count() >= 1
    assert set(entries.values_list("state", flat=True)) == {"no_answer_needed"}
    assert not entries.filter(due_at__isnull=False).exists()
    assert not entries.filter(escalated_at__isnull=False).exists()
