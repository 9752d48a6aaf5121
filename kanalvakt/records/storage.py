"""Files of records go through Django's storage API, each with its SHA-256."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

CHUNK = 1024 * 1024


def store(name: str, data: bytes) -> tuple[str, str]:
    """Save bytes under a name; returns the stored name and the SHA-256."""
    digest = hashlib.sha256(data).hexdigest()
    stored = default_storage.save(name, ContentFile(data))
    return stored, digest


def chunks(name: str) -> Iterator[bytes]:
    with default_storage.open(name, "rb") as handle:
        while True:
            block = handle.read(CHUNK)
            if not block:
                return
            yield block


def stored_sha256(name: str) -> str:
    """SHA-256 of a stored file, read in chunks."""
    digest = hashlib.sha256()
    for block in chunks(name):
        digest.update(block)
    return digest.hexdigest()
