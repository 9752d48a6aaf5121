"""SQLite refuses DELETE of deliveries, items and versions too (PostgreSQL already does).

Django's own flush of the whole database stays possible; see
`kanalvakt.audit.dbguard`.
"""

from django.db import migrations

from kanalvakt.audit.dbguard import sqlite_drop, sqlite_refuse

TABLES = ("inbox_delivery", "inbox_item", "inbox_itemversion")


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "sqlite":
        return
    for table in TABLES:
        for statement in sqlite_refuse(table, "DELETE"):
            schema_editor.execute(statement)


def backward(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "sqlite":
        return
    for table in TABLES:
        for statement in sqlite_drop(table, "DELETE"):
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("inbox", "0003_workflow"), ("audit", "0004_chain_triggers")]

    operations = [migrations.RunPython(forward, backward)]
