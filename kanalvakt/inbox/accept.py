"""The webhook's one write: a delivery's exact bytes, its reading-queue row and its task row.

This is the only database work before a platform gets its 200, so it is
written as plain SQL prepared once per process (issue 12.1): on this path
building model instances and preparing every field through the ORM cost more
than the rows. What is written is what `DeliveryIngest` and django-tasks-db's
`DatabaseBackend.enqueue` would write; the columns are checked against the
models when the statements are prepared, so a changed model fails loudly
instead of writing a wrong row.

- PostgreSQL: **one statement** (a data-modifying `WITH`): the delivery is
  inserted unless the same bytes are already stored (`ON CONFLICT DO
  NOTHING`), and the ingest row and the task row are inserted from what that
  insert returned. One statement is one transaction, so the three rows are
  stored together or not at all, committed (durably, with the server's
  `synchronous_commit`) before the 200; one round trip instead of six.
- SQLite: the same three INSERTs in one `BEGIN IMMEDIATE` transaction.
"""

from __future__ import annotations

import datetime
import hashlib
import threading
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connection, models
from django.tasks import Task

from kanalvakt.inbox.models import Delivery, DeliveryIngest, PlatformCredentials

DELIVERY_COLUMNS = (
    "organisation_id",
    "platform",
    "source",
    "received_at",
    "body",
    "sha256",
    "content_type",
    "headers",
)
UNIQUE_DELIVERY = ("organisation_id", "platform", "sha256")
"""The columns of `delivery_unique_body`: the same bytes for the same organisation and
platform are one delivery."""


@dataclass(frozen=True)
class Prepared:
    """The statements for one database vendor and one task backend, and their fixed values."""

    delivery_sql: str
    ingest_sql: str
    ingest_values: tuple[Any, ...]
    """The ingest row's fixed values, without its delivery id (which comes first)."""
    task_sql: str
    task_values: tuple[Any, ...]
    task_slots: tuple[int, int, int]
    """Where the row id, the enqueue time and the arguments go in `task_values`."""
    combined_sql: str
    """PostgreSQL: all three in one statement (delivery values, then the task's)."""
    guarded_sql: str
    """The same, written only if the webhook's credentials are still as the caller read them
    (the guard's values first); answers (credentials found, new delivery id or NULL)."""


_PREPARED: dict[tuple[Any, ...], Prepared] = {}
_LOCK = threading.Lock()


def _insertable(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [
        field
        for field in model._meta.concrete_fields
        if not (field.primary_key and isinstance(field, models.AutoField | models.BigAutoField))
    ]


def _quoted(names: list[str] | tuple[str, ...]) -> str:
    return ", ".join(connection.ops.quote_name(name) for name in names)


def _cast(field: models.Field[Any, Any]) -> str:
    return f"CAST(%s AS {field.cast_db_type(connection)})"


def prepared(task: Task[Any, Any]) -> Prepared:
    """The statements for this database and `task`'s backend, built on first use."""
    backend = task.get_backend()
    key = (connection.vendor, backend.alias, task.module_path, task.queue_name, task.priority)
    found = _PREPARED.get(key)
    if found is None:
        with _LOCK:
            found = _PREPARED.setdefault(key, _prepare(task))
    return found


def _prepare(task: Task[Any, Any]) -> Prepared:
    from django_tasks_db.models import DBTaskResult, get_date_max

    columns = [str(field.column) for field in _insertable(Delivery)]
    if sorted(columns) != sorted(DELIVERY_COLUMNS):
        raise RuntimeError(f"Delivery's columns changed ({columns}): update inbox/accept.py")
    ops = connection.ops
    table = ops.quote_name(Delivery._meta.db_table)
    marks = ", ".join(["%s"] * len(DELIVERY_COLUMNS))
    delivery_sql = (
        f"INSERT INTO {table} ({_quoted(DELIVERY_COLUMNS)}) VALUES ({marks}) "  # noqa: S608
        f"ON CONFLICT ({_quoted(UNIQUE_DELIVERY)}) DO NOTHING RETURNING id"
    )

    ingest_fields = _insertable(DeliveryIngest)
    ingest_row = DeliveryIngest(delivery_id=0)
    ingest_columns = [str(field.column) for field in ingest_fields]
    if ingest_columns[0] != "delivery_id":
        raise RuntimeError(f"DeliveryIngest's columns changed ({ingest_columns})")
    ingest_values = tuple(
        field.get_db_prep_save(field.pre_save(ingest_row, True), connection)
        for field in ingest_fields
        if field.column != "delivery_id"
    )
    ingest_table = ops.quote_name(DeliveryIngest._meta.db_table)
    ingest_sql = (
        f"INSERT INTO {ingest_table} ({_quoted(ingest_columns)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(ingest_columns))})"
    )

    backend = task.get_backend()
    task_row: DBTaskResult[Any, Any] = DBTaskResult(
        id=_new_task_id(task),
        args_kwargs={"args": [0], "kwargs": {}},
        priority=task.priority,
        task_path=task.module_path,
        queue_name=task.queue_name,
        run_after=task.run_after or get_date_max(),
        backend_name=backend.alias,
    )
    task_fields = list(DBTaskResult._meta.concrete_fields)
    task_columns = [str(field.column) for field in task_fields]
    task_values = tuple(
        field.get_db_prep_save(field.pre_save(task_row, True), connection) for field in task_fields
    )
    slots = (
        task_columns.index("id"),
        task_columns.index("enqueued_at"),
        task_columns.index("args_kwargs"),
    )
    task_table = ops.quote_name(DBTaskResult._meta.db_table)
    task_sql = (
        f"INSERT INTO {task_table} ({_quoted(task_columns)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(task_columns))})"
    )

    # PostgreSQL: the ingest row and the task row take the new delivery's id from the
    # delivery INSERT's RETURNING; nothing is inserted when the delivery was a repeat.
    # Each value is cast to its column's type: in a SELECT list PostgreSQL cannot infer it.
    ingest_select = ", ".join(
        "d.id" if field.column == "delivery_id" else _cast(field) for field in ingest_fields
    )
    task_select = ", ".join(
        "jsonb_build_object('args', jsonb_build_array(d.id), 'kwargs', '{}'::jsonb)"
        if field.column == "args_kwargs"
        else _cast(field)
        for field in task_fields
    )
    combined_sql = (
        f"WITH d AS ({delivery_sql}), "  # noqa: S608 - names from the models
        f"i AS (INSERT INTO {ingest_table} ({_quoted(ingest_columns)}) "
        f"SELECT {ingest_select} FROM d), "
        f"t AS (INSERT INTO {task_table} ({_quoted(task_columns)}) SELECT {task_select} FROM d) "
        "SELECT id FROM d"
    )
    credentials_table = ops.quote_name(PlatformCredentials._meta.db_table)
    delivery_fields = {str(field.column): field for field in _insertable(Delivery)}
    delivery_select = ", ".join(_cast(delivery_fields[column]) for column in DELIVERY_COLUMNS)
    guarded_sql = (
        f"WITH c AS (SELECT 1 FROM {credentials_table} WHERE id = %s AND organisation_id = %s "  # noqa: S608
        "AND platform = %s AND webhook_key = %s AND app_secret = %s), "
        f"d AS (INSERT INTO {table} ({_quoted(DELIVERY_COLUMNS)}) SELECT {delivery_select} "
        f"FROM c ON CONFLICT ({_quoted(UNIQUE_DELIVERY)}) DO NOTHING RETURNING id), "
        f"i AS (INSERT INTO {ingest_table} ({_quoted(ingest_columns)}) "
        f"SELECT {ingest_select} FROM d), "
        f"t AS (INSERT INTO {task_table} ({_quoted(task_columns)}) SELECT {task_select} FROM d) "
        "SELECT (SELECT count(*) FROM c), (SELECT id FROM d)"
    )
    return Prepared(
        guarded_sql=guarded_sql,
        delivery_sql=delivery_sql,
        ingest_sql=ingest_sql,
        ingest_values=ingest_values,
        task_sql=task_sql,
        task_values=task_values,
        task_slots=slots,
        combined_sql=combined_sql,
    )


def _new_task_id(task: Task[Any, Any]) -> Any:
    from django_tasks_db.backend import DatabaseBackend

    backend = task.get_backend()
    if isinstance(backend, DatabaseBackend):
        return backend._get_id()
    return uuid.uuid4()  # statements prepared for another backend are never run


def delivery_values(
    *,
    organisation_id: int,
    platform: str,
    source: str,
    received_at: datetime.datetime,
    body: bytes,
    content_type: str,
    headers: Mapping[str, str],
) -> list[Any]:
    """The delivery row's values in `DELIVERY_COLUMNS` order, ready for the database."""
    headers_field = Delivery._meta.get_field("headers")
    return [
        organisation_id,
        platform,
        source,
        connection.ops.adapt_datetimefield_value(received_at),
        body,
        hashlib.sha256(body).hexdigest(),
        content_type[:100],
        headers_field.get_db_prep_save(dict(headers), connection),
    ]


def task_values(
    statements: Prepared, task: Task[Any, Any], now: datetime.datetime, delivery_id: int
) -> list[Any]:
    """The task row's values: a new id, the enqueue time and `[delivery_id]` as arguments."""
    from django_tasks_db.models import DBTaskResult

    meta = DBTaskResult._meta
    values = list(statements.task_values)
    id_slot, enqueued_slot, args_slot = statements.task_slots
    values[id_slot] = meta.pk.get_db_prep_save(_new_task_id(task), connection)
    values[enqueued_slot] = connection.ops.adapt_datetimefield_value(now)
    values[args_slot] = meta.get_field("args_kwargs").get_db_prep_save(
        {"args": [delivery_id], "kwargs": {}}, connection
    )
    return values


class CredentialsChanged(Exception):
    """The webhook's credentials are no longer as the caller read them: nothing was written."""


Guard = tuple[int, int, str, str, str]
"""The credentials a delivery was verified with: id, organisation, platform, webhook key and
app secret."""


def insert_all(
    statements: Prepared,
    task: Task[Any, Any],
    delivery: list[Any],
    now: datetime.datetime,
    guard: Guard | None = None,
) -> int | None:
    """Write the three rows; the new delivery's id, or None when the bytes were stored before.

    On SQLite the caller holds the transaction; on PostgreSQL this is one
    statement, which with `guard` writes only if the credentials row is still
    the one the delivery was verified with (CredentialsChanged otherwise), so
    the webhook can verify with credentials it read before and still never
    store a delivery under credentials since changed or removed.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            values = task_values(statements, task, now, 0)
            _id_slot, _enqueued, args_slot = statements.task_slots
            del values[args_slot]  # built from the delivery's id inside the statement
            rest = [*delivery, *statements.ingest_values, *values]
            if guard is None:
                cursor.execute(statements.combined_sql, rest)
                row = cursor.fetchone()
                return None if row is None else int(row[0])
            cursor.execute(statements.guarded_sql, [*guard, *rest])
            found, delivery_id = cursor.fetchone()
            if not found:
                raise CredentialsChanged
            return None if delivery_id is None else int(delivery_id)
        if guard is not None:
            guard_check(cursor, guard)
        cursor.execute(statements.delivery_sql, delivery)
        row = cursor.fetchone()
        if row is None:
            return None
        delivery_id = int(row[0])
        cursor.execute(statements.ingest_sql, [delivery_id, *statements.ingest_values])
        cursor.execute(statements.task_sql, task_values(statements, task, now, delivery_id))
        return delivery_id


def guard_check(cursor: Any, guard: Guard) -> None:
    """CredentialsChanged unless the credentials are still as in `guard` (a query of its own,
    in the caller's transaction: where the guard is not part of the INSERT)."""
    table = connection.ops.quote_name(PlatformCredentials._meta.db_table)
    cursor.execute(
        f"SELECT 1 FROM {table} WHERE id = %s AND organisation_id = %s "  # noqa: S608
        "AND platform = %s AND webhook_key = %s AND app_secret = %s",
        list(guard),
    )
    if cursor.fetchone() is None:
        raise CredentialsChanged
