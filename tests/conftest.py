"""Fixtures: a fresh migrated database per test (SQLite or PostgreSQL: see tests/databases.py),
the app over ASGI."""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from coordhub.app import create_app
from coordhub.settings import Settings
from tests.databases import MODE, MODES, VARIABLE, Databases, databases, kind_for
from tests.delivery import delivery_settings, outlets, worker  # noqa: F401  (shared fixtures)
from tests.live import live  # noqa: F401  (a shared fixture)
from tests.standards import ninjs_validators  # noqa: F401  (a shared fixture)
from tests.support import GraphQLClient, World, build_world, open_database

#: The suite makes thousands of requests from one address and token within a minute: its
#: budgets are wide, so that only the tests about limits (which set their own) meet one.
#: Set in the environment, so that servers the tests start in subprocesses have them too.
SUITE_BUDGETS = {
    "COORDHUB_RATE_LIMIT_TOKEN_REQUESTS": "1000000/minute",
    "COORDHUB_RATE_LIMIT_ADDRESS_REQUESTS": "1000000/minute",
    "COORDHUB_RATE_LIMIT_TOKEN_COST": "1000000000/minute",
    "COORDHUB_RATE_LIMIT_ADDRESS_COST": "1000000000/minute",
    "COORDHUB_RATE_LIMIT_AUTH_FAILURES": "100000/minute",
    "COORDHUB_RATE_LIMIT_PAGE_REQUESTS": "1000000/minute",
    # Tests of statement counts and visibility read whole pages with everything nested.
    "COORDHUB_MAX_QUERY_COST": "1000000000",
}


def pytest_configure(config: pytest.Config) -> None:
    for name, value in SUITE_BUDGETS.items():
        os.environ.setdefault(name, value)
    if MODE not in MODES:
        raise pytest.UsageError(f"{VARIABLE} must be sqlite or postgres, not {MODE!r}")


def pytest_report_header(config: pytest.Config) -> str:
    return f"{VARIABLE}={MODE or '(unset: SQLite, PostgreSQL for postgres_only tests)'}"


def uses_database(item: pytest.Item) -> bool:
    """Whether a test gets a database from ``databases`` (a fixture or, if marked, itself)."""
    fixtures = getattr(item, "fixturenames", ())
    return "database_factory" in fixtures or any(
        item.get_closest_marker(marker) for marker in ("database", "postgres_only")
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Each run leaves out what the other run covers (see tests/databases.py)."""
    if MODE == "sqlite":
        left_out = [item for item in items if item.get_closest_marker("postgres_only")]
    elif MODE == "postgres":
        left_out = [
            item
            for item in items
            if item.get_closest_marker("sqlite_only") or not uses_database(item)
        ]
    else:
        return
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        kept = set(map(id, items)) - set(map(id, left_out))
        items[:] = [item for item in items if id(item) in kept]


def pytest_sessionfinish(session: pytest.Session) -> None:
    databases.close()


@pytest.fixture(autouse=True)
def _root_logging_restored() -> Iterator[None]:
    """Commands run in-process (``coordhub worker`` through CliRunner, say) install a handler
    on the stream pytest captured for that test; later tests must not log into it once closed."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture(scope="session")
def database_factory() -> Databases:
    return databases


@pytest.fixture
def database_url(
    database_factory: Databases, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[str]:
    """A fresh database with every migration applied, dropped after the test."""
    with database_factory.fresh(kind_for(request.node), directory=tmp_path) as url:
        yield url


@pytest.fixture
def empty_database_url(
    database_factory: Databases, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[str]:
    """A fresh database without any migration applied, dropped after the test."""
    with database_factory.fresh(kind_for(request.node), migrated=False, directory=tmp_path) as url:
        yield url


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, max_page_size=100)


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
