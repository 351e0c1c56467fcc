"""Cross-process wake-ups through PostgreSQL LISTEN/NOTIFY, and across real server processes."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import httpx
import pytest
import redis.asyncio as redis

from coordhub.events.bus import announce, bus
from coordhub.events.wakeups import PostgresListener, RedisRelay, asyncpg_dsn
from coordhub.settings import Settings
from tests.flows import publish
from tests.live import Subscriber, free_port, spawn_server, wait_until_up
from tests.support import GraphQLClient, build_world, open_database


@pytest.fixture
def pg_url(database_url: str) -> str:
    """conftest's database: PostgreSQL in every run for tests marked ``postgres_only``."""
    assert database_url.startswith("postgres"), "mark the test postgres_only"
    return database_url


async def woken(seen: int, seconds: float = 5.0) -> bool:
    return await bus().wait(seconds, seen)


@pytest.mark.postgres_only
async def test_a_notification_wakes_the_process_only_when_the_writer_commits(
    pg_url: str,
) -> None:
    listener = PostgresListener(asyncpg_dsn(pg_url))
    await listener.start()
    writer = await asyncpg.connect(asyncpg_dsn(pg_url))
    try:
        seen = bus().version
        transaction = writer.transaction()
        await transaction.start()
        await writer.execute("SELECT pg_notify('coordhub_events', '1')")
        assert not await woken(seen, 0.5), "nothing is announced before the commit"
        await transaction.commit()
        assert await woken(seen)
    finally:
        await writer.close()
        await listener.stop()


@pytest.mark.postgres_only
async def test_a_lost_listener_reconnects_and_catches_up(pg_url: str) -> None:
    listener = PostgresListener(asyncpg_dsn(pg_url), check_seconds=0.2)
    await listener.start()
    admin = await asyncpg.connect(asyncpg_dsn(pg_url))
    try:
        await admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE query LIKE 'LISTEN%' AND datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )
        for _ in range(100):
            if listener.reconnects and listener.connected.is_set():
                break
            await asyncio.sleep(0.1)
        assert listener.reconnects >= 1 and listener.connected.is_set()
        seen = bus().version
        await admin.execute("SELECT pg_notify('coordhub_events', '2')")
        assert await woken(seen)
    finally:
        await admin.close()
        await listener.stop()


@pytest.mark.postgres_only
async def test_a_subscriber_on_one_process_hears_a_publish_through_another(
    pg_url: str, tmp_path: Path
) -> None:
    settings = Settings(database_url=pg_url)
    async with open_database(settings):
        world = await build_world()
    env = {"COORDHUB_DATABASE_URL": pg_url, "COORDHUB_EMBEDDED_WORKER": "false"}
    ports = [free_port(), free_port()]
    processes = [spawn_server(port, env) for port in ports]
    try:
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        for url, process in zip(urls, processes, strict=True):
            await wait_until_up(url, process)
        async with httpx.AsyncClient(base_url=urls[1], timeout=10) as http_b:
            b = GraphQLClient(http_b, world)
            client = await Subscriber.open(urls[0].replace("http", "ws") + "/graphql")
            await client.init()
            # after the (empty) log's start, so the subscription cannot miss the publish
            await client.subscribe(
                'subscription { rebuttalUpdates(after: "ZXZlbnQ6MA==") { type } }'
            )
            await publish(b, ["akp"])
            [event] = await client.events(1)
            assert event["type"] == "REBUTTAL_PUBLISHED"
            await client.close()
    finally:
        for process in processes:
            process.terminate()
            process.wait(10)


REDIS_URL = os.environ.get("COORDHUB_TEST_REDIS", "redis://127.0.0.1:6379/15")


@pytest.fixture
async def redis_relay() -> AsyncIterator[RedisRelay]:
    client = redis.from_url(REDIS_URL)
    try:
        await client.ping()
    except (OSError, redis.RedisError) as exc:
        await client.aclose()
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is required under CI=true but unreachable: {exc}")
        pytest.skip(f"no Redis at {REDIS_URL} ({exc}); set COORDHUB_TEST_REDIS")
    await client.aclose()
    relay = RedisRelay(REDIS_URL, channel=f"coordhub_test_{os.getpid()}")
    await relay.start()
    yield relay
    await relay.stop()


async def test_redis_carries_local_commits_out_and_others_in(redis_relay: RedisRelay) -> None:
    other = redis.from_url(REDIS_URL)
    try:
        async with other.pubsub() as pubsub:
            await pubsub.subscribe(redis_relay.channel)
            await pubsub.get_message(timeout=1)  # the subscription confirmation
            announce()  # a local commit goes out
            message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=5)
            assert message is not None and message["type"] == "message"
        seen = bus().version
        await other.publish(redis_relay.channel, "1")  # another process's commit comes in
        assert await woken(seen)
    finally:
        await other.aclose()
