"""Observer cursors (``coordhub.connectors.observers``): an index on the event log by type, then
sequence number. A cursor reads the events of two or three types past it; without this index
every such read walked the log from the cursor and tested each event's type, so while no event
of those types came (a day of deliveries and no claim triaged) each read, ten a second on a
busy worker, scanned every event written since.

Built ``CONCURRENTLY`` on PostgreSQL as in 0008, so not atomic. No model state changes.
"""

from tortoise import migrations

from coordhub.migration_operations import index_without_blocking

INDEX = "event_type_seq"
COLUMNS = "(type, seq)"


class Migration(migrations.Migration):
    dependencies = [("models", "0025_delivery_due")]

    initial = False
    atomic = False

    operations = index_without_blocking(INDEX, "event", COLUMNS)
