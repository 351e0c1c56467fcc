"""Cross-process wake-ups: a PostgreSQL ``LISTEN`` per process feeding the local bus.

Writers call ``pg_notify('coordhub_events', seq)`` inside the transaction that appends an
event, so PostgreSQL delivers the notification at commit and only then. Each process keeps one
listening connection and turns every notification into a local wake-up; waiters then read the
log itself. When the listening connection is lost it reconnects with backoff and wakes everyone
once, so whatever was committed meanwhile is read from the log.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from coordhub.events.bus import bus
from coordhub.settings import Settings

log = logging.getLogger("coordhub.events")
CHANNEL = "coordhub_events"


def asyncpg_dsn(database_url: str) -> str:
    """The Tortoise URL without its query options (pool sizes and such)."""
    parts = urlsplit(database_url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


class PostgresListener:
    """Holds one LISTEN connection and reconnects it when it is lost."""

    def __init__(self, dsn: str, *, check_seconds: float = 5.0) -> None:
        self.dsn = dsn
        self.check_seconds = check_seconds
        self.connected = asyncio.Event()
        self.reconnects = 0
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run())
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(10):
                await self.connected.wait()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    def _on_notify(self, *_: object) -> None:
        bus().notify()

    async def _run(self) -> None:
        delay = 0.5
        while True:
            connection: asyncpg.Connection | None = None
            try:
                connection = await asyncpg.connect(self.dsn, timeout=10)
                await connection.add_listener(CHANNEL, self._on_notify)
                self.connected.set()
                delay = 0.5
                bus().notify()  # catch up on anything committed while not listening
                while True:  # a dead connection does not always say so: ask it
                    await asyncio.sleep(self.check_seconds)
                    async with asyncio.timeout(self.check_seconds):
                        await connection.execute("SELECT 1")
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self.connected.clear()
                self.reconnects += 1
                log.warning("event listener lost (%s); reconnecting in %.1fs", exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10.0)
            finally:
                if connection is not None:
                    with contextlib.suppress(Exception):
                        await connection.close(timeout=2)


@contextlib.asynccontextmanager
async def wakeups(settings: Settings) -> AsyncIterator[PostgresListener | None]:
    """Listen for other processes' commits while the block runs (PostgreSQL only)."""
    if not settings.database_url.startswith(("postgres://", "postgresql://", "asyncpg://")):
        yield None  # one process on SQLite: in-memory wake-ups suffice
        return
    listener = PostgresListener(asyncpg_dsn(settings.database_url))
    await listener.start()
    try:
        yield listener
    finally:
        await listener.stop()
