"""Delivery bodies: blanked by disposal once every item cut from them is disposed.

Like 0002 for items: the `inbox_delivery` UPDATE trigger now refuses unless a
row for that delivery is in `records_deliverydisposalpermit`, which only
`records.disposal` writes (and deletes) inside the disposal transaction.
"""

import django.db.models.deletion
from django.db import migrations, models

SQLITE_FORWARD = [
    "DROP TRIGGER IF EXISTS inbox_delivery_no_update",
    "CREATE TRIGGER inbox_delivery_no_update BEFORE UPDATE ON inbox_delivery "
    "WHEN NOT EXISTS (SELECT 1 FROM records_deliverydisposalpermit p "
    "WHERE p.delivery_id = OLD.id) "
    "BEGIN SELECT RAISE(ABORT, 'records in inbox_delivery are never changed'); END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS inbox_delivery_no_update",
    "CREATE TRIGGER inbox_delivery_no_update BEFORE UPDATE ON inbox_delivery "
    "BEGIN SELECT RAISE(ABORT, 'records in inbox_delivery are never changed'); END",
]
PG_FORWARD = [
    """
    CREATE OR REPLACE FUNCTION inbox_delivery_refuse() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND EXISTS (
            SELECT 1 FROM records_deliverydisposalpermit p WHERE p.delivery_id = OLD.id
        ) THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'records in inbox_delivery are never changed or deleted';
    END;
    $$ LANGUAGE plpgsql;
    """
]
PG_BACKWARD = [
    """
    CREATE OR REPLACE FUNCTION inbox_delivery_refuse() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'records in inbox_delivery are never changed or deleted';
    END;
    $$ LANGUAGE plpgsql;
    """
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
        ("inbox", "0002_records_are_immutable"),
        ("records", "0002_search_and_disposal"),
    ]

    operations = [
        migrations.CreateModel(
            name="DeliveryDisposalPermit",
            fields=[
                ("delivery_id", models.BigIntegerField(primary_key=True, serialize=False)),
            ],
        ),
        migrations.CreateModel(
            name="DeliveryDisposal",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("disposed_at", models.DateTimeField()),
                ("sha256", models.CharField(max_length=64)),
                (
                    "delivery",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="disposal",
                        to="inbox.delivery",
                    ),
                ),
                (
                    "run",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="deliveries",
                        to="records.disposalrun",
                    ),
                ),
            ],
            options={
                "abstract": False,
            },
        ),
        migrations.RunPython(forward, backward),
    ]
