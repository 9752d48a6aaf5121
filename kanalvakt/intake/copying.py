"""Writing an import's rows in one statement each: binary `COPY` on PostgreSQL,
`executemany` on SQLite (ids from a table's sequence: `inbox.bulk.sequence_ids`).

The values go as the database keeps them (`bulkstore`'s rows are prepared for
it). COPY goes past Django's cursor wrapper, so its errors are mapped as the
wrapper would (a unique conflict is an IntegrityError).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson
import psycopg
from django.db import connection
from psycopg import postgres, pq
from psycopg.adapt import Dumper, PyFormat

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


def _copy_binary(
    cursor: Any, db_table: str, table: str, names: str, columns: Sequence[str], rows: list[Any]
) -> None:
    """COPY … (FORMAT BINARY): the values go as the server keeps them (no text to escape
    on this side and parse on that one, which for the raw bytes is twice their size)."""
    key = (db_table, tuple(columns))
    if key not in _COLUMN_TYPES:
        cursor.execute(
            "SELECT attname, atttypid::int FROM pg_attribute WHERE attrelid = %s::regclass",
            [db_table],
        )
        by_name = dict(cursor.fetchall())
        _COLUMN_TYPES[key] = [by_name[column] for column in columns]
    oids = _COLUMN_TYPES[key]
    if _JsonbText.oid in oids:
        cursor.adapters.register_dumper(None, _JsonbText)  # this cursor's COPY only
    if _BYTES.oid in oids:
        # By its type psycopg takes bytea through the DB-API's `Binary` wrapper's dumper, a
        # Python call per value; the rows hold plain bytes, which its C dumper takes.
        cursor.adapters.register_dumper(None, _BYTES)
    # COPY goes past Django's cursor wrapper: map its errors (a unique conflict is an
    # IntegrityError) as the wrapper would.
    with (
        connection.wrap_database_errors,
        cursor.copy(f"COPY {table} ({names}) FROM STDIN (FORMAT BINARY)") as copy,
    ):
        copy.set_types(oids)
        for row in rows:
            copy.write_row(row)
