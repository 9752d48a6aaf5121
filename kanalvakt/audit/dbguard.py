"""Database triggers that refuse changing or deleting records, on SQLite and PostgreSQL.

The triggers stop a mistake or a bug, not a database administrator: whoever
owns the database can drop them. What stops the administrator is detection
(`verify_audit`, `verify_records`, the signed checkpoints).

SQLite has no TRUNCATE, so Django's `flush` (which the test runner uses
between transactional tests) deletes row by row and would trip a DELETE
trigger. The SQLite triggers therefore allow a delete while the SQL function
`kanalvakt_flushing()` returns 1, which only Django's own flush of the whole
database sets on its connection. In any other client the function does not
exist, so the trigger fails there as well.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper


def sqlite_refuse(table: str, operation: str, *, when: str = "") -> list[str]:
    """SQL for a SQLite trigger refusing `operation` (UPDATE or DELETE) on `table`."""
    name = f"{table}_no_{operation.lower()}"
    condition = f"WHEN {when} " if when else ""
    if operation == "DELETE":
        flushing = "NOT kanalvakt_flushing()"
        condition = f"WHEN ({when}) AND {flushing} " if when else f"WHEN {flushing} "
    return [
        f"DROP TRIGGER IF EXISTS {name}",
        f"CREATE TRIGGER {name} BEFORE {operation} ON {table} {condition}"
        f"BEGIN SELECT RAISE(ABORT, 'records in {table} are never changed or deleted'); END",
    ]


def sqlite_drop(table: str, operation: str) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {table}_no_{operation.lower()}"]


def pg_refuse(table: str, operations: str = "UPDATE OR DELETE", suffix: str = "guard") -> list[str]:
    """SQL for a PostgreSQL row trigger refusing `operations` on `table` (TRUNCATE stays)."""
    function = f"{table}_{suffix}"
    return [
        f"""
        CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
        BEGIN
            RAISE EXCEPTION 'records in {table} are never changed or deleted';
        END;
        $$ LANGUAGE plpgsql;
        """,
        f"DROP TRIGGER IF EXISTS {function} ON {table}",
        f"CREATE TRIGGER {function} BEFORE {operations} ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {function}()",
    ]


def pg_drop(table: str, suffix: str = "guard") -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_{suffix} ON {table}",
        f"DROP FUNCTION IF EXISTS {table}_{suffix}()",
    ]


def install_sqlite_flush_permit(
    sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any
) -> None:
    """On every new SQLite connection: the flag function, and a flush that sets it."""
    if connection.vendor != "sqlite":
        return
    state = {"flushing": 0}

    def set_flushing(value: int) -> int:
        state["flushing"] = 1 if value else 0
        return state["flushing"]

    raw = connection.connection
    raw.create_function("kanalvakt_flushing", 0, lambda: state["flushing"])
    raw.create_function("kanalvakt_set_flushing", 1, set_flushing)
    ops = connection.ops
    if getattr(ops, "_kanalvakt_flush_wrapped", False):
        return
    original = ops.sql_flush

    def sql_flush(style: Any, tables: Any, **options: Any) -> list[str]:
        statements: list[str] = original(style, tables, **options)
        if not statements:
            return statements
        return ["SELECT kanalvakt_set_flushing(1)", *statements, "SELECT kanalvakt_set_flushing(0)"]

    ops.sql_flush = sql_flush  # type: ignore[method-assign]
    ops._kanalvakt_flush_wrapped = True  # type: ignore[attr-defined]
