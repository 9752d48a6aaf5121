"""BagIt 1.0 bags (RFC 8493) with SHA-256 manifests, validated with the `bagit` library.

    <package id>/
      bagit.txt                 BagIt-Version: 1.0
      bag-info.txt              Source-Organization, Organization-Identifier, dates, counts
      manifest-sha256.txt
      tagmanifest-sha256.txt
      data/items/items.jsonl
      data/items/raw/0000/…
      data/snapshots/<format>/<account>/…
      data/description.xml

The payload manifest is written line by line while the files are written,
from the digests taken on the way, so a bag of 100,000 items is read once and
needs no memory per item. `bagit.make_bag` (bagit 1.9) is not used for
writing: it produces BagIt 0.97, not 1.0, reads every file a second time, and
changes the process's working directory while it works (unsafe in a threaded
web process). Loading a bag with `bagit.Bag` holds its whole manifest in
memory (about 0.7 KB a file), so the builder does not do it; the bagit
library is what checks the result: `verify_package` runs
`bagit.Bag(path).validate()`, and so do the tests.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from ._content import ItemsWriter, place_snapshot
from ._io import HashingWriter, WrittenFile, build_atomically, safe_name, sha256_file
from ._metadata import ContentStats, write_checkpoints, write_description
from .eark import software_version
from .spec import PackageSpec

# A tag value is one line of text: line breaks and other control characters go.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def _manifest_path(relpath: str) -> str:
    # RFC 8493 §2.1.3: CR, LF and % in paths are percent-encoded.
    return relpath.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def build_bagit(output_dir: Path | str, *, package: PackageSpec) -> Path:
    """Build a bag in `output_dir/<package id>/` and return that directory
    (complete or not at all: `build_atomically`)."""
    return build_atomically(output_dir, package, _write_bag)


def _write_bag(work: Path, package: PackageSpec) -> None:
    stats = ContentStats()
    total_bytes = 0
    total_files = 0
    with (work / "manifest-sha256.txt").open("x", encoding="utf-8", newline="\n") as manifest:

        def listed(written: WrittenFile, _original: str = "") -> None:
            nonlocal total_bytes, total_files
            total_bytes += written.size
            total_files += 1
            manifest.write(f"{written.sha256}  {_manifest_path(written.relpath)}\n")

        writer = ItemsWriter(work, "data/items", stats, listed)
        try:
            for item in package.items:
                writer.add(item)
        finally:
            writer.close()
        writer.finish()
        for n, snapshot in enumerate(package.snapshots, start=1):
            kind = safe_name(snapshot.mime_type.split("/")[-1], 20)
            listed(place_snapshot(work, f"data/snapshots/{kind}", snapshot, n, stats))
        listed(write_description(work, "data/description.xml", package, stats))
        if package.checkpoints:
            listed(write_checkpoints(work, "data/checkpoints.json", package))

    with HashingWriter(work, "bagit.txt", "text/plain") as out:
        out.write_text("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n")
    info = {
        "Source-Organization": package.organisation_name,
        "Organization-Identifier": package.organisation_identifier,
        "External-Identifier": package.package_id,
        "External-Description": package.label,
        "Date-Start": package.date_from.isoformat(),
        "Date-End": package.date_to.isoformat(),
        "Items-Count": str(stats.items),
        "Items-First-Created": stats.first.date().isoformat() if stats.first else "",
        "Items-Last-Created": stats.last.date().isoformat() if stats.last else "",
        "Snapshots-Count": str(sum(stats.snapshots.values())),
        "Bagging-Date": datetime.now(UTC).date().isoformat(),
        "Bag-Software-Agent": f"Kanalvakt {software_version()}",
        "Payload-Oxum": f"{total_bytes}.{total_files}",
    }
    with HashingWriter(work, "bag-info.txt", "text/plain") as out:
        for key, value in info.items():
            out.write_text(f"{key}: {_CONTROL.sub(' ', value)}\n")
    with (work / "tagmanifest-sha256.txt").open("x", encoding="utf-8", newline="\n") as tags:
        for name in ("bagit.txt", "bag-info.txt", "manifest-sha256.txt"):
            digest, _size = sha256_file(work / name)
            tags.write(f"{digest}  {name}\n")
