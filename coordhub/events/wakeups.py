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
from collections.abc import AsyncIterator, Callable
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import redis.asyncio as redis

from coordhub.events.bus import add_relay, bus
from coordhub.settings import Settings

log = logging.getLogger("coordhub.events")
CHANNEL = "coordhub_events"
#: How the listening connection shows in ``pg_stat_activity``.
APPLICATION_NAME = "coordhub-listener"


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
                connection = await asyncpg.connect(
                    self.dsn, timeout=10, server_settings={"application_name": APPLICATION_NAME}
                )
                lost = asyncio.Event()
                # The server closing the connection (a restart, a terminated backend) says so
                # at once; a vanished host or network does not: the periodic query finds that.
                connection.add_termination_listener(lambda _, lost=lost: lost.set())
                await connection.add_listener(CHANNEL, self._on_notify)
                self.connected.set()
                delay = 0.5
                bus().notify()  # catch up on anything committed while not listening
                while True:
                    with contextlib.suppress(TimeoutError):
                        async with asyncio.timeout(self.check_seconds):
                            await lost.wait()
                    if lost.is_set() or connection.is_closed():
                        raise ConnectionError("the listening connection was closed")
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


class RedisRelay:
    """Wake-ups through Redis pub/sub: publishes after each local commit, listens for others'.

    Unlike NOTIFY, a publish happens after the commit rather than with it; a lost message is
    covered by the pollers, and a lost connection reconnects and wakes everyone once.
    """

    def __init__(self, url: str, *, channel: str = CHANNEL) -> None:
        self.url = url
        self.channel = channel
        self.connected = asyncio.Event()
        self.reconnects = 0
        self._client: redis.Redis = redis.from_url(url)
        self._task: asyncio.Task[None] | None = None
        self._pending: set[asyncio.Task[object]] = set()
        self._stop_relaying: Callable[[], None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._listen())
        self._stop_relaying = add_relay(self._publish)
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(10):
                await self.connected.wait()

    async def stop(self) -> None:
        if self._stop_relaying is not None:
            self._stop_relaying()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await asyncio.gather(*self._pending, return_exceptions=True)
        await self._client.aclose()

    def _publish(self) -> None:
        task = asyncio.get_running_loop().create_task(self._client.publish(self.channel, "1"))
        self._pending.add(task)
        task.add_done_callback(self._published)

    def _published(self, task: asyncio.Task[object]) -> None:
        self._pending.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.warning("could not relay a wake-up to Redis: %s", task.exception())

    async def _listen(self) -> None:
        delay = 0.5
        while True:
            try:
                async with self._client.pubsub() as pubsub:
                    await pubsub.subscribe(self.channel)
                    self.connected.set()
                    delay = 0.5
                    bus().notify()  # catch up on anything committed while not listening
                    async for message in pubsub.listen():
                        if message.get("type") == "message":
                            bus().notify()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self.connected.clear()
                self.reconnects += 1
                log.warning("Redis listener lost (%s); reconnecting in %.1fs", exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10.0)


@contextlib.asynccontextmanager
async def wakeups(settings: Settings) -> AsyncIterator[PostgresListener | RedisRelay | None]:
    """Hear other processes' commits while the block runs: through Redis when
    ``COORDHUB_BROKER_URL`` names it, else through PostgreSQL; SQLite needs neither."""
    listener: PostgresListener | RedisRelay
    if settings.broker_url and settings.broker_url.startswith(("redis://", "rediss://")):
        listener = RedisRelay(settings.broker_url)
    elif settings.database_url.startswith(("postgres://", "postgresql://", "asyncpg://")):
        listener = PostgresListener(asyncpg_dsn(settings.database_url))
    else:
        yield None  # one process on SQLite: in-memory wake-ups suffice
        return
    await listener.start()
    try:
        yield listener
    finally:
        await listener.stop()
