"""Operations the migrations share, beside Tortoise's own."""

from __future__ import annotations

from typing import Any

from tortoise.migrations import operations as ops
from tortoise.migrations.schema_editor.base import BaseSchemaEditor
from tortoise.migrations.schema_generator.state import State


class AlterFieldState(ops.AlterField):
    """An AlterField in the migration state only: nothing is sent to the database.

    For a change the column does not see, such as a new member of a ``CharEnumField`` (a varchar
    holding the member's name): a real AlterField would make SQLite rebuild the table, dropping
    its triggers and copying every row to change nothing.
    """

    async def database_forward(self, *args: Any, **kwargs: Any) -> None:
        return None

    async def database_backward(self, *args: Any, **kwargs: Any) -> None:
        return None


class AddColumnInPlace(ops.AddField):
    """AddField of a nullable column with an index, added and dropped in place
    (``ALTER TABLE ... ADD COLUMN`` / ``DROP COLUMN``): for either, Tortoise would make SQLite
    rebuild the table, dropping its triggers (the claim table's text search, say) and copying
    every row. ``types`` gives the column's SQL type per dialect; ``column`` its name, if not
    the field's (``cluster_id`` of a foreign key ``cluster``)."""

    def __init__(
        self, *, table: str, types: dict[str, str], column: str | None = None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.table = table
        self.types = types
        self.column = column or self.name

    @property
    def index(self) -> str:
        return f"idx_{self.table}_{self.column}"

    async def database_forward(
        self, app_label: Any, old_state: Any, new_state: Any, state_editor: Any = None
    ) -> None:
        if state_editor is None:
            return
        client = state_editor.client
        column_type = self.types[client.capabilities.dialect]
        await client.execute_script(
            f'ALTER TABLE "{self.table}" ADD COLUMN "{self.column}" {column_type} NULL'
        )
        await client.execute_script(
            f'CREATE INDEX IF NOT EXISTS "{self.index}" ON "{self.table}" ("{self.column}")'
        )

    async def database_backward(
        self, app_label: Any, old_state: Any, new_state: Any, state_editor: Any = None
    ) -> None:
        if state_editor is None:
            return
        client = state_editor.client
        await client.execute_script(f'DROP INDEX IF EXISTS "{self.index}"')
        await client.execute_script(f'ALTER TABLE "{self.table}" DROP COLUMN "{self.column}"')


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


def index_without_blocking(name: str, table: str, columns: str) -> list[ops.Operation]:
    """An index built ``CONCURRENTLY`` on PostgreSQL (writes go on meanwhile; the migration
    must then be ``atomic = False``) and plainly on SQLite. ``columns`` is what follows the
    table: ``(a, b)``, with a ``WHERE`` for a partial index. No model state changes."""
    return [
        RunSQLOn(
            "postgres",
            [f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {table} {columns}"],
            [f"DROP INDEX CONCURRENTLY IF EXISTS {name}"],
            atomic=False,
        ),
        RunSQLOn(
            "sqlite",
            [f"CREATE INDEX IF NOT EXISTS {name} ON {table} {columns}"],
            [f"DROP INDEX IF EXISTS {name}"],
            atomic=False,
        ),
    ]
