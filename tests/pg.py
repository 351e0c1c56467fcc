"""A throwaway PostgreSQL database per test, or a clear skip (a failure under CI=true)."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
import pytest

PG_SERVER = os.environ.get("COORDHUB_TEST_POSTGRES", "postgres://root@127.0.0.1:5432/postgres")


@asynccontextmanager
async def temporary_database() -> AsyncIterator[str]:
    """Create a database, yield its URL, drop it afterwards."""
    try:
        admin = await asyncpg.connect(PG_SERVER, timeout=5)
    except (OSError, asyncpg.PostgresError) as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required under CI=true but unreachable: {exc}")
        pytest.skip(f"no PostgreSQL at {PG_SERVER} ({exc}); set COORDHUB_TEST_POSTGRES")
    name = f"coordhub_test_{uuid.uuid4().hex[:12]}"
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        base = PG_SERVER.rsplit("/", 1)[0]
        yield f"{base}/{name}"
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@asynccontextmanager
async def migrated_postgres() -> AsyncIterator[str]:
    """A temporary database with every migration applied; yields its URL."""
    from coordhub.db import migrate
    from coordhub.settings import Settings

    async with temporary_database() as url:
        await migrate(Settings(database_url=url))
        yield url
