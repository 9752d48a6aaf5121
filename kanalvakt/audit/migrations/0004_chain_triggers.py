"""The audit log refuses UPDATE and DELETE in the database, not only in the model.

The chain head may only move forward, onto an event that exists with that
hash. See `kanalvakt.audit.dbguard` for why SQLite allows Django's flush.
"""

from django.db import migrations

from kanalvakt.audit.dbguard import pg_drop, pg_refuse, sqlite_drop, sqlite_refuse

EVENTS = "audit_auditevent"
HEAD = "audit_auditchainhead"
HEAD_MOVES_FORWARD = (
    "NEW.sequence <= OLD.sequence OR NOT EXISTS "
    f"(SELECT 1 FROM {EVENTS} e WHERE e.sequence = NEW.sequence AND e.hash = NEW.hash)"
)
PG_HEAD = f"""
CREATE OR REPLACE FUNCTION {HEAD}_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NOT ({HEAD_MOVES_FORWARD}) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the audit chain head only moves forward onto a stored event';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS {HEAD}_guard ON {HEAD};
CREATE TRIGGER {HEAD}_guard BEFORE UPDATE OR DELETE ON {HEAD}
    FOR EACH ROW EXECUTE FUNCTION {HEAD}_guard();
"""


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = [
            *sqlite_refuse(EVENTS, "UPDATE"),
            *sqlite_refuse(EVENTS, "DELETE"),
            *sqlite_refuse(HEAD, "UPDATE", when=HEAD_MOVES_FORWARD),
            *sqlite_refuse(HEAD, "DELETE"),
        ]
    elif vendor == "postgresql":
        statements = [*pg_refuse(EVENTS), PG_HEAD]
    else:
        statements = []
    for statement in statements:
        schema_editor.execute(statement)


def backward(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = [
            *sqlite_drop(EVENTS, "UPDATE"),
            *sqlite_drop(EVENTS, "DELETE"),
            *sqlite_drop(HEAD, "UPDATE"),
            *sqlite_drop(HEAD, "DELETE"),
        ]
    elif vendor == "postgresql":
        statements = [*pg_drop(EVENTS), *pg_drop(HEAD)]
    else:
        statements = []
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_event_type_open_vocabulary")]

    operations = [migrations.RunPython(forward, backward)]
