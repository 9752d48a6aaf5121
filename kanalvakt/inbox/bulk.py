"""Writing many received rows at once: `COPY` on PostgreSQL, `executemany` on SQLite.

Rows are written inside the caller's transaction, so a batch is stored whole
or not at all. The database's own unique constraints still hold; a row that
breaks one fails the whole batch, and the caller falls back to the per-item
path. Model `save()` is not called: these are received records, written once.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connection, models
from django.db.models import F, Lookup, signals
from django.db.models.base import ModelState
from django.tasks import Task


def _columns(model: type[models.Model], *, with_pk: bool = False) -> list[models.Field[Any, Any]]:
    return [
        field
        for field in model._meta.concrete_fields
        if with_pk
        or not (field.primary_key and isinstance(field, models.AutoField | models.BigAutoField))
    ]


def _row(instance: models.Model, fields: Sequence[models.Field[Any, Any]]) -> list[Any]:
    return [field.get_db_prep_save(field.pre_save(instance, True), connection) for field in fields]


def _rows(instances: Sequence[models.Model], fields: Sequence[models.Field[Any, Any]]) -> list[Any]:
    """What `_row` gives for each instance, column by column: a column whose values are
    all plain strings, numbers, flags or aware times (or None) goes in as it is, as
    the field's own preparation would return them; any other value takes the
    field's way. Preparing every value through its field cost more than writing
    the rows (issue 12)."""
    columns = [_column(field, instances) for field in fields]
    return [list(row) for row in zip(*columns, strict=True)]


_PLAIN: dict[type, tuple[type, ...]] = {
    models.CharField: (str,),
    models.TextField: (str,),
    models.BooleanField: (bool,),
    models.IntegerField: (int,),
    models.BigIntegerField: (int,),
    models.PositiveIntegerField: (int,),
    models.PositiveSmallIntegerField: (int,),
    models.SmallIntegerField: (int,),
    models.AutoField: (int,),
    models.BigAutoField: (int,),
}


def _column(field: models.Field[Any, Any], instances: Sequence[models.Model]) -> list[Any]:
    """One column's prepared values."""
    target = field.target_field if isinstance(field, models.ForeignKey) else field
    attname = field.attname
    try:  # the stored values, past the descriptors (a foreign key's id has one)
        values = [instance.__dict__[attname] for instance in instances]
    except KeyError:  # a deferred field
        values = [getattr(instance, attname) for instance in instances]
    if type(target) is models.DateTimeField and not (target.auto_now or target.auto_now_add):
        if all(
            value is None or (type(value) is datetime.datetime and value.utcoffset() is not None)
            for value in values
        ):
            # A batch's rows share a few times (when it was written): each adapted once.
            adapt = connection.ops.adapt_datetimefield_value
            adapted = {value: adapt(value) for value in set(values)}
            return [adapted[value] for value in values]
    elif type(target) in {models.CharField, models.TextField}:
        # CharField keeps any str (a TextChoices member too), as `to_python` does.
        if all(value is None or isinstance(value, str) for value in values):
            return values
    elif kinds := _PLAIN.get(type(target)):
        if all(value is None or type(value) in kinds for value in values):
            return values
    prepared = (field.get_db_prep_save(field.pre_save(i, True), connection) for i in instances)
    return [_copy_value(value) for value in prepared]


def rows_insert(instances: Sequence[models.Model]) -> None:
    """INSERT the instances (all of one model) in one go, without reading ids back."""
    if instances:
        _insert(instances, _columns(type(instances[0])))


def _insert(instances: Sequence[models.Model], fields: Sequence[models.Field[Any, Any]]) -> None:
    model = type(instances[0])
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(str(field.column)) for field in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _copy(cursor, table, names, instances, fields)
            return
        marks = ", ".join(["%s"] * len(fields))
        cursor.executemany(
            f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608 - names from the model
            _rows(instances, fields),
        )


def values_insert(
    model: type[models.Model], attnames: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """INSERT plain value rows (in `attnames` order), without making model instances.

    The fast path for large batches: building a model instance and preparing
    each field through the ORM costs more than writing the row.
    """
    fields = [_field(model, name) for name in attnames]
    adapters = [_adapter(field) for field in fields]
    values = [[adapt(value) for adapt, value in zip(adapters, row, strict=True)] for row in rows]
    if not values:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(str(field.column)) for field in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(fields))
        cursor.executemany(
            f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608 - names from the model
            values,
        )


def _field(model: type[models.Model], attname: str) -> models.Field[Any, Any]:
    for field in model._meta.concrete_fields:
        if field.attname == attname:
            return field
    raise LookupError(f"{model.__name__} has no column {attname}")


def _adapter(field: models.Field[Any, Any]) -> Callable[[Any], Any]:
    """How a Python value goes into the database, per column, decided once per batch."""
    if isinstance(field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value
    if isinstance(field, models.JSONField):
        return json.dumps
    if isinstance(field, models.BinaryField):
        return bytes
    return _same


def _same(value: Any) -> Any:
    return value


def row_insert(instance: models.Model, *, unless_exists: Sequence[str] = ()) -> int | None:
    """INSERT one row and return its id, without the ORM's query compiler (the webhook's
    hot path: compiling a query costs more than running it).

    With `unless_exists` (the columns of a unique constraint), a row that would
    repeat one already stored is not inserted and None is returned: one
    statement instead of a look-up followed by the insert.
    """
    model = type(instance)
    fields = _columns(model)
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(str(field.column)) for field in fields)
    marks = ", ".join(["%s"] * len(fields))
    pk = connection.ops.quote_name(str(model._meta.pk.column)) if model._meta.pk else "id"
    conflict = ""
    if unless_exists:
        columns = ", ".join(connection.ops.quote_name(column) for column in unless_exists)
        conflict = f" ON CONFLICT ({columns}) DO NOTHING"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({names}) VALUES ({marks}){conflict} RETURNING {pk}",  # noqa: S608
            _row(instance, fields),
        )
        row = cursor.fetchone()
    if row is None:
        return None
    instance.pk = row[0]
    instance._state.adding = False
    return int(row[0])


def _copy(
    cursor: Any,
    table: str,
    names: str,
    instances: Sequence[models.Model],
    fields: Sequence[models.Field[Any, Any]],
) -> None:
    """PostgreSQL's COPY through psycopg: one round trip for the whole batch."""
    raw = cursor.cursor  # the psycopg cursor under Django's wrapper
    with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for row in _rows(instances, fields):
            copy.write_row(row)


def _copy_value(value: Any) -> Any:
    """COPY takes bytes where the ORM prepares a memoryview (BinaryField)."""
    return bytes(value) if isinstance(value, memoryview) else value


def task_row_insert(task: Task[Any, Any], args: list[Any]) -> bool:
    """Queue `task(*args)` on the database task backend with one plain INSERT of the row
    `DatabaseBackend.enqueue` would write (the webhook's hot path: the ORM's `create`
    and the `task_enqueued` signal cost more than the row). False, having done
    nothing, when the task runs on another backend: then the caller enqueues.
    """
    return task_rows_insert(task, [args])


def task_rows_insert(task: Task[Any, Any], calls: list[list[Any]]) -> bool:
    """`task_row_insert` of `task(*args)` for each `args` in `calls`, in one statement."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult, get_date_max

    backend = task.get_backend()
    if not isinstance(backend, DatabaseBackend):
        return False
    rows: list[DBTaskResult[Any, Any]] = [
        DBTaskResult(
            id=backend._get_id(),
            args_kwargs={"args": args, "kwargs": {}},
            priority=task.priority,
            task_path=task.module_path,
            queue_name=task.queue_name,
            run_after=task.run_after or get_date_max(),
            backend_name=backend.alias,
        )
        for args in calls
    ]
    rows_insert(rows)
    return True


def rows_insert_by_item(instances: Sequence[models.Model]) -> None:
    """INSERT rows that are one per item (an item's entry, screening, registration) in one
    go and give each instance its id: Django's `bulk_create` compiles every value and
    costs more than the rows (issue 12). On PostgreSQL the ids are taken from the
    table's sequence first and written with the rows (COPY cannot return them); on
    SQLite, inside a transaction (which holds the write lock), they follow the
    table's highest id, and outside one they are read back by item."""
    if not instances:
        return
    model = type(instances[0])
    ids_first = connection.vendor == "postgresql" or connection.in_atomic_block
    if ids_first and model._meta.pk is not None:
        for instance, pk in zip(instances, _next_ids(model, len(instances)), strict=True):
            instance.pk = pk
        _insert(instances, _columns(model, with_pk=True))
        for instance in instances:
            instance._state.adding, instance._state.db = False, connection.alias
        return
    rows_insert(instances)
    by_item = {getattr(instance, "item_id"): instance for instance in instances}  # noqa: B009
    found = model._default_manager.filter(AnyOf(F("item_id"), list(by_item)))
    for item_id, pk in found.values_list("item_id", "pk"):
        by_item[item_id].pk = pk
        by_item[item_id]._state.adding, by_item[item_id]._state.db = False, connection.alias


def _next_ids(model: type[models.Model], count: int) -> list[int]:
    table = model._meta.db_table
    column = str(model._meta.pk.column) if model._meta.pk else "id"
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # The transaction holds SQLite's one write lock (BEGIN IMMEDIATE): nobody else
            # inserts until it commits, so the ids after the highest ever given are free.
            quoted = connection.ops.quote_name(table)
            cursor.execute(
                f"SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "  # noqa: S608
                f"COALESCE((SELECT MAX({connection.ops.quote_name(column)}) FROM {quoted}), 0))",
                [table],
            )
            start = int(cursor.fetchone()[0]) + 1
            return list(range(start, start + count))
    return sequence_ids(model, count)


_SEQUENCES: dict[str, str] = {}


def sequence_name(model: type[models.Model]) -> str:
    """The PostgreSQL sequence of the model's ids (looked up once: the lookup run for each
    of a batch's 2,000 `nextval`s cost the server a tenth of an import's time)."""
    table = model._meta.db_table
    if table not in _SEQUENCES:
        column = str(model._meta.pk.column) if model._meta.pk else "id"
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
            (_SEQUENCES[table],) = cursor.fetchone()
    return _SEQUENCES[table]


def sequence_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` ids from the model's sequence, ascending (PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(%s::regclass) FROM generate_series(1, %s)",
            [sequence_name(model), count],
        )
        return sorted(int(row[0]) for row in cursor.fetchall())


class AnyOf(Lookup[Any]):
    """`filter(AnyOf(F("item_id"), ids))`: `item_id = ANY(%s)` with the ids as one array
    on PostgreSQL, `item_id IN (…)` elsewhere. A batch's hundreds of ids through
    `__in` cost more than the query: Django prepares each, and psycopg's
    client-side binding parses a statement with a placeholder each (issue 12)."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = [int(value) for value in self.rhs]
        if connection.vendor == "postgresql":
            # The array as its text: psycopg adapts a list element by element.
            array = "{" + ",".join(map(str, values)) + "}"
            return f"{lhs} = ANY(%s::bigint[])", (*lhs_params, array)
        if not values:
            return "1 = 0", ()
        marks = ", ".join(["%s"] * len(values))
        return f"{lhs} IN ({marks})", (*lhs_params, *values)


def unsaved[M: models.Model](model: type[M]) -> Callable[..., M]:
    """A maker of unsaved instances for rows written in bulk: `make(item=item, state=…)`
    gives what `model(item=item, state=…)` gives. Django's keyword path checks every
    related object through the router and sets each field through its descriptor,
    and costs as much as the rest of a row's work (issue 12): the instance's
    attributes are set directly (as `Model.from_db` does for a row read back),
    unless something listens for the model's init signals. Related objects are
    cached on the instance (and on the other side of a one-to-one), as the
    keyword path does."""
    fields = list(model._meta.concrete_fields)
    attnames = {field.attname for field in fields}
    relations = {field.name: field for field in fields if isinstance(field, models.ForeignKey)}
    direct = not (signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model))

    missing_for: dict[frozenset[str], list[models.Field[Any, Any]]] = {}

    def make(**values: Any) -> M:
        related = {name: values.pop(name) for name in relations.keys() & values.keys()}
        for name, value in related.items():
            target = relations[name].target_field.attname
            values[relations[name].attname] = getattr(value, target) if value is not None else None
        given = frozenset(values)
        missing = missing_for.get(given)
        if missing is None:  # once per set of fields given: a batch's rows give the same
            if not given <= attnames:
                raise TypeError(f"{model.__name__} has no field {sorted(given - attnames)[0]}")
            missing = missing_for[given] = [f for f in fields if f.attname not in given]
        for field in missing:
            values[field.attname] = field.get_default()
        if direct:
            instance = model.__new__(model)
            instance._state = ModelState()
            instance.__dict__.update(values)
        else:
            instance = model(*[values[field.attname] for field in fields])
        for name, value in related.items():
            relation = relations[name]
            relation.set_cached_value(instance, value)
            if value is not None and isinstance(relation, models.OneToOneField):
                relation.remote_field.set_cached_value(value, instance)
        return instance

    return make
