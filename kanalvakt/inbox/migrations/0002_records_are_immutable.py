"""Database triggers that keep received records as they were received (REC-1).

UPDATE of a delivery, an item or an item version is refused on both
databases. DELETE is refused on PostgreSQL by a trigger; on SQLite the
model layer refuses it (a trigger there would also block the test runner's
table flush, which deletes rows one by one).
"""

from django.db import migrations

TABLES = ("inbox_delivery", "inbox_item", "inbox_itemversion")


def create_triggers(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "sqlite":
            schema_editor.execute(
                f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'records in {table} are never changed'); END;"
            )
        elif vendor == "postgresql":
            schema_editor.execute(
                f"""
                CREATE OR REPLACE FUNCTION {table}_refuse() RETURNS trigger AS $$
                BEGIN
                    RAISE EXCEPTION 'records in {table} are never changed or deleted';
                END;
                $$ LANGUAGE plpgsql;
                CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table}
                    FOR EACH ROW EXECUTE FUNCTION {table}_refuse();
                """
            )


def drop_triggers(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update;")
        elif vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_change ON {table};")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {table}_refuse();")


class Migration(migrations.Migration):
    dependencies = [("inbox", "0001_initial")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
