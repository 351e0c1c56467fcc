"""Tortoise configuration and the database lifecycle shared by the app, the CLI and tests."""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

from tortoise import connections
from tortoise.backends.base.config_generator import expand_db_url
from tortoise.backends.sqlite.client import SqliteClient
from tortoise.context import TortoiseContext
from tortoise.migrations.executor import MigrationExecutor

from coordhub.settings import Settings
from coordhub.similarity import THRESHOLD

APP_LABEL = "models"


def connection_config(settings: Settings) -> str | dict[str, Any]:
    """The connection: on PostgreSQL with the pool, lifetime and statement timeout settings."""
    url = settings.database_url
    if not url.startswith(("postgres://", "postgresql://", "asyncpg://")):
        return url
    config = expand_db_url(url)
    credentials = config["credentials"]
    credentials.setdefault("minsize", settings.db_pool_min)
    credentials.setdefault("maxsize", settings.db_pool_max)
    credentials.setdefault(
        "max_inactive_connection_lifetime", settings.db_connection_lifetime_seconds
    )
    server_settings = credentials.setdefault("server_settings", {})
    server_settings.setdefault("statement_timeout", str(settings.db_statement_timeout_ms))
    server_settings.setdefault("application_name", "coordhub")
    # ``%`` then means "a possible duplicate" (workflow/duplicates.py); set at connection, it
    # holds before pg_trgm is loaded too.
    server_settings.setdefault("pg_trgm.similarity_threshold", str(THRESHOLD))
    return config


def placeholders(dialect: str, count: int) -> list[str]:
    """The parameter marks of a fixed statement text with ``count`` parameters, in order:
    ``$1`` to ``$n`` on PostgreSQL (asyncpg), ``?`` on SQLite."""
    if dialect == "postgres":
        return [f"${n}" for n in range(1, count + 1)]
    return ["?"] * count


def tortoise_config(database_url: str | Settings) -> dict[str, Any]:
    """The Tortoise config dict for a database URL or settings (also for the ``tortoise`` CLI)."""
    settings = database_url if isinstance(database_url, Settings) else None
    connection = connection_config(settings) if settings else database_url
    return {
        "connections": {"default": connection},
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
            config=tortoise_config(settings),
            _enable_global_fallback=global_fallback,
        )
        await _bound_sqlite_statements(ctx, settings)
        yield


async def _bound_sqlite_statements(ctx: TortoiseContext, settings: Settings) -> None:
    """SQLite's counterpart of PostgreSQL's ``statement_timeout``: a progress handler that
    interrupts any statement running longer than the statement timeout or the query deadline,
    whichever is shorter, so that a statement abandoned by a timed-out query does not hold the
    one connection. (aiosqlite runs the connection in its own thread: the handler is installed
    there; Tortoise opens the connection on first use, so it is opened here.)"""
    client = ctx.connections.get("default")
    if not isinstance(client, SqliteClient):
        return
    if settings.db_statement_timeout_ms <= 0:  # unbounded, as for migrations
        return
    seconds = min(settings.db_statement_timeout_ms / 1000, settings.operation_timeout_seconds)
    await client.create_connection(with_db=True)
    connection = client._connection
    if connection is None:
        return
    await connection._execute(_install_statement_timeout, connection._conn, seconds)


def _install_statement_timeout(connection: sqlite3.Connection, seconds: float) -> None:
    started = time.monotonic()

    def statement_started(statement: str) -> None:
        nonlocal started
        started = time.monotonic()

    def too_long() -> int:
        return 1 if time.monotonic() - started > seconds else 0

    connection.set_trace_callback(statement_started)
    connection.set_progress_handler(too_long, 20_000)


async def migrate(settings: Settings) -> None:
    """Apply every pending migration, without the API's statement timeout (building an index on
    a large table takes longer than any request may)."""
    from tortoise.migrations.api import migrate as migrate_api

    unbounded = settings.model_copy(update={"db_statement_timeout_ms": 0})
    async with TortoiseContext():
        await migrate_api(config=tortoise_config(unbounded))


async def pending_migrations(settings: Settings) -> list[str]:
    """Names of migrations the open database has not applied yet."""
    apps = {APP_LABEL: tortoise_config(settings)["apps"][APP_LABEL]}
    plan = await MigrationExecutor(connections.get("default"), apps).plan()
    return [step.migration.name for step in plan if not step.backward]


class SchemaMissing(RuntimeError):
    """The database was never migrated: servers and workers do not start on it."""


async def require_schema(settings: Settings) -> None:
    """Refuse to start on a database that ``coordhub migrate`` never ran on. (With only some
    migrations pending, a process starts and ``/readyz`` answers 503 until they are applied.)"""
    pending = await pending_migrations(settings)
    if any(name.startswith("0001_") for name in pending):
        raise SchemaMissing(
            "The database has no coordhub tables yet: run `coordhub migrate` with the same "
            "COORDHUB_DATABASE_URL, then start again."
        )


class StatementCounter(logging.Handler):
    """The SQL statements Tortoise sends, read off its ``tortoise.db_client`` debug log."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.statements: list[str] = []
        #: (statement, parameters) of each, where the log record carries them apart.
        self.sent: list[tuple[str, Any]] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.lstrip().split(" ", 1)[0].upper() in {"SELECT", "INSERT", "UPDATE", "DELETE"}:
            self.statements.append(message)
            args = record.args
            if isinstance(args, tuple) and len(args) == 2 and isinstance(args[0], str):
                self.sent.append((args[0], args[1]))
            else:
                self.sent.append((message, []))


@contextmanager
def count_statements() -> Iterator[StatementCounter]:
    """Count the statements sent in the block (tests and benchmarks watch statements per
    request, so that N+1 cannot come back unnoticed)."""
    logger = logging.getLogger("tortoise.db_client")
    counter = StatementCounter()
    previous = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(counter)
    try:
        yield counter
    finally:
        logger.removeHandler(counter)
        logger.setLevel(previous)
