"""A public twin of the claim text index (see ``coordhub.workflow.search``): callers who may read
only public claims search an index of public claims only, so hidden text is neither read nor
timed by their searches.

PostgreSQL: a generated column ``public_search_text`` (``search_text`` of public claims, NULL for
the others; not a model field: only search reads it), so that its statistics, from which the
planner picks a plan, hold public text only, and a GIN trigram index on it, built
``CONCURRENTLY`` as in 0008. Adding a stored generated column rewrites the table once.
SQLite: an FTS5 trigram table ``claim_search_public`` holding the public claims, kept in step by
triggers on insert, delete and on a change of ``search_text`` or ``public``. Each statement is
idempotent, so a run cut short can run again. No model state changes here.
"""

from tortoise import migrations

from coordhub.migration_operations import RunSQLOn

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS claim_search_public USING fts5("
    "search_text, content='claim', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER IF NOT EXISTS claim_search_public_insert AFTER INSERT ON claim "
    "WHEN new.public BEGIN "
    "INSERT INTO claim_search_public(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS claim_search_public_delete AFTER DELETE ON claim "
    "WHEN old.public BEGIN "
    "INSERT INTO claim_search_public(claim_search_public, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    # Out with the old row if it was public, in with the new one if it is: one trigger, so the
    # two steps run in this order.
    "CREATE TRIGGER IF NOT EXISTS claim_search_public_update "
    "AFTER UPDATE OF search_text, public ON claim "
    "WHEN old.public IS NOT new.public OR (new.public AND old.search_text IS NOT new.search_text) "
    "BEGIN "
    "INSERT INTO claim_search_public(claim_search_public, rowid, search_text) "
    "SELECT 'delete', old.id, old.search_text WHERE old.public; "
    "INSERT INTO claim_search_public(rowid, search_text) "
    "SELECT new.id, new.search_text WHERE new.public; END",
    # Index the public claims already there (from empty, so a half-built table is repaired).
    "INSERT INTO claim_search_public(claim_search_public) VALUES ('delete-all')",
    "INSERT INTO claim_search_public(rowid, search_text) "
    "SELECT id, search_text FROM claim WHERE public",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS claim_search_public_update",
    "DROP TRIGGER IF EXISTS claim_search_public_delete",
    "DROP TRIGGER IF EXISTS claim_search_public_insert",
    "DROP TABLE IF EXISTS claim_search_public",
]


class Migration(migrations.Migration):
    dependencies = [("models", "0010_pending_event")]

    initial = False
    atomic = False

    operations = [
        RunSQLOn(
            "postgres",
            [
                "ALTER TABLE claim ADD COLUMN IF NOT EXISTS public_search_text text "
                "GENERATED ALWAYS AS (CASE WHEN public THEN search_text END) STORED",
                "DROP INDEX CONCURRENTLY IF EXISTS claim_search_public_trgm",
                "CREATE INDEX CONCURRENTLY claim_search_public_trgm "
                "ON claim USING gin (public_search_text gin_trgm_ops)",
            ],
            [
                "DROP INDEX CONCURRENTLY IF EXISTS claim_search_public_trgm",
                "ALTER TABLE claim DROP COLUMN IF EXISTS public_search_text",
            ],
            atomic=False,
        ),
        RunSQLOn("sqlite", SQLITE_FORWARD, SQLITE_BACKWARD, atomic=False),
    ]
