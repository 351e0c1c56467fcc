"""Indexed substring search on ``claim.search_text`` (see ``coordhub.workflow.search``).

PostgreSQL: the ``pg_trgm`` extension and a GIN trigram index, which serves
``search_text LIKE '%needle%'``. The index is built ``CONCURRENTLY``, so that claims can still
be reported while it builds on a large table, and without the API's statement timeout; that
cannot run inside a transaction, so this migration is not atomic. A build that fails leaves an
invalid index of the same name, which the next run drops before building again.

SQLite cannot index a leading-wildcard ``LIKE``: an FTS5 table with the trigram tokenizer,
``claim_search``, indexes the same text (external content: it stores only the index), kept in
step with ``claim`` by triggers, and narrows the candidates of needles of three or more
characters. Each statement is idempotent, so a run cut short can simply run again. (Not one
transaction: Tortoise cannot run a transaction inside a non-atomic migration on SQLite.)

Other databases: nothing (search stays a scan). No model state changes here.
"""

from tortoise import migrations

from coordhub.migration_operations import RunSQLOn

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS claim_search USING fts5("
    "search_text, content='claim', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER IF NOT EXISTS claim_search_insert AFTER INSERT ON claim BEGIN "
    "INSERT INTO claim_search(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS claim_search_delete AFTER DELETE ON claim BEGIN "
    "INSERT INTO claim_search(claim_search, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS claim_search_update AFTER UPDATE OF search_text ON claim "
    "WHEN old.search_text IS NOT new.search_text BEGIN "
    "INSERT INTO claim_search(claim_search, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO claim_search(rowid, search_text) VALUES (new.id, new.search_text); END",
    # Index the claims already there (and repair a table left half-built).
    "INSERT INTO claim_search(claim_search) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS claim_search_update",
    "DROP TRIGGER IF EXISTS claim_search_delete",
    "DROP TRIGGER IF EXISTS claim_search_insert",
    "DROP TABLE IF EXISTS claim_search",
]


class Migration(migrations.Migration):
    dependencies = [("models", "0007_institution_added_event")]

    initial = False
    atomic = False

    operations = [
        RunSQLOn(
            "postgres",
            "CREATE EXTENSION IF NOT EXISTS pg_trgm",
            # Kept on the way back: other objects may use it by then.
            RunSQLOn.noop,
            atomic=False,
        ),
        RunSQLOn(
            "postgres",
            [
                "DROP INDEX CONCURRENTLY IF EXISTS claim_search_trgm",
                "CREATE INDEX CONCURRENTLY claim_search_trgm "
                "ON claim USING gin (search_text gin_trgm_ops)",
            ],
            "DROP INDEX CONCURRENTLY IF EXISTS claim_search_trgm",
            atomic=False,
        ),
        RunSQLOn("sqlite", SQLITE_FORWARD, SQLITE_BACKWARD, atomic=False),
    ]
