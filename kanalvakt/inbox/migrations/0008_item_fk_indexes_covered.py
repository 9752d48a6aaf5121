"""Items lose the indexes of their own on `organisation` and `account` (issue 12).

(organisation, -received_at) and the unique (account, external_id) lead with
those columns, so every query and foreign-key check that used them still has
an index; an import of a million items no longer maintains two more per item.
The indexes are dropped by name rather than by AlterField, which on SQLite
would rebuild the table and lose its immutability triggers.
"""

import django.db.models.deletion
from django.db import migrations, models

INDEXES = {
    "inbox_item_account_id_5a2043ef": "account_id",
    "inbox_item_organisation_id_83937839": "organisation_id",
}


class Migration(migrations.Migration):
    dependencies = [
        ("inbox", "0007_platform_wordpress"),
        ("organisations", "0005_security_keys"),
        ("register", "0004_merge_20261129_2236"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="item",
                    name="account",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="items",
                        to="register.account",
                    ),
                ),
                migrations.AlterField(
                    model_name="item",
                    name="organisation",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="items",
                        to="organisations.organisation",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    sql=f'DROP INDEX IF EXISTS "{name}"',
                    reverse_sql=f'CREATE INDEX "{name}" ON "inbox_item" ("{column}")',
                )
                for name, column in INDEXES.items()
            ],
        ),
    ]
