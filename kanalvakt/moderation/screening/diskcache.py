"""What screening derives at start-up, kept on disk for the next process (issue 8).

Like Python's `.pyc` files: the first process that needs a derived table
(wordfreq's figures as a trie, the patterns' prefilter anchors, the bundled
model as plain arrays) builds it as it always did and leaves a copy here;
later processes read the copy. Each file's name carries a key: a digest of
everything it is derived from (the library's version and its files' sizes and
times, the sources it reads, the code that derives it, this format). A change
of any of them is a new name, so a stale copy is never read.

A file is written to a temporary name and renamed into place (`os.replace`),
so two processes starting together each see a whole file or none. Each
carries its length and a CRC-32 of its content: a damaged file is ignored.
When the directory cannot be written, or a copy cannot be read, the caller
builds in memory exactly as it would without the cache, and nothing is said.

The directory: `KANALVAKT_CACHE_DIR`, else `$XDG_CACHE_HOME/kanalvakt`, else
`~/.cache/kanalvakt`. It can be deleted at any time. What it holds decides
what screening skips, so it is used only when it belongs to this user and
no one else may write to it (made with mode 0700); otherwise, and without
a home folder, everything is built in memory.
"""

from __future__ import annotations

import hashlib
import mmap
import os
import struct
import sys
import time
import zlib
from collections.abc import Callable
from pathlib import Path

FORMAT = 1
_MAGIC = b"KVC1"
_HEADER = struct.Struct("<4sIQ")  # magic, CRC-32 of the payload, payload length
ALIGN = 16  # the payload starts at a multiple of this (the header's size)
STALE_SECONDS = 7 * 24 * 3600


def directory() -> Path | None:
    """Where the derived files live (made when one is written); None without a home folder."""
    configured = os.environ.get("KANALVAKT_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        home = os.path.expanduser("~")
        if home.startswith("~"):
            return None  # no home to keep a cache in: build in memory
        base = os.path.join(home, ".cache")
    return Path(base) / "kanalvakt"


def _trusted(folder: Path) -> bool:
    """Only this user's folder that no one else may write holds files to read."""
    try:
        status = os.stat(folder)
    except OSError:
        return False
    return status.st_uid == os.getuid() and not status.st_mode & 0o022


def key(*parts: object) -> str:
    """A digest of what a file is derived from (reprs of plain values; bytes as they are)."""
    digest = hashlib.sha256(f"{FORMAT}|{sys.version_info[:2]}|{sys.byteorder}".encode())
    for part in parts:
        digest.update(b"\0")
        digest.update(part if isinstance(part, bytes) else repr(part).encode("utf-8"))
    return digest.hexdigest()[:32]


def source_digest(*paths: str | Path) -> str:
    """A digest of files' contents: the code that derives a table is part of its key."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()


def file_stamp(path: str | Path) -> tuple[str, int, int]:
    """A data file's name, size and modification time, as `.pyc` files are keyed."""
    status = os.stat(path)
    return (os.fspath(path), status.st_size, status.st_mtime_ns)


def _path(name: str, digest: str) -> Path | None:
    folder = directory()
    return None if folder is None else folder / f"{name}-{digest}.bin"


def read(name: str, digest: str) -> memoryview | None:
    """The payload of `name` stored under `digest`, mapped read-only; None if absent or damaged."""
    path = _path(name, digest)
    if path is None or not _trusted(path.parent):
        return None
    try:
        with open(path, "rb") as handle:
            mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):
        return None  # absent, unreadable, or empty (mmap refuses an empty file)
    view = memoryview(mapped)
    if len(view) < _HEADER.size:
        return None
    magic, crc, length = _HEADER.unpack_from(view)
    payload = view[_HEADER.size :]
    if magic != _MAGIC or length != len(payload) or zlib.crc32(payload) != crc:
        return None
    return payload


def write(name: str, digest: str, build: Callable[[], list[bytes]]) -> bool:
    """Store the payload `b"".join(build())` under `digest`; False when the directory refuses.

    `build` is called only once a temporary file could be made: a directory
    that cannot be written costs no building. The file is written whole under
    the temporary name and then renamed, so a reader never sees half of it.
    Files of `name` under other keys not written for a week are removed
    (another checkout's copy in use is rewritten then).
    """
    import tempfile  # only a process that builds pays for importing it

    target = _path(name, digest)
    if target is None:
        return False
    try:
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _trusted(target.parent):
            return False
        handle, temporary = tempfile.mkstemp(prefix=f".{name}-", dir=target.parent)
    except OSError:
        return False
    try:
        with os.fdopen(handle, "wb") as out:
            chunks = build()
            crc, length = 0, 0
            for chunk in chunks:
                crc = zlib.crc32(chunk, crc)
                length += len(chunk)
            out.write(_HEADER.pack(_MAGIC, crc, length))
            for chunk in chunks:
                out.write(chunk)
        os.replace(temporary, target)
    except Exception:  # a full disk, or a table that could not be derived: build in memory
        os.unlink(temporary)
        return False
    except BaseException:
        os.unlink(temporary)
        raise
    _remove_stale(target, name)
    return True


def _remove_stale(target: Path, name: str) -> None:
    now = time.time()
    for other in target.parent.glob(f"{name}-*.bin"):
        try:
            if other != target and now - other.stat().st_mtime > STALE_SECONDS:
                other.unlink()
        except OSError:
            pass


def padding(length: int) -> bytes:
    """Zero bytes that bring a payload of `length` bytes to a multiple of ALIGN."""
    return bytes(-length % ALIGN)
