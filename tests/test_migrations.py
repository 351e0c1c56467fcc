"""The committed migrations match the models, and apply cleanly."""

from __future__ import annotations

from pathlib import Path

import pytest
from tortoise.context import TortoiseContext
from tortoise.migrations.autodetector import MigrationAutodetector

from coordhub.db import tortoise_config


async def test_models_have_no_changes_without_a_migration(tmp_path: Path) -> None:
    config = tortoise_config(f"sqlite://{tmp_path / 'x.db'}")
    async with TortoiseContext() as ctx:
        await ctx.init(config=config)
        assert ctx.apps is not None
        writers = await MigrationAutodetector(ctx.apps, config["apps"]).changes()
    pending = [operation for writer in writers for operation in writer.operations]
    assert pending == [], (
        "Models changed without a migration: run "
        "`.venv/bin/tortoise -c coordhub.db.TORTOISE_ORM makemigrations` and commit it."
    )


async def roll_back_and_forward(url: str) -> None:
    """Migrate ``url`` back to before 0008 (indexed search), then forward again."""
    from tortoise.migrations.api.migrate import migrate as migrate_api

    for target in ("models.0007_institution_added_event", None):
        async with TortoiseContext():
            await migrate_api(config=tortoise_config(url), target=target)


async def test_text_search_migration_reverses_and_reapplies_on_sqlite(tmp_path: Path) -> None:
    from coordhub.db import migrate
    from coordhub.settings import Settings

    url = f"sqlite://{tmp_path / 'x.db'}"
    await migrate(Settings(database_url=url))
    await roll_back_and_forward(url)
    async with TortoiseContext() as ctx:
        await ctx.init(config=tortoise_config(url))
        rows = await ctx.connections.get("default").execute_query_dict(
            "SELECT name FROM sqlite_master WHERE name LIKE 'claim_search%' ORDER BY name"
        )
    assert {row["name"] for row in rows} >= {
        "claim_search",
        "claim_search_insert",
        "claim_search_update",
        "claim_search_delete",
    }


@pytest.mark.postgres_only
async def test_text_search_migration_reverses_and_reapplies_on_postgres() -> None:
    from tests.pg import migrated_postgres

    async with migrated_postgres() as url:
        await roll_back_and_forward(url)
        async with TortoiseContext() as ctx:
            await ctx.init(config=tortoise_config(url))
            rows = await ctx.connections.get("default").execute_query_dict(
                "SELECT indisvalid FROM pg_index WHERE indexrelid = 'claim_search_trgm'::regclass"
            )
    assert rows == [{"indisvalid": True}]


@pytest.mark.postgres_only
async def test_migrate_is_not_bound_by_the_api_statement_timeout() -> None:
    """A migration may take longer than any request: `coordhub migrate` lifts the timeout."""
    from coordhub.db import migrate
    from coordhub.settings import Settings
    from tests.pg import temporary_database

    async with temporary_database() as url:
        settings = Settings(database_url=url, db_statement_timeout_ms=1)
        await migrate(settings)  # with a 1 ms timeout in force, building the indexes fails
