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
