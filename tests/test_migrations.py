"""The committed migrations match the models, and apply cleanly."""

from __future__ import annotations

from pathlib import Path

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
