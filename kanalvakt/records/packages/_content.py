"""Writing the items and snapshots themselves, shared by the E-ARK and BagIt builders."""

from __future__ import annotations

import json
import mimetypes
from collections.abc import Callable
from pathlib import Path

from ._io import HashingWriter, WrittenFile, copy_in, iso, safe_name
from ._metadata import ContentStats
from .spec import PackageError, PackageItem, SnapshotFile, check_sha256

ITEMS_PER_DIRECTORY = 1000
_EXTENSIONS = {
    "application/json": ".json",
    "application/pdf": ".pdf",
    "image/png": ".png",
    "application/warc": ".warc",
    "text/html": ".html",
    "text/plain": ".txt",
    "application/xml": ".xml",
    "text/xml": ".xml",
}
JSONL_MIME = "application/x-ndjson"


def extension(mime_type: str) -> str:
    return _EXTENSIONS.get(mime_type) or mimetypes.guess_extension(mime_type) or ".bin"


class ItemsWriter:
    """Writes `<data>/items.jsonl` and `<data>/raw/NNNN/…` one item at a time.

    `on_file` is told about each raw payload as soon as it is on disk; the
    JSON Lines file is reported by `finish`, once its digest is known.
    """

    def __init__(
        self,
        root: Path,
        data_dir: str,
        stats: ContentStats,
        on_file: Callable[[WrittenFile, str], None],
    ) -> None:
        self.root = root
        self.data_dir = data_dir
        self.stats = stats
        self.on_file = on_file
        self._jsonl = HashingWriter(root, f"{data_dir}/items.jsonl", JSONL_MIME)

    def add(self, item: PackageItem) -> None:
        what = f"item {item.id!r} ({item.platform}/{item.account})"
        expected = check_sha256(item.raw_sha256, what)
        n = self.stats.items
        directory = f"raw/{n // ITEMS_PER_DIRECTORY:04d}"
        if n % ITEMS_PER_DIRECTORY == 0:
            (self.root / self.data_dir / directory).mkdir(parents=True, exist_ok=True)
        raw_rel = (
            f"{directory}/{n:07d}_{safe_name(item.platform, 20)}_"
            f"{safe_name(item.id)}{extension(item.raw_mime_type)}"
        )
        written = copy_in(
            self.root,
            f"{self.data_dir}/{raw_rel}",
            item.raw,
            item.raw_mime_type,
            expected,
            what,
            make_parent=False,
        )
        line = {
            "id": item.id,
            "platform": item.platform,
            "account": item.account,
            "created_at": iso(item.created_at),
            "author": item.author,
            "text": item.text,
            "raw_path": raw_rel,
            "raw_sha256": written.sha256,
            "raw_mime_type": item.raw_mime_type,
        }
        self._jsonl.write_text(json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n")
        self.stats.add_item(item.platform, item.account, item.created_at)
        self.on_file(written, item.id)

    def close(self) -> None:
        """Close items.jsonl without reporting it (the build failed)."""
        self._jsonl.close()

    def finish(self) -> WrittenFile:
        written = self._jsonl.close()
        self.on_file(written, "items.jsonl")
        return written


def place_snapshot(
    root: Path, data_dir: str, snapshot: SnapshotFile, n: int, stats: ContentStats
) -> WrittenFile:
    """Copy one snapshot file to `<data>/<account>/…`, checking its digest."""
    what = f"snapshot {snapshot.path.name} of {snapshot.account!r}"
    expected = check_sha256(snapshot.sha256, what)
    if not snapshot.path.is_file():
        raise PackageError(f"{what}: {snapshot.path} is not a file")
    captured = iso(snapshot.captured_at).replace(":", "").replace("-", "")
    stem = safe_name(snapshot.path.stem, 40)
    suffix = (
        "." + safe_name(snapshot.path.suffix[1:], 10)
        if snapshot.path.suffix
        else extension(snapshot.mime_type)
    )
    relpath = f"{data_dir}/{safe_name(snapshot.account)}/{n:05d}_{captured}_{stem}{suffix}"
    written = copy_in(root, relpath, snapshot.path, snapshot.mime_type, expected, what)
    stats.add_snapshot(snapshot.account, snapshot.mime_type)
    return written
