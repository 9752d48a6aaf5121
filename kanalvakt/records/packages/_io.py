"""Streaming file helpers shared by the builders: write once, hash as you go."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import BinaryIO, Self
from xml.sax.saxutils import escape, quoteattr

from .spec import PackageError, PackageSpec

CHUNK = 1 << 16

# Characters XML 1.0 cannot carry at all; comments may hold any of them.
_XML_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def build_atomically(
    output_dir: Path | str, package: PackageSpec, write: Callable[[Path, PackageSpec], None]
) -> Path:
    """Build `package` with `write` in `output_dir/<package id>/` and return that directory.

    The package is assembled in a temporary sibling directory and renamed into
    place only when complete, so a failure (a payload whose digest no longer
    matches, a missing snapshot file) leaves nothing behind but the exception.
    """
    package.check()
    output = Path(output_dir)
    final = output / package.package_id
    if final.exists():
        raise PackageError(f"{final} already exists")
    output.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{package.package_id}.", dir=output))
    try:
        write(work, package)
        os.replace(work, final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return final


@dataclass(frozen=True, slots=True)
class WrittenFile:
    """A file placed in a package: where, how big, its digest and when."""

    relpath: str
    size: int
    sha256: str
    created: str
    mime_type: str


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise PackageError(f"timestamp {moment.isoformat()} has no time zone")
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def xml_text(value: str) -> str:
    return escape(_XML_INVALID.sub("\ufffd", value))


def xml_attr(value: str) -> str:
    """A quoted attribute value (quotes included)."""
    return quoteattr(_XML_INVALID.sub("\ufffd", value))


def safe_name(value: str, limit: int = 60) -> str:
    """A file-name fragment made of ASCII letters, digits and . _ - only."""
    folded = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    cleaned = _UNSAFE_NAME.sub("-", folded).strip(".-")[:limit]
    return cleaned or "x"


class HashingWriter:
    """A binary file that keeps its SHA-256 and size while it is written."""

    def __init__(
        self, root: Path, relpath: str, mime_type: str, *, make_parent: bool = True
    ) -> None:
        self.root = root
        self.relpath = relpath
        self.mime_type = mime_type
        # A plain string path: pathlib interns every component it parses, which
        # would grow the interpreter's intern table by one entry per file.
        path = os.path.join(root, relpath)
        if make_parent:
            os.makedirs(os.path.dirname(path), exist_ok=True)
        self._file: BinaryIO = open(path, "xb")  # noqa: SIM115 — closed in close()
        self._hash = hashlib.sha256()
        self._size = 0
        self.result: WrittenFile | None = None

    def write(self, data: bytes) -> None:
        self._file.write(data)
        self._hash.update(data)
        self._size += len(data)

    def write_text(self, text: str) -> None:
        self.write(text.encode("utf-8"))

    def close(self) -> WrittenFile:
        if self.result is None:
            self._file.close()
            self.result = WrittenFile(
                self.relpath, self._size, self._hash.hexdigest(), now_iso(), self.mime_type
            )
        return self.result

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def copy_in(
    root: Path,
    relpath: str,
    source: bytes | Path,
    mime_type: str,
    expected_sha256: str,
    what: str,
    *,
    make_parent: bool = True,
) -> WrittenFile:
    """Copy bytes or a file into the package, refusing it if its digest is not the expected one."""
    with HashingWriter(root, relpath, mime_type, make_parent=make_parent) as out:
        if isinstance(source, bytes):
            out.write(source)
        else:
            try:
                with source.open("rb") as src:
                    while chunk := src.read(CHUNK):
                        out.write(chunk)
            except OSError as exc:
                raise PackageError(f"{what}: cannot read {source}: {exc.strerror}") from exc
    written = out.close()
    if written.sha256 != expected_sha256:
        raise PackageError(
            f"{what}: SHA-256 is {written.sha256}, expected {expected_sha256}; "
            "the stored copy no longer matches the digest taken at receipt"
        )
    return written


def sha256_file(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as src:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size
