"""PostgreSQL for tests: throwaway databases on the server named by ``COORDHUB_TEST_POSTGRES``.

A missing server skips the tests that need it with the reason, except under ``CI=true``, where
it fails them. Databases are created and dropped through one admin connection pool that runs on
an event loop of its own (a daemon thread), so that synchronous fixtures and every test's event
loop can use it, and so that a finished test's database is dropped while the next test runs.
"""

from __future__ import annotations

import asyncio
import os
import threading
import uuid
from collections.abc import AsyncIterator, Coroutine
from concurrent.futures import Future
from contextlib import asynccontextmanager
from typing import Any, NoReturn, TypeVar

import asyncpg
import pytest

PG_SERVER = os.environ.get("COORDHUB_TEST_POSTGRES", "postgres://root@127.0.0.1:5432/postgres")
PREFIX = "coordhub_test_"

T = TypeVar("T")


def unavailable(exc: BaseException) -> NoReturn:
    """Skip the test for want of PostgreSQL, or fail it under ``CI=true``."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"PostgreSQL is required under CI=true but unreachable: {exc}")
    pytest.skip(f"no PostgreSQL at {PG_SERVER} ({exc}); set COORDHUB_TEST_POSTGRES")


def database_url(name: str) -> str:
    return f"{PG_SERVER.rsplit('/', 1)[0]}/{name}"


class PostgresServer:
    """Creates and drops databases on the test server (thread-safe, usable from any loop)."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(
            target=self.loop.run_forever, name="coordhub-test-postgres", daemon=True
        )
        self.thread.start()
        self.pool: asyncpg.Pool | None = None
        self.template: str | None = None
        self.lock = threading.Lock()  # over ``template`` and ``spare``
        self.dropping: list[Future[None]] = []
        self.spare: Future[str] | None = None  # the next test's database, made in advance
        try:
            self.call(self._connect())
        except BaseException:
            self.loop.call_soon_threadsafe(self.loop.stop)
            raise

    def call(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Run ``coroutine`` on the server's loop and wait for its result."""
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result()

    async def _connect(self) -> None:
        self.pool = await asyncpg.create_pool(PG_SERVER, min_size=1, max_size=3, timeout=5)

    async def _execute(self, sql: str) -> None:
        assert self.pool is not None
        await self.pool.execute(sql)

    async def _create(self, template: str | None) -> str:
        name = f"{PREFIX}{uuid.uuid4().hex[:12]}"
        copy = f' TEMPLATE "{template}"' if template else ""
        await self._execute(f'CREATE DATABASE "{name}"{copy}')
        return database_url(name)

    def create(self, *, migrated: bool = True) -> str:
        """A new database (a copy of the migrated template, or empty); returns its URL.

        A migrated one was made while the previous test ran, and the next one is started."""
        if not migrated:
            return self.call(self._create(None))
        with self.lock:
            template = self._migrated_template()
            spare, self.spare = self.spare, None
            self.spare = asyncio.run_coroutine_threadsafe(self._create(template), self.loop)
        return spare.result() if spare is not None else self.call(self._create(template))

    def drop(self, url: str) -> None:
        """Drop the database at ``url`` in the background (closing its leftover connections)."""
        name = url.rsplit("/", 1)[1]
        assert name.startswith(PREFIX), name
        sql = f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
        self.dropping.append(asyncio.run_coroutine_threadsafe(self._execute(sql), self.loop))

    def _migrated_template(self) -> str:
        """A database with every migration applied, made once per process and never opened
        again, so that ``CREATE DATABASE ... TEMPLATE`` may copy it (under ``lock``)."""
        if self.template is None:
            from coordhub.db import migrate
            from coordhub.settings import Settings

            url = self.call(self._create(None))
            try:
                self.call(migrate(Settings(database_url=url)))
            except BaseException:
                self.drop(url)
                raise
            self.template = url.rsplit("/", 1)[1]
        return self.template

    def close(self) -> None:
        """Finish the drops, drop the template, stop the thread."""
        if self.spare is not None:
            self.drop(self.spare.result())
            self.spare = None
        for future in self.dropping:
            future.result()
        if self.template is not None:
            self.drop(database_url(self.template))
            self.dropping[-1].result()
        if self.pool is not None:
            self.call(self.pool.close())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


_server: PostgresServer | None = None
_failure: BaseException | None = None
_lock = threading.Lock()


def server() -> PostgresServer:
    """The test server, connected on first use; skips (or fails under CI) if unreachable."""
    global _server, _failure
    with _lock:
        if _server is None and _failure is None:
            try:
                _server = PostgresServer()
            except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                _failure = exc
        if _server is None:
            assert _failure is not None
            unavailable(_failure)
        return _server


def shutdown() -> None:
    """Drop what is left (at the end of the session)."""
    global _server
    with _lock:
        if _server is not None:
            _server.close()
            _server = None


@asynccontextmanager
async def temporary_database() -> AsyncIterator[str]:
    """Create an empty database, yield its URL, drop it afterwards."""
    pg = server()
    url = await asyncio.to_thread(pg.create, migrated=False)
    try:
        yield url
    finally:
        pg.drop(url)


@asynccontextmanager
async def migrated_postgres() -> AsyncIterator[str]:
    """A temporary database with every migration applied (a copy of the template); its URL."""
    pg = server()
    url = await asyncio.to_thread(pg.create)
    try:
        yield url
    finally:
        pg.drop(url)
