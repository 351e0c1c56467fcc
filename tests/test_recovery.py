"""Recovering from a lost database connection, and stopping a worker gracefully.

Focused tests for what the end-to-end fault test (tests/test_cluster.py) exposed: a failure a
loader remembered, a worker left on a dead connection by a transaction that could not begin, a
listener slow to see its connection gone; and SIGTERM for a ``coordhub worker``.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
from typing import Any

import asyncpg
import pytest
from tortoise.backends.asyncpg.client import TransactionWrapper

from coordhub.connectors.manager import load_registry
from coordhub.connectors.worker import DeliveryWorker
from coordhub.events.bus import bus
from coordhub.events.wakeups import PostgresListener, asyncpg_dsn
from coordhub.models import Delivery, DeliveryStatus
from coordhub.schema.loaders import Loader
from coordhub.settings import Settings
from tests.cluster import COORDHUB, PrivateServer, eventually, publish_seeded, seed_approved
from tests.delivery import Outlets, connector_settings
from tests.support import World, build_world, open_database


async def test_a_loader_does_not_remember_a_failed_load() -> None:
    calls = 0

    async def load(keys: list[int]) -> list[str]:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise ConnectionRefusedError("the database is restarting")
        return [f"row {key}" for key in keys]

    loader: Loader[int, str] = Loader(load)
    with pytest.raises(ConnectionRefusedError):
        await loader.load(7)
    assert await loader.load(7) == "row 7"  # asked again, not the cached failure
    assert await loader.load(7) == "row 7"
    assert calls == 2  # and a success is cached as before


@pytest.fixture
def pg_settings(database_url: str, outlets: Outlets) -> Settings:
    """The test's database (PostgreSQL for ``postgres_only`` tests), connectors pointing at the
    simulators, fast retries."""
    return Settings(
        database_url=database_url,
        connectors=connector_settings(outlets.base),
        delivery_backoff_seconds=[0.05] * 5,
        delivery_jitter=0.0,
        delivery_poll_seconds=0.05,
    )


async def published(settings: Settings, count: int, channels: list[str]) -> World:
    world = await build_world()
    ids = await seed_approved(settings, world, [channels] * count)
    await publish_seeded(settings, world, ids)
    return world


@pytest.mark.postgres_only
async def test_a_worker_goes_on_after_a_transaction_could_not_begin(
    pg_settings: Settings, outlets: Outlets, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A BEGIN that fails on a connection the server just closed leaves Tortoise's transaction
    wrapper, on that dead connection, in the task's context. The worker must not keep it."""
    async with open_database(pg_settings):
        await published(pg_settings, 1, ["akp"])
        begin = TransactionWrapper.begin
        broken: list[int] = []

        async def begin_on_a_lost_connection(self: TransactionWrapper) -> None:
            if not broken:
                broken.append(1)
                self._connection.terminate()
                raise asyncpg.ConnectionDoesNotExistError("connection was closed")
            await begin(self)

        monkeypatch.setattr(TransactionWrapper, "begin", begin_on_a_lost_connection)
        worker = DeliveryWorker(pg_settings, load_registry(pg_settings))
        stop = asyncio.Event()
        task = asyncio.create_task(worker.run(stop))
        try:

            async def delivered() -> bool:
                return await Delivery.filter(status=DeliveryStatus.DELIVERED).exists()

            await eventually(delivered, "the delivery after a failed BEGIN", seconds=10)
        finally:
            stop.set()
            await asyncio.wait_for(task, 10)
            await worker.http.aclose()
        assert broken
        assert len(await outlets.received("akp")) == 1


@pytest.mark.postgres_only
async def test_the_listener_hears_again_soon_after_the_server_restarts() -> None:
    """The server closing the listening connection is noticed at once, not at the next
    periodic check (30 s here), and the listener reconnects once the server is back."""
    async with PrivateServer.running() as server:
        listener = PostgresListener(asyncpg_dsn(server.url()), check_seconds=30)
        await listener.start()
        try:
            assert listener.connected.is_set()
            await server.restart(down_seconds=1.0)

            async def listening_again() -> bool:
                return listener.reconnects >= 1 and listener.connected.is_set()

            await eventually(listening_again, "a reconnected listener", seconds=10)
            notifier = await asyncpg.connect(server.url())
            try:
                seen = bus().version
                await notifier.execute("SELECT pg_notify('coordhub_events', '1')")
                assert await bus().wait(5, seen), "no wake-up after the restart"
            finally:
                await notifier.close()
        finally:
            await listener.stop()


def start_worker(settings: Settings, owner: str, **env: str) -> subprocess.Popen[bytes]:
    variables = {
        **os.environ,
        "COORDHUB_DATABASE_URL": settings.database_url,
        "COORDHUB_CONNECTORS": json.dumps(settings.connectors),
        "COORDHUB_DELIVERY_POLL_SECONDS": "0.1",
        **env,
    }
    command = [COORDHUB, "worker", "--owner", owner]
    return subprocess.Popen(
        command, env=variables, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )


@pytest.mark.postgres_only
async def test_sigterm_finishes_the_sends_in_flight_and_releases_the_rest(
    pg_settings: Settings, outlets: Outlets
) -> None:
    """A worker asked to stop (SIGTERM, as an orchestrator does) records what it is sending
    and gives back at once the deliveries it claimed but has not started: none stays leased
    to a process that is gone, and nothing waits for a lease to expire."""
    count = 8
    async with open_database(pg_settings):
        await published(pg_settings, count, ["akp"])
        await outlets.mode("akp", "slow", delay=3)
        worker = start_worker(
            pg_settings,
            "leaving",
            COORDHUB_DELIVERY_BATCH=str(count),
            COORDHUB_DELIVERY_CONCURRENCY="2",
            COORDHUB_DELIVERY_LEASE_SECONDS="600",  # a lease left behind would stay for long
        )
        try:

            async def sending() -> bool:
                assert worker.poll() is None, worker.stdout.read().decode()  # type: ignore[union-attr]
                answer = await outlets.http.get(f"{outlets.base}/_control/akp/attempts")
                return answer.json()["attempts"] >= 2

            await eventually(sending, "two sends in flight", seconds=20, every=0.05)
            worker.send_signal(signal.SIGTERM)
            returncode = await asyncio.to_thread(worker.wait, 15)
        finally:
            if worker.poll() is None:
                worker.kill()
                worker.wait(5)
        output = worker.stdout.read().decode()  # type: ignore[union-attr]
        assert returncode == 0, output

        rows = await Delivery.filter(connector="akp").order_by("id")
        by_status: dict[DeliveryStatus, list[Delivery]] = {}
        for row in rows:
            by_status.setdefault(row.status, []).append(row)
        assert set(by_status) == {DeliveryStatus.DELIVERED, DeliveryStatus.PENDING}, output
        assert len(by_status[DeliveryStatus.DELIVERED]) == 2  # the two in flight, recorded
        for row in by_status[DeliveryStatus.PENDING]:  # released: due now, for anyone
            assert (row.lease_owner, row.lease_expires_at, row.attempts) == (None, None, 0)

        # Another worker takes the rest over at once, and each goes out exactly once.
        await outlets.mode("akp", "ok")
        next_worker = DeliveryWorker(pg_settings, load_registry(pg_settings))
        try:
            while await next_worker.run_once():
                pass
        finally:
            await next_worker.http.aclose()
        assert await Delivery.filter(status=DeliveryStatus.DELIVERED).count() == count
        received: list[dict[str, Any]] = await outlets.received("akp")
        assert sorted(r["idempotency_key"] for r in received) == sorted(
            r.idempotency_key for r in rows
        )
