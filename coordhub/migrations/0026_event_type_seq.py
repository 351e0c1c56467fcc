"""Observer cursors (``coordhub.connectors.observers``): an index on the event log by type, then
sequence number. A cursor reads the events of two or three types past it; without this index
every such read walked the log from the cursor and tested each event's type, so while no event
of those types came (a day of deliveries and no claim triaged) each read, ten a second on a
busy worker, scanned every event written since.

Built ``CONCURRENTLY`` on PostgreSQL as in 0008, so not atomic. No model state changes.
"""

from importlib import import_module

from tortoise import migrations

RunSQLOn = import_module("coordhub.migrations.0008_claim_text_search").RunSQLOn
INDEX = "event_type_seq"
COLUMNS = "(type, seq)"


class Migration(migrations.Migration):
    dependencies = [("models", "0025_delivery_due")]

    initial = False
    atomic = False

    operations = [
        RunSQLOn(
            "postgres",
            [f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {INDEX} ON event {COLUMNS}"],
            [f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}"],
            atomic=False,
        ),
        RunSQLOn(
            "sqlite",
            [f"CREATE INDEX IF NOT EXISTS {INDEX} ON event {COLUMNS}"],
            [f"DROP INDEX IF EXISTS {INDEX}"],
            atomic=False,
        ),
    ]
