"""RFC 3161 time-stamps of checkpoints, against a real time-stamping authority on loopback.

The authority (`kanalvakt/records/tests/tsa.py`) parses each TimeStampReq and
answers a TimeStampResp signed with a certificate from a CA the test makes.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import DatabaseError, transaction
from django.utils import timezone

from kanalvakt.lib.tests.testca import LocalCA
from kanalvakt.records.capture import Capture
from kanalvakt.records.checkpoints import checkpoint_create, checkpoint_daily, published_json
from kanalvakt.records.models import Checkpoint, CheckpointStamp, SnapshotFile, SnapshotReason
from kanalvakt.records.snapshots import snapshot_capture
from kanalvakt.records.stamps import RETRY_MINUTES, stamp_attempt
from kanalvakt.records.tests.conftest import Receive
from kanalvakt.records.tests.tsa import LocalTSA
from kanalvakt.register.models import Account

pytestmark = pytest.mark.usefixtures("checkpoint_key")


Sign = Callable[[], Checkpoint]


@pytest.fixture
def sign(receive: Receive, django_capture_on_commit_callbacks: Callable[..., Any]) -> Sign:
    """A checkpoint over one received item; its stamp is asked for when it commits."""

    def _sign() -> Checkpoint:
        receive("Varför är det inte plogat på Storgatan?")
        with django_capture_on_commit_callbacks(execute=True):
            checkpoint = checkpoint_create(until=timezone.now())
        return Checkpoint.objects.select_related("stamp").get(pk=checkpoint.pk)

    return _sign


def _publish(tmp_path: Path, document: dict[str, Any] | None = None) -> Path:
    path = tmp_path / "kontrollpunkter.json"
    path.write_text(json.dumps(document or json.loads(published_json())))
    return path


def test_a_checkpoint_is_time_stamped_published_and_proved(
    tsa: LocalTSA, sign: Sign, tmp_path: Path, client: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    checkpoint = sign()
    stamp = checkpoint.stamp
    assert stamp.status == CheckpointStamp.Status.STAMPED
    assert stamp.gen_time is not None
    # What the authority was asked: SHA-256 of the signed statement, a nonce, the certificate.
    (query,) = tsa.requests
    assert (
        bytes(query["message_imprint"]["hashed_message"].native)
        == hashlib.sha256(checkpoint.statement.encode()).digest()
    )
    assert query["nonce"].native == int(stamp.nonce)
    assert query["cert_req"].native is True

    document = json.loads(published_json())
    published = document["checkpoints"][0]["timestamp"]
    assert published["status"] == "stamped"
    assert base64.b64decode(published["token"]) == bytes(stamp.token)
    assert client.get("/register/overkalix/kontrollpunkter.json").json() == document
    page = client.get("/register/overkalix/").content.decode()
    assert "Tidsstämpel (RFC 3161)" in page
    assert f"{timezone.localtime(stamp.gen_time):%Y-%m-%d %H:%M:%S}" in page

    call_command("verify_audit", "--checkpoints", str(_publish(tmp_path, document)))
    out = capsys.readouterr().out
    assert f"kontrollpunkt #1: tidsstämplad {stamp.gen_time.isoformat()}" in out
    assert "Kanalvakt test TSA" in out
    call_command("verify_records")


def test_snapshots_carry_the_time_stamp(tsa: LocalTSA, sign: Sign, account: Account) -> None:
    checkpoint = sign()
    snapshot = snapshot_capture(
        actor=None,
        account=account,
        reason=SnapshotReason.HALF_YEARLY,
        capturer=lambda url: Capture(url=url, final_url=url, png=b"\x89PNG", warc=b"warc"),
    )
    kept = snapshot.files.get(kind=SnapshotFile.Kind.CHECKPOINTS)
    with default_storage.open(kept.name, "rb") as handle:
        carried = json.loads(handle.read())["checkpoints"][0]["timestamp"]
    assert base64.b64decode(carried["token"]) == bytes(checkpoint.stamp.token)


def test_archival_packages_carry_the_time_stamp(
    tsa: LocalTSA, sign: Sign, account: Account, tmp_path: Path
) -> None:
    from kanalvakt.records.archive import package_build

    checkpoint = sign()
    path, _items, _snapshots = package_build(
        organisation=account.organisation,
        fmt="bagit",
        date_from=timezone.localdate(),
        date_to=timezone.localdate(),
        output_dir=tmp_path / "bagit",
    )
    carried = json.loads((path / "data/checkpoints.json").read_text())["checkpoints"][0]
    assert base64.b64decode(carried["timestamp"]["token"]) == bytes(checkpoint.stamp.token)


def test_the_checkpoint_command_asks_again_for_missing_stamps(
    tsa: LocalTSA, sign: Sign, capsys: pytest.CaptureFixture[str]
) -> None:
    tsa.mode = "down"
    stamp = sign().stamp
    tsa.mode = "good"
    call_command("checkpoint", "--stamps")
    stamp.refresh_from_db()
    assert stamp.status == CheckpointStamp.Status.STAMPED
    assert stamp.gen_time is not None
    assert f"Kontrollpunkt #1: stamped {stamp.gen_time.isoformat()}" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("wrong_imprint", "fel kontrollsumma"),
        ("wrong_nonce", "nonce"),
        ("refuse", "avböjde"),
        ("garbage", "inget RFC 3161-svar"),
    ],
)
def test_an_answer_that_does_not_hold_is_not_kept(
    tsa: LocalTSA, sign: Sign, mode: Any, reason: str
) -> None:
    tsa.mode = mode
    stamp = sign().stamp
    assert stamp.status == CheckpointStamp.Status.PENDING
    assert reason in stamp.last_error
    assert bytes(stamp.token) == b""
    assert "token" not in json.loads(published_json())["checkpoints"][0]["timestamp"]


def test_a_token_signed_by_an_untrusted_authority_is_not_kept(
    tsa: LocalTSA, sign: Sign, settings: Any, tmp_path: Path
) -> None:
    settings.TSA_CA_FILE = str(LocalCA().write_root(tmp_path / "other-ca.pem"))
    stamp = sign().stamp
    assert stamp.status == CheckpointStamp.Status.PENDING
    assert "inte betrott" in stamp.last_error


def test_while_the_authority_is_down_the_checkpoint_is_published_and_the_stamp_waits(
    tsa: LocalTSA, sign: Sign, client: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tsa.mode = "down"
    checkpoint = sign()
    stamp = checkpoint.stamp
    assert (stamp.status, stamp.attempts) == (CheckpointStamp.Status.PENDING, 1)
    assert "503" in stamp.last_error
    entry = json.loads(published_json())["checkpoints"][0]
    assert entry["statement"] == checkpoint.statement
    assert entry["timestamp"] == {"status": "pending", "tsa": tsa.url}
    assert "väntar" in client.get("/register/overkalix/").content.decode()
    call_command("verify_audit", "--checkpoints", str(_publish(tmp_path)))
    assert "kontrollpunkt #1: tidsstämpel pending" in capsys.readouterr().out

    tsa.mode = "good"
    checkpoint_daily()  # the daily job gives every waiting stamp another attempt
    stamp.refresh_from_db()
    assert stamp.status == CheckpointStamp.Status.STAMPED
    assert stamp.attempts == 2


def test_an_authority_that_is_not_running_leaves_the_stamp_pending(
    tsa: LocalTSA, sign: Sign
) -> None:
    assert tsa.server is not None
    tsa.server.stop()
    stamp = sign().stamp
    assert stamp.status == CheckpointStamp.Status.PENDING
    assert stamp.last_error


def test_failed_attempts_are_retried_with_back_off_then_marked_failed(
    tsa: LocalTSA, sign: Sign, settings: Any
) -> None:
    tsa.mode = "down"
    stamp = sign().stamp
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    from django.tasks import default_task_backend

    for attempt in range(2, len(RETRY_MINUTES) + 2):
        before = timezone.now()
        stamp = stamp_attempt(stamp.pk)
        assert stamp.attempts == attempt
        if attempt <= len(RETRY_MINUTES):
            queued = default_task_backend.results[-1]  # type: ignore[attr-defined]
            assert queued.args == [stamp.pk]
            waited = queued.task.run_after - before
            assert waited.total_seconds() >= RETRY_MINUTES[attempt - 1] * 60 - 1
    assert stamp.status == CheckpointStamp.Status.FAILED
    assert len(default_task_backend.results) == len(RETRY_MINUTES) - 1  # type: ignore[attr-defined]


def test_an_authority_on_an_internal_address_is_refused_by_the_outbound_guard(
    tsa: LocalTSA, sign: Sign, settings: Any
) -> None:
    settings.TSA_URL = "https://tsa.internal/"
    stamp = sign().stamp
    assert stamp.status == CheckpointStamp.Status.PENDING
    assert "intern" in stamp.last_error
    assert tsa.requests == []


def _tamper_gen_time(token: bytes) -> bytes:
    """Change one digit of the genTime inside the signed TSTInfo."""
    position = token.index(b"\x18\x0f") + 2  # GeneralizedTime, 15 bytes: YYYYMMDDHHMMSSZ
    digits = bytearray(token)
    digits[position + 3] = ord("0") + (digits[position + 3] - ord("0") + 1) % 10
    return bytes(digits)


def test_verify_audit_names_a_tampered_or_swapped_stamp(
    tsa: LocalTSA, sign: Sign, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = sign()
    second = sign()
    document = json.loads(published_json())
    entries = document["checkpoints"]
    token = base64.b64decode(entries[0]["timestamp"]["token"])
    entries[0]["timestamp"]["token"] = base64.b64encode(_tamper_gen_time(token)).decode()
    # The second checkpoint's stamp replaced by the first's (a token over other data).
    entries[1]["timestamp"] = {
        **entries[1]["timestamp"],
        "token": base64.b64encode(bytes(first.stamp.token)).decode(),
        "nonce": first.stamp.nonce,
    }
    with pytest.raises(CommandError):
        call_command("verify_audit", "--checkpoints", str(_publish(tmp_path, document)))
    err = capsys.readouterr().err
    assert "kontrollpunkt #1: tidsstämpelns innehåll har ändrats efter signeringen" in err
    assert "kontrollpunkt #2: tidsstämpeln gäller andra uppgifter" in err
    assert second.stamp.status == CheckpointStamp.Status.STAMPED


def test_verify_audit_names_a_wrong_nonce_and_an_untrusted_authority(
    tsa: LocalTSA, sign: Sign, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sign()
    document = json.loads(published_json())
    stamp = document["checkpoints"][0]["timestamp"]
    stamp["nonce"] = str(int(stamp["nonce"]) + 1)
    with pytest.raises(CommandError):
        call_command("verify_audit", "--checkpoints", str(_publish(tmp_path, document)))
    assert "kontrollpunkt #1: tidsstämpelns nonce" in capsys.readouterr().err

    other = LocalCA().write_root(tmp_path / "other-ca.pem")
    with pytest.raises(CommandError):
        call_command(
            "verify_audit", "--checkpoints", str(_publish(tmp_path)), "--tsa-ca", str(other)
        )
    assert "kontrollpunkt #1: tidsstämpelserverns certifikat är inte betrott" in (
        capsys.readouterr().err
    )


def test_a_stamped_row_is_final_in_the_database(tsa: LocalTSA, sign: Sign) -> None:
    stamp = sign().stamp
    with pytest.raises(DatabaseError), transaction.atomic():
        CheckpointStamp.objects.filter(pk=stamp.pk).update(token=b"forged")
    with pytest.raises(DatabaseError), transaction.atomic():
        CheckpointStamp.objects.filter(pk=stamp.pk).delete()
    stamp.refresh_from_db()
    assert stamp.status == CheckpointStamp.Status.STAMPED


def test_without_an_authority_no_stamp_is_asked_for(sign: Sign, settings: Any) -> None:
    settings.TSA_URL = ""
    checkpoint = sign()
    assert not CheckpointStamp.objects.filter(checkpoint=checkpoint).exists()
    assert "timestamp" not in json.loads(published_json())["checkpoints"][0]


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is not installed")
def test_openssl_verifies_a_published_token_as_docs_security_says(
    tsa: LocalTSA, sign: Sign, tmp_path: Path, settings: Any
) -> None:
    """An independent implementation accepts the token (and so the test authority is sound)."""
    sign()
    entry = json.loads(published_json())["checkpoints"][0]
    token = tmp_path / "token.der"
    token.write_bytes(base64.b64decode(entry["timestamp"]["token"]))
    digest = hashlib.sha256(entry["statement"].encode()).hexdigest()
    command = ["openssl", "ts", "-verify", "-digest", digest, "-in", str(token), "-token_in"]
    command += ["-CAfile", settings.TSA_CA_FILE]
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    assert "Verification: OK" in result.stdout, result.stderr
    other = hashlib.sha256(b"another statement").hexdigest()
    command[4] = other
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    assert "Verification: OK" not in result.stdout


def test_a_stamp_forged_in_the_database_is_named(
    tsa: LocalTSA, sign: Sign, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An administrator who gets past the trigger and edits the stored token is caught."""
    from kanalvakt.audit.tests.dba import triggers_off
    from kanalvakt.records.verify import records_verify

    stamp = sign().stamp
    published = _publish(tmp_path)
    with triggers_off("records_checkpointstamp"):
        CheckpointStamp.objects.filter(pk=stamp.pk).update(
            token=_tamper_gen_time(bytes(stamp.token))
        )
    found = [str(mismatch) for mismatch in records_verify().mismatches]
    assert any("kontrollpunkt #1: tidsstämpelns innehåll har ändrats" in line for line in found)
    with pytest.raises(CommandError):
        call_command("verify_audit", "--checkpoints", str(published))
    assert "kontrollpunkt #1: databasens tidsstämpel skiljer sig" in capsys.readouterr().err
