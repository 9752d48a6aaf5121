"""Search indexes, and the one door through which disposal may blank an item.

Search: SQLite gets the FTS5 table `records_itemsearch`; PostgreSQL gets GIN
expression indexes with the `swedish` and `finnish` configurations.

Disposal (REC-4): the inbox triggers refuse every UPDATE of an item or item
version. They are replaced by triggers that refuse it unless a row for that
item is in `records_disposalpermit` — a row only `records.disposal` inserts,
and deletes again, inside the disposal transaction. DELETE stays refused.
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE records_itemsearch USING fts5("
    "body, author, tokenize = 'unicode61 remove_diacritics 2')",
    "DROP TRIGGER IF EXISTS inbox_item_no_update",
    "CREATE TRIGGER inbox_item_no_update BEFORE UPDATE ON inbox_item "
    "WHEN NOT EXISTS (SELECT 1 FROM records_disposalpermit p WHERE p.item_id = OLD.id) "
    "BEGIN SELECT RAISE(ABORT, 'records in inbox_item are never changed'); END",
    "DROP TRIGGER IF EXISTS inbox_itemversion_no_update",
    "CREATE TRIGGER inbox_itemversion_no_update BEFORE UPDATE ON inbox_itemversion "
    "WHEN NOT EXISTS (SELECT 1 FROM records_disposalpermit p WHERE p.item_id = OLD.item_id) "
    "BEGIN SELECT RAISE(ABORT, 'records in inbox_itemversion are never changed'); END",
]
SQLITE_BACKWARD = [
    "DROP TABLE IF EXISTS records_itemsearch",
    "DROP TRIGGER IF EXISTS inbox_item_no_update",
    "CREATE TRIGGER inbox_item_no_update BEFORE UPDATE ON inbox_item "
    "BEGIN SELECT RAISE(ABORT, 'records in inbox_item are never changed'); END",
    "DROP TRIGGER IF EXISTS inbox_itemversion_no_update",
    "CREATE TRIGGER inbox_itemversion_no_update BEFORE UPDATE ON inbox_itemversion "
    "BEGIN SELECT RAISE(ABORT, 'records in inbox_itemversion are never changed'); END",
]


def _pg_refuse(table: str, key: str) -> str:
    # Fixed table names from this module, no input.
    return f"""
    CREATE OR REPLACE FUNCTION {table}_refuse() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND EXISTS (
            SELECT 1 FROM records_disposalpermit p WHERE p.item_id = OLD.{key}
        ) THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'records in {table} are never changed or deleted';
    END;
    $$ LANGUAGE plpgsql;
    """  # noqa: S608


def _pg_refuse_always(table: str) -> str:
    return f"""
    CREATE OR REPLACE FUNCTION {table}_refuse() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'records in {table} are never changed or deleted';
    END;
    $$ LANGUAGE plpgsql;
    """


PG_FORWARD = [
    "CREATE INDEX IF NOT EXISTS records_item_fts_sv ON inbox_item "
    "USING gin (to_tsvector('swedish', text))",
    "CREATE INDEX IF NOT EXISTS records_item_fts_fi ON inbox_item "
    "USING gin (to_tsvector('finnish', text))",
    _pg_refuse("inbox_item", "id"),
    _pg_refuse("inbox_itemversion", "item_id"),
]
PG_BACKWARD = [
    "DROP INDEX IF EXISTS records_item_fts_sv",
    "DROP INDEX IF EXISTS records_item_fts_fi",
    _pg_refuse_always("inbox_item"),
    _pg_refuse_always("inbox_itemversion"),
]


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    for statement in {"sqlite": SQLITE_FORWARD, "postgresql": PG_FORWARD}.get(vendor, []):
        schema_editor.execute(statement)


def backward(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    for statement in {"sqlite": SQLITE_BACKWARD, "postgresql": PG_BACKWARD}.get(vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0001_initial"),
        ("inbox", "0002_records_are_immutable"),
    ]

    operations = [migrations.RunPython(forward, backward)]
