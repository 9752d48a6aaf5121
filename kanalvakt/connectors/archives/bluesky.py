"""Bluesky repository export (`com.atproto.sync.getRepo`): a CAR v1 file of DAG-CBOR blocks.

Blocks are read one at a time (varint length, CID, data) and decoded with
`libipld`. A record's path (`app.bsky.feed.post/<rkey>`) lives in the MST
nodes, so CIDs seen in MST entries are remembered only until their record
block arrives; a record block that comes before its MST entry waits in a
small buffer. Memory depends on that out-of-order window, not on file size.

The window is capped: a file whose post records never get index entries
(damaged, or built to exhaust memory) stops with an ArchiveError once
`MAX_WAITING_BYTES` of records wait, and at the end of the file any record
still waiting, or a file without a signed commit, is an error too, never
"finished, 0 posts".
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

import libipld

from kanalvakt.connectors.archives.common import ArchiveEntry, ArchiveError, numbered
from kanalvakt.connectors.base import IncomingItem
from kanalvakt.connectors.bluesky.parse import POST_COLLECTION, parse_post_record

DAG_CBOR = 0x71
MAX_BLOCK = 2 * 1024 * 1024  # the AT Protocol caps records far below this
MAX_WAITING_BYTES = 32 * 1024 * 1024  # post records held while their index entry is awaited
MAX_PENDING_PATHS = 500_000  # index entries held while their record is awaited


def _varint(stream: IO[bytes]) -> int | None:
    """An unsigned LEB128 varint; None at a clean end of file."""
    shift = result = 0
    while True:
        byte = stream.read(1)
        if not byte:
            if shift:
                raise ArchiveError("CAR file ends inside a varint")
            return None
        result |= (byte[0] & 0x7F) << shift
        if not byte[0] & 0x80:
            return result
        shift += 7
        if shift > 63:
            raise ArchiveError("varint too long")


def _varint_at(data: bytes, offset: int) -> tuple[int, int]:
    shift = result = 0
    while True:
        if offset >= len(data):
            raise ArchiveError("CID ends inside a varint")
        byte = data[offset]
        offset += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, offset
        shift += 7


def _split_cid(block: bytes) -> tuple[bytes, int, bytes]:
    """(cid bytes, codec, data) of one CAR section."""
    if block[:2] == b"\x12\x20":  # CIDv0: a bare sha2-256 multihash, dag-pb
        return block[:34], 0x70, block[34:]
    version, offset = _varint_at(block, 0)
    if version != 1:
        raise ArchiveError(f"unsupported CID version {version}")
    codec, offset = _varint_at(block, offset)
    _, offset = _varint_at(block, offset)  # multihash code
    length, offset = _varint_at(block, offset)
    end = offset + length
    return block[:end], codec, block[end:]


def iter_blocks(stream: IO[bytes]) -> Iterator[tuple[dict[str, Any], bytes, bytes, Any]]:
    """(header, cid, raw data, decoded value) for each DAG-CBOR block of a CAR v1 file."""
    header_length = _varint(stream)
    if header_length is None or header_length > MAX_BLOCK:
        raise ArchiveError("not a CAR file: no header")
    header = libipld.decode_dag_cbor(stream.read(header_length))
    if not isinstance(header, dict) or header.get("version") != 1:
        raise ArchiveError("not a CAR v1 file")
    while (length := _varint(stream)) is not None:
        if length > MAX_BLOCK:
            raise ArchiveError(f"block of {length} bytes is larger than any record")
        block = stream.read(length)
        if len(block) != length:
            raise ArchiveError("CAR file ends inside a block")
        cid, codec, data = _split_cid(block)
        if codec != DAG_CBOR:
            continue
        try:
            value = libipld.decode_dag_cbor(data)
        except ValueError as exc:
            raise ArchiveError(f"bad DAG-CBOR block: {exc}") from exc
        yield header, cid, data, value


def read_bluesky_car(stream: IO[bytes], *, start: int = 0) -> Iterator[ArchiveEntry]:
    """The account's posts (`app.bsky.feed.post` records) in a repository CAR file."""
    return numbered(_posts(stream), start)


def _posts(stream: IO[bytes]) -> Iterator[IncomingItem]:
    did = ""
    paths: dict[bytes, str] = {}  # record CID → "collection/rkey", until the record is seen
    waiting: dict[bytes, tuple[bytes, dict[str, Any]]] = {}  # posts seen before their path
    early: list[tuple[bytes, bytes, dict[str, Any], str]] = []  # posts seen before the commit

    def item(cid: bytes, data: bytes, record: dict[str, Any], path: str) -> IncomingItem:
        return parse_post_record(
            record,
            uri=f"at://{did}/{path}",
            cid=libipld.encode_cid(cid),
            account_did=did,
            raw=data,
        )

    held = 0  # bytes of post records in `waiting` and `early`

    def hold(size: int) -> None:
        nonlocal held
        held += size
        if held > MAX_WAITING_BYTES:
            raise ArchiveError(
                f"more than {MAX_WAITING_BYTES // (1024 * 1024)} MiB of post records without "
                "an entry in the repository index (MST) or before the signed commit: the file "
                "is damaged or not a repository export"
            )

    for _, cid, data, value in iter_blocks(stream):
        if not isinstance(value, dict):
            continue
        if "did" in value and "data" in value and "sig" in value:  # the signed commit
            did = str(value["did"])
            for early_cid, early_data, record, path in early:
                held -= len(early_data)
                yield item(early_cid, early_data, record, path)
            early.clear()
        elif "e" in value and "l" in value:  # an MST node
            key = b""
            for entry in value["e"] or []:
                key = key[: entry["p"]] + entry["k"]
                record_cid = bytes(entry["v"])
                path = key.decode()
                if record_cid in waiting:
                    waiting_data, record = waiting.pop(record_cid)
                    if did:
                        held -= len(waiting_data)
                        yield item(record_cid, waiting_data, record, path)
                    else:
                        early.append((record_cid, waiting_data, record, path))
                elif path.startswith(f"{POST_COLLECTION}/"):
                    if len(paths) >= MAX_PENDING_PATHS:
                        raise ArchiveError("too many index entries whose records never come")
                    paths[record_cid] = path
        elif value.get("$type") == POST_COLLECTION:
            path = paths.pop(cid, "")
            if not path:
                hold(len(data))
                waiting[cid] = (data, value)
            elif did:
                yield item(cid, data, value, path)
            else:
                hold(len(data))
                early.append((cid, data, value, path))
    if not did:
        raise ArchiveError("the CAR file has no signed commit: not a repository export")
    if waiting:
        raise ArchiveError(
            f"{len(waiting)} post records have no entry in the repository index (MST): "
            "the file is damaged or not a complete repository export"
        )
