"""Issue 11, finding 7 (imports): hostile archives end in a clear error at bounded memory."""

from __future__ import annotations

import hashlib
import json
import tracemalloc
import zipfile
from io import StringIO
from pathlib import Path

import libipld
import pytest
from django.core.management import CommandError, call_command

from conftest import OrganisationWorld
from kanalvakt.connectors.archives import bluesky as car_reader
from kanalvakt.inbox.models import Item
from kanalvakt.intake.models import ImportJob, ImportState
from kanalvakt.intake.tests.conftest import make_account
from kanalvakt.register.models import Account


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_archive", *args, "--no-progress", stdout=out, stderr=StringIO())
    return out.getvalue()


def _varint(number: int) -> bytes:
    out = bytearray()
    while True:
        byte = number & 0x7F
        number >>= 7
        out.append(byte | (0x80 if number else 0))
        if not number:
            return bytes(out)


def _block(value: object) -> bytes:
    data = libipld.encode_dag_cbor(value)
    cid = b"\x01\x71\x12\x20" + hashlib.sha256(data).digest()
    return _varint(len(cid) + len(data)) + cid + data


def car_of_unindexed_posts(path: Path, count: int) -> Path:
    """A CAR file of post records and nothing that says where they belong."""
    header = libipld.encode_dag_cbor({"version": 1, "roots": []})
    posts = b"".join(
        _block(
            {
                "$type": "app.bsky.feed.post",
                "text": f"Inlägg {n} " + "x" * 200,
                "createdAt": "2026-01-01T10:00:00.000Z",
            }
        )
        for n in range(count)
    )
    path.write_bytes(_varint(len(header)) + header + posts)
    return path


@pytest.fixture
def bluesky_account(world: OrganisationWorld) -> Account:
    return make_account(world, "bluesky", "overkalix.bsky.social", "did:plc:test")


def test_a_car_whose_records_have_no_index_entries_is_an_error_not_zero_posts(
    bluesky_account: Account, tmp_path: Path
) -> None:
    path = car_of_unindexed_posts(tmp_path / "repo.car", 50)
    with pytest.raises(CommandError, match="repository"):
        run(str(path), "--account", str(bluesky_account.pk), "--format", "bluesky")
    assert ImportJob.objects.get().state == ImportState.FAILED
    assert not Item.objects.exists()


def test_records_waiting_for_index_entries_are_capped(
    bluesky_account: Account, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(car_reader, "MAX_WAITING_BYTES", 64 * 1024)
    path = car_of_unindexed_posts(tmp_path / "repo.car", 2_000)  # ~500 KB of records
    tracemalloc.start()
    try:
        with pytest.raises(CommandError, match="MiB of post records"):
            run(str(path), "--account", str(bluesky_account.pk), "--format", "bluesky")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * 1024 * 1024


def test_deeply_nested_json_in_an_archive_is_a_clear_error_at_bounded_memory(
    world: OrganisationWorld, tmp_path: Path
) -> None:
    account = make_account(world, "facebook", "overkalix", "17841400000000000")
    depth = 5_000
    path = tmp_path / "comments.json"
    path.write_bytes(
        b'{"comments_v2":[{"timestamp":1700000000,"data":[{"comment":{"timestamp":1700000000,'
        b'"comment":"hej","author":"A","deep":' + b"[" * depth + b"]" * depth + b"}}]}]}"
    )
    tracemalloc.start()
    try:
        with pytest.raises(CommandError, match="nested deeper than 64"):
            run(str(path), "--account", str(account.pk), "--format", "facebook")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 16 * 1024 * 1024
    assert ImportJob.objects.get().state == ImportState.FAILED


def test_an_over_long_platform_id_in_an_archive_stops_the_import(
    world: OrganisationWorld, x_account: Account, tmp_path: Path
) -> None:
    tweet = {
        "tweet": {
            "id_str": "9" * 300,
            "created_at": "Wed Nov 19 10:00:00 +0000 2025",
            "full_text": "Hej",
        }
    }
    path = tmp_path / "tweets.js"
    path.write_text(f"window.YTD.tweets.part0 = [{json.dumps(tweet)}]", encoding="utf-8")
    with pytest.raises(CommandError, match="at most 200"):
        run(str(path), "--account", str(x_account.pk), "--format", "x")
    assert not Item.objects.exists()


def test_a_zip_is_refused_with_the_file_to_import_instead(
    world: OrganisationWorld, x_account: Account, tmp_path: Path
) -> None:
    path = tmp_path / "twitter-2026.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("../../utanfor.js", "window.YTD.tweets.part0 = []")
        archive.writestr("data/tweets.js", "0" * 5_000_000)
    before = sorted(p.name for p in tmp_path.parent.iterdir())
    with pytest.raises(CommandError, match="Packa upp") as error:
        run(str(path), "--account", str(x_account.pk), "--format", "x")
    assert "data/tweets.js" in str(error.value)
    assert sorted(p.name for p in tmp_path.parent.iterdir()) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["twitter-2026.zip"]
    assert not ImportJob.objects.exists()
