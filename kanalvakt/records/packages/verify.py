"""Re-checking a package: every checksum in its METS files, or its BagIt manifests."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

# The standard library's parser does not fetch external entities, and the
# bundled expat (2.6) limits entity expansion, so a hostile METS cannot reach
# the network or exhaust memory through entities. iterparse keeps memory flat
# for METS files with 100,000+ entries.
from xml.etree.ElementTree import Element, ParseError, iterparse  # noqa: S405

from ._io import CHUNK

_METS = "{http://www.loc.gov/METS/}"
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_ALGORITHMS = {
    "SHA-256": "sha256",
    "SHA-512": "sha512",
    "SHA-384": "sha384",
    "SHA-1": "sha1",
    "MD5": "md5",
}


def verify_package(path: Path | str) -> list[str]:
    """Return every problem found in the package at `path`; an empty list means intact.

    An E-ARK package (a directory with METS.xml) has every file and metadata
    reference in its root and representation METS files re-hashed and sized,
    and any file the METS files do not list is reported. A BagIt bag (a
    directory with bagit.txt) is validated with the bagit library.
    """
    root = Path(path)
    if (root / "bagit.txt").is_file():
        return _verify_bag(root)
    if (root / "METS.xml").is_file():
        return _verify_eark(root)
    return [f"{root}: neither METS.xml nor bagit.txt found; not a package"]


def _verify_bag(root: Path) -> list[str]:
    import bagit  # type: ignore[import-untyped]

    try:
        bag = bagit.Bag(str(root))
    except bagit.BagError as exc:
        return [str(exc)]
    try:
        bag.validate(processes=1)
    except bagit.BagValidationError as exc:
        details = [str(detail) for detail in exc.details]
        if details:
            return details
        # A Payload-Oxum mismatch stops bagit before any digest is checked;
        # name the files that differ as well.
        return [str(exc), *_bag_digests(root, bag.entries)]
    except bagit.BagError as exc:
        return [str(exc)]
    return []


def _bag_digests(root: Path, entries: dict[str, dict[str, str]]) -> list[str]:
    problems = []
    for relpath, digests in sorted(entries.items()):
        expected = digests.get("sha256")
        path = root / relpath
        if expected is None or not path.is_file():
            continue
        digest = hashlib.sha256()
        with path.open("rb") as src:
            while chunk := src.read(CHUNK):
                digest.update(chunk)
        if digest.hexdigest() != expected:
            problems.append(f"{relpath}: SHA-256 is {digest.hexdigest()}, manifest says {expected}")
    return problems


class _Reference:
    __slots__ = ("checksum", "checksumtype", "href", "size")

    def __init__(self, href: str, size: str | None, checksum: str | None, checksumtype: str | None):
        self.href = href
        self.size = size
        self.checksum = checksum
        self.checksumtype = checksumtype


def _verify_eark(root: Path) -> list[str]:
    problems: list[str] = []
    listed: set[str] = {"METS.xml"}
    pending = [PurePosixPath("METS.xml")]
    seen_mets: set[PurePosixPath] = set()
    while pending:
        mets = pending.pop()
        if mets in seen_mets:
            continue
        seen_mets.add(mets)
        base = mets.parent
        try:
            for kind, ref in _references(root / mets):
                target = _resolve(root, base, ref.href)
                if target is None:
                    problems.append(f"{mets}: reference {ref.href!r} points outside the package")
                    continue
                if kind == "mptr":
                    pending.append(target)
                    continue
                listed.add(target.as_posix())
                problems.extend(_check_file(root, target, ref, mets))
        except (ParseError, OSError) as exc:
            problems.append(f"{mets}: cannot be read as XML: {exc}")
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            rel = (Path(dirpath) / name).relative_to(root).as_posix()
            if rel not in listed:
                problems.append(f"{rel}: in the package but listed in no METS file")
    return problems


def _references(mets_path: Path) -> Iterator[tuple[str, _Reference]]:
    """(kind, reference) for each mets:file, mets:mdRef and mets:mptr, streamed."""
    stack: list[Element] = []
    for event, element in iterparse(mets_path, events=("start", "end")):  # noqa: S314
        if event == "start":
            stack.append(element)
            continue
        stack.pop()
        tag = element.tag
        if tag == f"{_METS}file":
            flocat = element.find(f"{_METS}FLocat")
            href = flocat.get(_XLINK_HREF, "") if flocat is not None else ""
            yield "file", _reference(href, element)
        elif tag == f"{_METS}mdRef":
            yield "mdRef", _reference(element.get(_XLINK_HREF, ""), element)
        elif tag == f"{_METS}mptr":
            yield "mptr", _Reference(element.get(_XLINK_HREF, ""), None, None, None)
        else:
            continue
        if stack:
            stack[-1].remove(element)


def _reference(href: str, element: Element) -> _Reference:
    return _Reference(
        href, element.get("SIZE"), element.get("CHECKSUM"), element.get("CHECKSUMTYPE")
    )


def _resolve(root: Path, base: PurePosixPath, href: str) -> PurePosixPath | None:
    if href.startswith("file://"):
        href = href[len("file://") :]
        href = href.removeprefix("./")
    href = unquote(href)
    if not href or href.startswith("/") or "\\" in href:
        return None
    parts: list[str] = []
    for part in (base / href).parts:
        if part in ("", "."):
            continue
        if part == "..":
            if not parts:
                return None
            parts.pop()
        else:
            parts.append(part)
    if not parts:
        return None
    return PurePosixPath(*parts)


def _check_file(
    root: Path, target: PurePosixPath, ref: _Reference, mets: PurePosixPath
) -> list[str]:
    path = root / target
    name = target.as_posix()
    if path.is_symlink() or not path.is_file():
        return [f"{name}: listed in {mets} but missing"]
    problems = []
    algorithm = _ALGORITHMS.get((ref.checksumtype or "").upper())
    if algorithm is None:
        problems.append(f"{name}: checksum type {ref.checksumtype!r} in {mets} is not supported")
        digest_value = None
    else:
        digest_value = hashlib.new(algorithm)
    size = 0
    with path.open("rb") as src:
        while chunk := src.read(CHUNK):
            size += len(chunk)
            if digest_value is not None:
                digest_value.update(chunk)
    if ref.size is None or not ref.size.isdigit():
        problems.append(f"{name}: no valid SIZE in {mets}")
    elif int(ref.size) != size:
        problems.append(f"{name}: size is {size} bytes, {mets} says {ref.size}")
    if digest_value is not None:
        actual = digest_value.hexdigest()
        if not ref.checksum:
            problems.append(f"{name}: no CHECKSUM in {mets}")
        elif actual != ref.checksum.lower():
            problems.append(
                f"{name}: {ref.checksumtype} is {actual}, {mets} says {ref.checksum.lower()}"
            )
    return problems
