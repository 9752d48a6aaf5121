"""Package specs with Swedish and Finnish text, raw payloads and snapshot files."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from kanalvakt.records.packages import PackageItem, PackageSpec, SnapshotFile

TEXTS = [
    ("facebook", "Överkalix kommun", "Varför är snöröjningen på Storgatan så dålig i år?"),
    ("facebook", "Överkalix kommun", "Tack för en fin midsommarfest! 🌞"),
    ("instagram", "overkalixkommun", "Milloin uimahalli avataan taas? Kiitos vastauksesta."),
    ("x", "@OverkalixKommun", "Hyvää työtä, kiitos! Ääkköset: äöå ÄÖÅ"),
    ("mastodon", "@kommun@social.overkalix.se", 'Citat "i XML" & <taggar> ska klara sig'),
]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def make_items(tmp_path: Path, count: int) -> Iterator[PackageItem]:
    """A generator, as the records app will pass one over a cursor."""
    start = datetime(2026, 1, 2, 8, 0, tzinfo=UTC)
    for n in range(count):
        platform, account, text = TEXTS[n % len(TEXTS)]
        raw = json.dumps(
            {"id": f"{platform}-{n}", "message": text, "from": {"name": "Åsa Öberg"}},
            ensure_ascii=False,
        ).encode("utf-8")
        source: bytes | Path = raw
        if n % 2:
            # Every other payload comes from a file, as stored payloads do.
            source = tmp_path / "payloads" / f"{n}.json"
            source.parent.mkdir(exist_ok=True)
            source.write_bytes(raw)
        yield PackageItem(
            id=f"{platform}-{n}/with:odd chars",
            platform=platform,
            account=account,
            created_at=start + timedelta(hours=n),
            author="Åsa Öberg" if n % 3 else "Matti Meikäläinen",
            text=text,
            raw=source,
            raw_sha256=sha256(raw),
        )


def make_snapshots(tmp_path: Path) -> list[SnapshotFile]:
    folder = tmp_path / "snapshots"
    folder.mkdir(exist_ok=True)
    captured = datetime(2026, 6, 30, 22, 0, tzinfo=UTC)
    files = [
        ("startsida.pdf", b"%PDF-1.7\n% PDF/A-2b stand-in\n", "application/pdf"),
        ("startsida.png", b"\x89PNG\r\n\x1a\n stand-in", "image/png"),
        ("startsida.warc", b"WARC/1.1\r\nWARC-Type: warcinfo\r\n\r\n", "application/warc"),
    ]
    snapshots = []
    for account in ("Överkalix kommun", "overkalixkommun"):
        for name, body, mime in files:
            path = folder / f"{account[:4]}-{name}"
            path.write_bytes(body + account.encode())
            snapshots.append(
                SnapshotFile(
                    path=path,
                    mime_type=mime,
                    account=account,
                    captured_at=captured,
                    sha256=sha256(path.read_bytes()),
                )
            )
    return snapshots


SpecFactory = Callable[..., PackageSpec]


@pytest.fixture
def make_spec(tmp_path: Path) -> SpecFactory:
    def build(count: int = 12, *, snapshots: bool = True, **overrides: object) -> PackageSpec:
        fields: dict[str, object] = {
            "organisation_name": "Överkalix kommun",
            "organisation_identifier": "212000-2650",
            "package_id": "UUID:7b0c7a9e-2f7e-4d4a-9a57-0c6f1f0e2a11",
            "label": "Sociala medier, första halvåret 2026",
            "date_from": date(2026, 1, 1),
            "date_to": date(2026, 6, 30),
            "items": make_items(tmp_path, count),
            "snapshots": make_snapshots(tmp_path) if snapshots else (),
        }
        fields.update(overrides)
        return PackageSpec(**fields)  # type: ignore[arg-type]

    return build
