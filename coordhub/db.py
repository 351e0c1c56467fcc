"""Tortoise configuration and the database lifecycle shared by the app, the CLI and tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from tortoise.context import TortoiseContext

from coordhub.settings import Settings

APP_LABEL = "models"


def tortoise_config(database_url: str) -> dict[str, Any]:
    """The Tortoise config dict for a database URL (also used by the ``tortoise`` CLI)."""
    return {
        "connections": {"default": database_url},
        "apps": {
            APP_LABEL: {
                "models": ["coordhub.models"],
                "default_connection": "default",
                "migrations": "coordhub.migrations",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


#: For ``tortoise -c coordhub.db.TORTOISE_ORM makemigrations`` during development.
TORTOISE_ORM = tortoise_config(Settings().database_url)


@asynccontextmanager
async def database(settings: Settings, *, global_fallback: bool = True) -> AsyncIterator[None]:
    """Open the ORM for the lifetime of the block.

    ``global_fallback`` makes the context visible to tasks that did not inherit it, as the
    requests uvicorn serves do not inherit the lifespan task's context.
    """
    ctx = TortoiseContext()
    async with ctx:
        await ctx.init(
            config=tortoise_config(settings.database_url),
            _enable_global_fallback=global_fallback,
        )
        yield


async def migrate(settings: Settings) -> None:
    """Apply every pending migration."""
    from tortoise.migrations.api import migrate as migrate_api

    async with TortoiseContext():
        await migrate_api(config=tortoise_config(settings.database_url))
