"""Fixtures: a migrated SQLite database per test (copied from a template), the app over ASGI."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from coordhub.app import create_app
from coordhub.db import migrate
from coordhub.settings import Settings
from tests.delivery import delivery_settings, outlets, worker  # noqa: F401  (shared fixtures)
from tests.live import live  # noqa: F401  (a shared fixture)
from tests.standards import ninjs_validators  # noqa: F401  (a shared fixture)
from tests.support import GraphQLClient, World, build_world, open_database


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with every migration applied, made once per test session."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    asyncio.run(migrate(Settings(database_url=f"sqlite://{path}")))
    return path


@pytest.fixture
def settings(template_db: Path, tmp_path: Path) -> Settings:
    path = tmp_path / "coordhub.db"
    shutil.copyfile(template_db, path)
    return Settings(database_url=f"sqlite://{path}", max_page_size=100)


@pytest.fixture
async def db(settings: Settings) -> AsyncIterator[None]:
    async with open_database(settings):
        yield


@pytest.fixture
async def world(db: None) -> World:
    return await build_world()


@pytest.fixture
async def http(settings: Settings, db: None) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings, manage_database=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://coordhub.test") as client:
        yield client


@pytest.fixture
async def gql(http: httpx.AsyncClient, world: World) -> GraphQLClient:
    return GraphQLClient(http, world)
