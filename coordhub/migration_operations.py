"""Operations the migrations share, beside Tortoise's own."""

from __future__ import annotations

from typing import Any

from tortoise.migrations import operations as ops


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
