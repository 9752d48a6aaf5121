"""The JSON Lines contract of `kanalvakt screen` never loses a line (issue 8).

Each broken line gets an error line of its own; every other line is
screened; output is valid UTF-8 JSON, one line per non-blank input line, in
order. The last tests run the real console command in a fresh process with
a strict UTF-8 locale, no secret key and no database.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import pytest

from kanalvakt.moderation.screening import ScreeningConfig
from kanalvakt.moderation.screening.stream import BATCH, BATCH_BYTES, MAX_DEPTH, batches, run

PACKS = Path(__file__).parent / "fixtures" / "packs"
REPO = Path(__file__).resolve().parents[3]
CONFIG = ScreeningConfig.default(use_learned=False)
GOOD = b'{"id": "ok", "text": "Tack f\xc3\xb6r hj\xc3\xa4lpen"}'


def _answers(*lines: bytes) -> list[dict[str, Any]]:
    out = io.BytesIO()
    run(CONFIG, io.BytesIO(b"\n".join(lines) + b"\n"), out.write)
    raw = out.getvalue()
    raw.decode("utf-8")  # always valid UTF-8
    return [json.loads(line) for line in raw.splitlines()]


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        (b'{"id": "x", "text": "caf\xe9"}', "invalid UTF-8"),
        (b'{"id": "x", "text": "\xed\xa0\x80"}', "invalid UTF-8"),  # an encoded surrogate
        (b'{"id": "x", "text": "lone \\ud800 surrogate"}', "lone surrogate"),
        (b'{"id": "x", "text": "t", "deep": ' + b"[" * 5000 + b"]" * 5000 + b"}", "nested"),
        (b'{"id": "x", "text": "t", "score": NaN}', "NaN"),
        (b'{"id": "x", "text": "t", "score": Infinity}', "Infinity"),
        (b'{"id": "x", "text": "t", "score": 1e400}', "Infinity"),  # too large for a float
        (b'{"id": 123456789012345678901234567890, "text": "t"}', "id must be"),
        (b'{"id": 1.5, "text": "t"}', "id must be"),
        (b'{"id": ["a"], "text": "t"}', "id must be"),
        (b'{"id": true, "text": "t"}', "id must be"),
        (b'{"id": "\\udc00", "text": "t"}', "id must be"),
        (b"not json at all", "invalid JSON"),
        (b'["an", "array"]', "JSON object"),
        (b'{"id": "x"}', "missing text"),
        (b'{"id": "x", "text": 42}', "text must be a string"),
    ],
)
def test_a_bad_line_gets_an_error_of_its_own_and_the_stream_goes_on(
    bad: bytes, reason: str
) -> None:
    out = _answers(GOOD, bad, GOOD)
    assert len(out) == 3
    assert out[0]["id"] == out[2]["id"] == "ok" and out[2]["action"] == "none"
    assert "error" in out[1] and reason in out[1]["error"]


def test_nesting_up_to_the_limit_is_fine() -> None:
    nested = b"[" * (MAX_DEPTH - 1) + b"]" * (MAX_DEPTH - 1)
    out = _answers(b'{"id": "n", "text": "hej", "extra": ' + nested + b"}")
    assert out[0]["action"] == "none"


def test_one_line_out_per_non_blank_line_in_order() -> None:
    lines = [
        json.dumps({"id": str(number), "text": f"rad {number} 😀"}).encode()
        for number in range(600)
    ]
    out = _answers(b"", *lines[:300], b"   ", b"\r", *lines[300:])
    assert [line["id"] for line in out] == [str(number) for number in range(600)]


def test_lines_that_cross_the_reads_are_kept_whole() -> None:
    long = "Kommunen svarar inte på mina frågor om snöröjningen. " * 40
    lines = [
        json.dumps({"id": str(number), "text": long + str(number)}).encode()
        for number in range(150)
    ]
    out = _answers(*lines, b'{"id": "last", "text": "' + b"x" * 200_000 + b'"}')
    assert [line["id"] for line in out] == [str(number) for number in range(150)] + ["last"]
    assert "longer than" in out[-1]["error"]


class _Lines(io.RawIOBase):
    """A pipe's reads as `batches` sees them: `readline` only (no `read1`)."""

    def __init__(self, data: bytes) -> None:
        self._lines = io.BytesIO(data)

    def readline(self, size: int | None = -1) -> bytes:
        return self._lines.readline(-1 if size is None else size)


@pytest.mark.parametrize("reader", [io.BytesIO, _Lines], ids=["chunks", "lines"])
def test_a_batch_holds_at_most_batch_lines_or_about_batch_bytes(
    reader: Callable[[bytes], IO[bytes]],
) -> None:
    short = [GOOD] * (2 * BATCH + 5)
    assert [len(batch) for batch in batches(reader(b"\n".join(short) + b"\n"))] == [
        BATCH,
        BATCH,
        5,
    ]
    long = b'{"id": "a", "text": "' + b"x" * 300_000 + b'"}'
    sizes = [len(batch) for batch in batches(reader(b"\n".join([long] * 10) + b"\n"))]
    assert sum(sizes) == 10 and max(sizes) == -(-BATCH_BYTES // len(long))  # 4 lines of 300 kB


def test_a_byte_order_mark_and_windows_line_ends_are_no_trouble() -> None:
    out = _answers(b"\xef\xbb\xbf" + GOOD + b"\r", GOOD + b"\r")
    assert [line["id"] for line in out] == ["ok", "ok"]


def test_integer_ids_are_echoed_and_the_id_of_a_bad_text_is_kept() -> None:
    out = _answers(b'{"id": 7, "text": "hej"}', b'{"id": "q", "text": null}')
    assert out[0]["id"] == 7 and out[1] == {"id": "q", "error": "text must be a string"}


def _console(stdin: bytes, *args: str, **extra: str) -> subprocess.CompletedProcess[bytes]:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(REPO),
        "KANALVAKT_POLICY_DIR": str(PACKS),
        "LC_ALL": "C.UTF-8",
        "PYTHONUTF8": "1",
        "PYTHONIOENCODING": "utf-8:strict",
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
        "KANALVAKT_CACHE_DIR": os.environ.get("KANALVAKT_CACHE_DIR", ""),  # conftest.py's
        **extra,
    }
    return subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "kanalvakt.cli", "screen", *args],
        input=stdin,
        capture_output=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_the_console_command_needs_no_secret_key_or_database_and_survives_bad_bytes() -> None:
    stdin = b"\n".join(
        [
            b'{"id": "a", "text": "Du \xc3\xa4r en idiot"}',
            b'{"id": "b", "text": "tr\xe4sigt"}',
            b'{"id": "c", "text": "\\udfff"}',
            b'{"id": "d", "text": "Tack!"}',
        ]
    )
    done = _console(stdin, "--pack", "screening-test")
    assert done.returncode == 0, done.stderr.decode()
    out = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert [line["id"] for line in out] == ["a", None, "c", "d"]
    assert out[0]["action"] == "remove"
    assert "invalid UTF-8" in out[1]["error"] and "surrogate" in out[2]["error"]


def test_a_pack_that_is_no_file_is_looked_up_through_django() -> None:
    # no file: the database might hold it, so Django's command answers
    done = _console(b"", "--pack", "no-such-pack", KANALVAKT_INSECURE_DEV_KEY="1")
    assert done.returncode != 0
    assert b"no-such-pack" in done.stderr


def test_prepare_builds_the_start_up_cache_that_later_processes_only_read(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "cache"
    done = _console(b"", "--prepare", KANALVAKT_CACHE_DIR=str(folder))
    assert done.returncode == 0, done.stderr
    assert f"Start-up cache ready in {folder}" in done.stdout.decode()
    built = {path.name: path.stat().st_mtime_ns for path in folder.glob("*.bin")}
    kinds = {name.split("-")[0] for name in built}
    assert kinds == {"anchors", "frequencies", "model", "regexes", "voikko"}
    screened = _console(
        b'{"id": 1, "text": "Olet ihan idiootti"}\n{"id": 2, "text": "Du \xc3\xa4r dum"}\n',
        "--pack",
        "screening-test",
        KANALVAKT_CACHE_DIR=str(folder),
    )
    assert screened.returncode == 0 and len(screened.stdout.splitlines()) == 2
    assert {path.name: path.stat().st_mtime_ns for path in folder.glob("*.bin")} == built


def test_prepare_says_so_when_no_cache_can_be_kept(unwritable_cache: Path) -> None:
    done = _console(b"", "--prepare", KANALVAKT_CACHE_DIR=str(unwritable_cache))
    assert done.returncode == 1
    assert "No start-up cache could be kept" in done.stderr.decode()
