"""The search table carries the filters, so a common word with a rare filter stays fast (issue 12).

SQLite: the FTS5 table gets a third column, `tags` (organisation, account,
record state, day/month/year written; `kanalvakt.records.search_tags`),
prefix indexes for prefixes of 2 to 6 letters, and minus the item id as its
rowid (newest first is then FTS5's forward order, the one in which it skips
ahead). FTS5 cannot change any of that in a table, so a new table is filled
from the old one in batches of 5,000 rows (the text as it was indexed:
disposed items stay out) and takes its name.

PostgreSQL: `records_itemsearch` gets the record state, filled from
`records_registration` in batches of 50,000 items, and b-tree indexes that give
the newest rows first by organisation, by account and by record state (each
then by time written); the (organisation, item) index goes. The `tsvector`
column keeps 1,000 most common lexemes in its statistics (instead of 100) so
that the planner knows which words are common.
"""

import datetime

from django.db import migrations

from kanalvakt.records.search_tags import item_tags

BATCH = 5000
PG_BATCH = 50000

# prefix='2 3 4 5 6': a short prefix of a common word ("park*") is one list to read newest
# first, not thousands of words' lists merged in full before the first row (3 s at 1M).
SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE records_itemsearch_tagged USING fts5(body, author, tags,"
    " tokenize='unicode61 remove_diacritics 2', prefix='2 3 4 5 6')"
)
SQLITE_SELECT = (
    "SELECT s.rowid, s.body, s.author, i.organisation_id, i.account_id, i.created_at, r.status"
    " FROM records_itemsearch s JOIN inbox_item i ON i.id = s.rowid"
    " LEFT JOIN records_registration r ON r.item_id = s.rowid"
    " WHERE s.rowid > %s ORDER BY s.rowid LIMIT %s"
)
SQLITE_OLD = (
    "CREATE VIRTUAL TABLE records_itemsearch USING fts5(body, author,"
    " tokenize='unicode61 remove_diacritics 2')"
)

PG_INDEXES = [
    "CREATE INDEX records_itemsearch_org_newest ON records_itemsearch"
    " (organisation_id, created_at DESC, item_id DESC)",
    "CREATE INDEX records_itemsearch_account_newest ON records_itemsearch"
    " (organisation_id, account_id, created_at DESC, item_id DESC)",
    "CREATE INDEX records_itemsearch_state_newest ON records_itemsearch"
    " (organisation_id, status, created_at DESC, item_id DESC)",
    "DROP INDEX IF EXISTS records_itemsearch_newest",
    "ALTER TABLE records_itemsearch ALTER COLUMN vector SET STATISTICS 1000",
    "ANALYZE records_itemsearch",
]
PG_BACKWARD = [
    "DROP INDEX IF EXISTS records_itemsearch_org_newest",
    "DROP INDEX IF EXISTS records_itemsearch_account_newest",
    "DROP INDEX IF EXISTS records_itemsearch_state_newest",
    "ALTER TABLE records_itemsearch DROP COLUMN IF EXISTS status",
    "ALTER TABLE records_itemsearch ALTER COLUMN vector SET STATISTICS -1",
    "CREATE INDEX IF NOT EXISTS records_itemsearch_newest ON records_itemsearch"
    " (organisation_id, item_id DESC)",
]


def _moment(value: object) -> datetime.datetime:
    """SQLite gives the stored UTC text back as it is in a raw query."""
    if isinstance(value, datetime.datetime):
        moment = value
    else:
        moment = datetime.datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def _sqlite_forward(cursor) -> None:  # type: ignore[no-untyped-def]
    cursor.execute(SQLITE_CREATE)
    last = 0
    while True:
        cursor.execute(SQLITE_SELECT, [last, BATCH])
        rows = cursor.fetchall()
        if not rows:
            break
        cursor.executemany(
            "INSERT INTO records_itemsearch_tagged(rowid, body, author, tags)"
            " VALUES (%s, %s, %s, %s)",
            [
                (
                    -pk,
                    body,
                    author,
                    item_tags(
                        organisation_id=organisation_id,
                        account_id=account_id,
                        created_at=_moment(created_at),
                        status=status or "",
                    ),
                )
                for pk, body, author, organisation_id, account_id, created_at, status in rows
            ],
        )
        last = rows[-1][0]
    cursor.execute("DROP TABLE records_itemsearch")
    cursor.execute("ALTER TABLE records_itemsearch_tagged RENAME TO records_itemsearch")
    cursor.execute("INSERT INTO records_itemsearch(records_itemsearch) VALUES ('optimize')")


def _postgresql_forward(cursor) -> None:  # type: ignore[no-untyped-def]
    cursor.execute(
        "ALTER TABLE records_itemsearch ADD COLUMN status varchar(20) NOT NULL DEFAULT ''"
    )
    cursor.execute("SELECT COALESCE(MAX(item_id), 0) FROM records_itemsearch")
    highest = int(cursor.fetchone()[0])
    for low in range(0, highest + 1, PG_BATCH):
        cursor.execute(
            "UPDATE records_itemsearch s SET status = r.status FROM records_registration r"
            " WHERE r.item_id = s.item_id AND s.item_id >= %s AND s.item_id < %s",
            [low, low + PG_BATCH],
        )
    for statement in PG_INDEXES:
        cursor.execute(statement)


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        if vendor == "sqlite":
            _sqlite_forward(cursor)
        elif vendor == "postgresql":
            _postgresql_forward(cursor)


def backward(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        if vendor == "sqlite":
            cursor.execute(
                "CREATE TABLE records_itemsearch_plain AS SELECT -rowid AS id, body, author"
                " FROM records_itemsearch"
            )
            cursor.execute("DROP TABLE records_itemsearch")
            cursor.execute(SQLITE_OLD)
            cursor.execute(
                "INSERT INTO records_itemsearch(rowid, body, author)"
                " SELECT id, body, author FROM records_itemsearch_plain"
            )
            cursor.execute("DROP TABLE records_itemsearch_plain")
        elif vendor == "postgresql":
            for statement in PG_BACKWARD:
                cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("records", "0005_ranked_search")]

    operations = [migrations.RunPython(forward, backward)]
