"""Claiming due deliveries (``coordhub.connectors.claims``): a partial index over the waiting
deliveries only (``PENDING`` and ``RETRYING``), in the order they are claimed (due time, then
id). A claim walks it from the oldest due and stops at its batch size, testing each row against
the ordering rule as it goes, so its cost does not grow with the backlog (with the index on
``(status, next_attempt_at)`` every due row was read and sorted first: 18 ms for 3,000 waiting).

Built ``CONCURRENTLY`` on PostgreSQL as in 0008, so not atomic. No model state changes.
"""

from importlib import import_module

from tortoise import migrations

RunSQLOn = import_module("coordhub.migrations.0008_claim_text_search").RunSQLOn
INDEX = "delivery_waiting_due"
COLUMNS = "(next_attempt_at, id) WHERE status IN ('PENDING', 'RETRYING')"


class Migration(migrations.Migration):
    dependencies = [("models", "0024_claim_similarity_gist_public")]

    initial = False
    atomic = False

    operations = [
        RunSQLOn(
            "postgres",
            [f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {INDEX} ON delivery {COLUMNS}"],
            [f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}"],
            atomic=False,
        ),
        RunSQLOn(
            "sqlite",
            [f"CREATE INDEX IF NOT EXISTS {INDEX} ON delivery {COLUMNS}"],
            [f"DROP INDEX IF EXISTS {INDEX}"],
            atomic=False,
        ),
    ]
