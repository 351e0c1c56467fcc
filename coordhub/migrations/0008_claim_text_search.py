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

from typing import Any

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.migrations.schema_editor.base import BaseSchemaEditor
from tortoise.migrations.schema_generator.state import State


class RunSQLOn(ops.RunSQL):
    """``RunSQL`` on one dialect only (``postgres``, ``sqlite``); a no-op on the others."""

    def __init__(self, dialect: str, sql: Any, reverse_sql: Any, *, atomic: bool) -> None:
        super().__init__(sql, reverse_sql, atomic=atomic)
        self.dialect = dialect

    def describe(self) -> str:
        return f"Run SQL on {self.dialect}"

    def applies(self, state_editor: BaseSchemaEditor | None) -> bool:
        return state_editor is not None and (
            state_editor.client.capabilities.dialect == self.dialect
        )

    async def database_forward(
        self,
        app_label: str,
        old_state: State,
        new_state: State,
        state_editor: BaseSchemaEditor | None = None,
    ) -> None:
        if self.applies(state_editor):
            await super().database_forward(app_label, old_state, new_state, state_editor)

    async def database_backward(
        self,
        app_label: str,
        old_state: State,
        new_state: State,
        state_editor: BaseSchemaEditor | None = None,
    ) -> None:
        if self.applies(state_editor):
            await super().database_backward(app_label, old_state, new_state, state_editor)

    async def _run_sql(self, state_editor: BaseSchemaEditor, sqls: Any) -> None:
        statements = [sql for sql in ([sqls] if isinstance(sqls, str) else sqls) if sql]
        if state_editor.collect_sql:
            state_editor.collected_sql.extend(statements)
        elif self.dialect == "sqlite":
            # Tortoise's SQLite editor splits SQL at every ";", which cuts a trigger body
            # apart: one statement per string here, each sent whole.
            for sql in statements:
                await state_editor.client.execute_query(sql)
        else:
            # One connection, without the API's statement timeout: building an index on a
            # large table takes longer (a million claims: two minutes on a busy test machine).
            async with state_editor.client.acquire_connection() as connection:
                await connection.execute("SET statement_timeout = 0")
                try:
                    for sql in statements:
                        await connection.execute(sql)
                finally:
                    await connection.execute("RESET statement_timeout")


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
