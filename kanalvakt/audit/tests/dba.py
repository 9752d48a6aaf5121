"""What a database administrator can do that the application cannot: raw SQL past the triggers.

Tests and `bench/robustness/tamper.py` use this to tamper the way an
administrator would, so that detection is what is tested, not the triggers.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection
from django.db.models import Model


@contextmanager
def triggers_off(*tables: str) -> Iterator[None]:
    """Drop (SQLite) or disable (PostgreSQL) every trigger on the tables, then restore them."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # ALTER TABLE waits for no deferred checks: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for table in tables:
                cursor.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER USER')
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                for table in tables:
                    cursor.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER USER')
        return
    with connection.cursor() as cursor:
        saved = []
        for table in tables:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [table],
            )
            saved += cursor.fetchall()
        for name, _sql in saved:
            cursor.execute(f'DROP TRIGGER "{name}"')
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for _name, sql in saved:
                cursor.execute(sql)


def sql(statement: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """Run one statement as the administrator would; returns rows for a SELECT."""
    with connection.cursor() as cursor:
        cursor.execute(statement, list(params))
        return list(cursor.fetchall()) if cursor.description else []


def _dependents(
    model: type[Model], pks: list[Any], found: list[tuple[type[Model], list[Any]]]
) -> None:
    for relation in model._meta.related_objects:
        related = relation.related_model
        if not isinstance(related, type) or relation.many_to_many:
            continue
        field = relation.field.attname
        rows = list(
            related._base_manager.filter(**{f"{field}__in": pks}).values_list("pk", flat=True)
        )
        if rows:
            _dependents(related, rows, found)
    found.append((model, pks))


def delete_with_dependents(model: type[Model], pks: list[Any]) -> None:
    """DELETE the rows and every row that points at them, children first, triggers off."""
    found: list[tuple[type[Model], list[Any]]] = []
    _dependents(model, pks, found)
    with triggers_off(*{m._meta.db_table for m, _ in found}):
        for dependent, rows in found:
            dependent._base_manager.filter(pk__in=rows)._raw_delete(using=connection.alias)
