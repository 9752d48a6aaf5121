"""PostgreSQL gets a search table like SQLite's FTS5 one (REC-5, issue 12).

`records_itemsearch` holds each item's organisation, account, time and a
`tsvector` in the item's language (see `kanalvakt.records.search`), under a GIN
index for rare words and an (organisation, item) index for the newest matches
of common ones. It replaces the expression indexes on `inbox_item`, and is
filled from the items already there. SQLite keeps its FTS5 table.
"""

from django.db import migrations

VECTOR = (
    "setweight(to_tsvector(CASE WHEN language_hint LIKE 'fi%%' THEN 'finnish' ELSE 'swedish' END"
    "::regconfig, text), 'A') || setweight(to_tsvector('simple', author_name || ' ' ||"
    " author_handle), 'B')"
)
PG_FORWARD = [
    "DROP INDEX IF EXISTS records_item_fts_sv",
    "DROP INDEX IF EXISTS records_item_fts_fi",
    "CREATE TABLE records_itemsearch (item_id bigint PRIMARY KEY, organisation_id bigint NOT NULL,"
    " account_id bigint NOT NULL, created_at timestamptz NOT NULL, vector tsvector NOT NULL)",
    "INSERT INTO records_itemsearch (item_id, organisation_id, account_id, created_at, vector)"
    f" SELECT id, organisation_id, account_id, created_at, {VECTOR} FROM inbox_item",
    "CREATE INDEX records_itemsearch_vector ON records_itemsearch USING gin (vector)",
    "CREATE INDEX records_itemsearch_newest ON records_itemsearch (organisation_id, item_id DESC)",
    "ANALYZE records_itemsearch",
]
PG_BACKWARD = [
    "DROP TABLE IF EXISTS records_itemsearch",
    "CREATE INDEX IF NOT EXISTS records_item_fts_sv ON inbox_item "
    "USING gin (to_tsvector('swedish', text))",
    "CREATE INDEX IF NOT EXISTS records_item_fts_fi ON inbox_item "
    "USING gin (to_tsvector('finnish', text))",
]


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        for statement in PG_FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        for statement in PG_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("records", "0004_checkpoints")]

    operations = [migrations.RunPython(forward, backward)]
