"""Writing an import's rows in one statement each: binary `COPY` on PostgreSQL,
`executemany` on SQLite (ids from a table's sequence: `inbox.bulk.sequence_ids`).

The values go as the database keeps them (`bulkstore`'s rows are prepared for
it). COPY goes past Django's cursor wrapper, so its errors are mapped as the
wrapper would (a unique conflict is an IntegrityError).

A COPY's binary data can also be made without a connection (`copy_payload`, from
the columns' type oids that `column_oids` read once) and written as it is
(`payload_write`): the import's reading process (`intake.reading`) formats the
rows there, so the importing process only passes the bytes on.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson
import psycopg
from django.db import connection
from psycopg import postgres, pq
from psycopg._copy_base import BinaryFormatter
from psycopg.adapt import AdaptersMap, Dumper, PyFormat, Transformer

from kanalvakt.inbox.models import Item, ItemProcessing


def rows_write(model: type[Item | ItemProcessing], columns: Sequence[str], rows: list[Any]) -> None:
    """INSERT the rows (values in `columns` order) in one statement, inside the caller's
    transaction."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _copy_binary(cursor.cursor, model._meta.db_table, table, names, columns, rows)
            return
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(
            f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608 - names from the model
            rows,
        )


class _JsonbText(Dumper):
    """A list or dict as binary jsonb, encoded by orjson (JSON text is taken as it is)."""

    format = pq.Format.BINARY
    oid = postgres.types["jsonb"].oid

    def dump(self, obj: Any) -> bytes:
        if isinstance(obj, str):
            return b"\x01" + obj.encode()
        return b"\x01" + orjson.dumps(obj)


_BYTES = psycopg.adapters.get_dumper(bytes, PyFormat.BINARY)
_COLUMN_TYPES: dict[tuple[str, tuple[str, ...]], list[int]] = {}


def column_oids(model: type[Item | ItemProcessing], columns: Sequence[str]) -> list[int]:
    """The type oids of the model's `columns` (PostgreSQL), read once per process."""
    with connection.cursor() as cursor:
        return _oids(cursor.cursor, model._meta.db_table, columns)


def _oids(cursor: Any, db_table: str, columns: Sequence[str]) -> list[int]:
    key = (db_table, tuple(columns))
    if key not in _COLUMN_TYPES:
        cursor.execute(
            "SELECT attname, atttypid::int FROM pg_attribute WHERE attrelid = %s::regclass",
            [db_table],
        )
        by_name = dict(cursor.fetchall())
        _COLUMN_TYPES[key] = [by_name[column] for column in columns]
    return _COLUMN_TYPES[key]


def _register_dumpers(adapters: AdaptersMap, oids: Sequence[int]) -> None:
    if _JsonbText.oid in oids:
        adapters.register_dumper(None, _JsonbText)  # by oid only: this COPY's columns
    if _BYTES.oid in oids:
        # By its type psycopg takes bytea through the DB-API's `Binary` wrapper's dumper, a
        # Python call per value; the rows hold plain bytes, which its C dumper takes.
        adapters.register_dumper(None, _BYTES)


def copy_payload(rows: list[Any], oids: Sequence[int]) -> bytes:
    """The whole data of `COPY … FROM STDIN (FORMAT BINARY)` of `rows` (values in the order
    of the columns whose types are `oids`), made without a connection: what psycopg's
    `Copy.write_row` would send, signature and trailer included. No database work."""
    adapters = AdaptersMap(psycopg.adapters)
    _register_dumpers(adapters, oids)
    transformer = Transformer(adapters)
    transformer.set_dumper_types(oids, pq.Format.BINARY)
    formatter = BinaryFormatter(transformer)
    data = bytearray()
    for row in rows:
        data += formatter.write_row(row)
    data += formatter.end()
    return bytes(data)


def payload_write(model: type[Item | ItemProcessing], columns: Sequence[str], data: bytes) -> None:
    """COPY `copy_payload`'s bytes for `columns` of the model, inside the caller's transaction
    (PostgreSQL)."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    with (
        connection.cursor() as cursor,
        connection.wrap_database_errors,
        cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN (FORMAT BINARY)") as copy,
    ):
        copy.write(data)


def _copy_binary(
    cursor: Any, db_table: str, table: str, names: str, columns: Sequence[str], rows: list[Any]
) -> None:
    """COPY … (FORMAT BINARY): the values go as the server keeps them (no text to escape
    on this side and parse on that one, which for the raw bytes is twice their size)."""
    oids = _oids(cursor, db_table, columns)
    _register_dumpers(cursor.adapters, oids)  # this cursor's COPY only
    # COPY goes past Django's cursor wrapper: map its errors (a unique conflict is an
    # IntegrityError) as the wrapper would.
    with (
        connection.wrap_database_errors,
        cursor.copy(f"COPY {table} ({names}) FROM STDIN (FORMAT BINARY)") as copy,
    ):
        copy.set_types(oids)
        for row in rows:
            copy.write_row(row)
