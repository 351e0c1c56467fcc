"""The production shape, end to end: two API processes and two delivery workers on one
PostgreSQL database, with the outlet simulators, each a real process.

One run walks through the faults of issue 5 in turn: a subscriber on API process A hears a
publication made through B; 200 rebuttals are published concurrently through both; a worker is
killed with SIGKILL while its sends are in flight and the other takes its leases over once they
expire; PostgreSQL is restarted while publications and deliveries go on, and every process
recovers by itself. In the end each outlet has each (rebuttal, revision, outlet) key exactly
once, every delivery is DELIVERED, and the subscribers saw every event once, in order.

PostgreSQL here is a private cluster (``tests.cluster``), never the machine's shared server.
"""

from __future__ import annotations

import asyncio
import signal
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from strawberry.relay import to_base64

from coordhub.db import migrate
from coordhub.events.wakeups import APPLICATION_NAME
from coordhub.settings import Settings
from tests.cluster import (
    Deployment,
    PrivateServer,
    ResumingSubscriber,
    deployment_env,
    eventually,
    query,
    seed_approved,
)
from tests.live import free_port
from tests.support import World, build_world, open_database

# A PostgreSQL test (tests/databases.py), on a server of its own (tests/cluster.py).
pytestmark = pytest.mark.postgres_only

REBUTTALS = 200
OUTLETS = ("akp", "tvk", "ministry-app", "webhook")
CHANNEL_SETS = [
    ["akp", "tvk"],
    ["akp", "ministry-app"],
    ["tvk", "webhook"],
    ["akp", "tvk", "ministry-app", "webhook"],
]
PUBLISH = (
    "mutation($input: PublishRebuttalInput!) { publishRebuttal(input: $input) "
    "{ rebuttal { status } errors { code message } } }"
)
REBUTTAL_UPDATES = (
    "subscription($after: String) "
    "{ rebuttalUpdates(after: $after) { cursor seq type rebuttal { id } } }"
)
DELIVERY_UPDATES = (
    "subscription($after: String) { deliveryUpdates(after: $after) { cursor seq type connector } }"
)


@pytest.fixture
async def server() -> AsyncIterator[PrivateServer]:
    async with PrivateServer.running() as private:
        yield private


class Publisher:
    """Publishes through the API processes in turn, as an editor's client would: a request
    that fails (the database is restarting) is sent again until the API says it is published,
    now or by an earlier attempt whose answer was lost."""

    def __init__(self, apis: list[str], token: str) -> None:
        self.clients = [httpx.AsyncClient(base_url=url, timeout=10) for url in apis]
        self.token = token
        self.failed_attempts = 0
        self.published = 0

    async def close(self) -> None:
        for client in self.clients:
            await client.aclose()

    async def publish(self, rebuttal_id: int, through: int, seconds: float = 60) -> None:
        http = self.clients[through % len(self.clients)]
        body = {"query": PUBLISH, "variables": {"input": {"rebuttalId": gid(rebuttal_id)}}}
        headers = {"authorization": f"Bearer {self.token}"}
        deadline = time.monotonic() + seconds
        while True:
            answer: Any = None
            try:
                response = await http.post("/graphql", json=body, headers=headers)
                answer = response.text
                payload = (response.json().get("data") or {}).get("publishRebuttal")
            except (httpx.TransportError, ValueError):
                payload = None
            if payload is not None:
                errors = payload["errors"]
                if not errors or "A PUBLISHED rebuttal" in errors[0]["message"]:
                    self.published += 1
                    return
                raise AssertionError(f"publishing {rebuttal_id} was refused: {errors}")
            self.failed_attempts += 1
            assert time.monotonic() < deadline, f"publishing {rebuttal_id} never went through"
            del answer
            await asyncio.sleep(0.2)

    async def publish_all(self, ids: list[int], concurrency: int = 12) -> None:
        gate = asyncio.Semaphore(concurrency)

        async def one(n: int, rebuttal_id: int) -> None:
            async with gate:
                await self.publish(rebuttal_id, through=n)

        await asyncio.gather(*(one(n, rebuttal_id) for n, rebuttal_id in enumerate(ids)))


def ws(api: str) -> str:
    return api.replace("http://", "ws://") + "/graphql"


def gid(rebuttal_id: int) -> str:
    return to_base64("Rebuttal", rebuttal_id)


async def prepare(url: str, count: int) -> tuple[World, list[int]]:
    """Migrate the database, register the test accounts, approve ``count`` rebuttals."""
    settings = Settings(database_url=url)
    await migrate(settings)
    async with open_database(settings):
        world = await build_world()
        channel_sets = [CHANNEL_SETS[n % len(CHANNEL_SETS)] for n in range(count)]
        ids = await seed_approved(settings, world, channel_sets)
    return world, ids


async def set_mode(outlets: str, outlet: str, **mode: Any) -> None:
    async with httpx.AsyncClient(base_url=outlets) as control:
        (await control.post(f"/_control/{outlet}/mode", json=mode)).raise_for_status()


async def counts(url: str) -> dict[str, int]:
    rows = await query(url, "SELECT status, count(*) AS n FROM delivery GROUP BY status")
    return {row["status"]: row["n"] for row in rows}


async def test_two_apis_and_two_workers_survive_a_killed_worker_and_a_database_restart(
    server: PrivateServer, tmp_path: Path
) -> None:
    url = await server.create_database("coordhub")
    world, ids = await prepare(url, REBUTTALS + 2)
    first, bulk, last = ids[0], ids[1:-1], ids[-1]
    outlets = f"http://127.0.0.1:{free_port()}"
    deployment = Deployment(url, outlets, deployment_env(url, outlets), tmp_path)
    subscribers: list[ResumingSubscriber] = []
    publisher: Publisher | None = None
    try:
        await deployment.start_simulators()
        # The API processes poll the log only every 30 s: events from other processes reach
        # their subscribers through LISTEN/NOTIFY, which must therefore work after the restart.
        a, b = await asyncio.gather(
            deployment.start_api("api-a", COORDHUB_DELIVERY_POLL_SECONDS="30"),
            deployment.start_api("api-b", COORDHUB_DELIVERY_POLL_SECONDS="30"),
        )
        doomed = deployment.start_worker("doomed")
        deployment.start_worker("survivor")
        publisher = Publisher([a, b], world.tokens["health_editor"])
        coordinator = world.tokens["coordinator"]
        rebuttal_events = ResumingSubscriber(ws(a), coordinator, REBUTTAL_UPDATES)
        delivery_events = ResumingSubscriber(ws(b), coordinator, DELIVERY_UPDATES)
        subscribers = [rebuttal_events, delivery_events]
        for subscriber in subscribers:
            subscriber.start()

        # (1) A subscriber on A hears a rebuttal published through B.
        await publisher.publish(first, through=1)
        await rebuttal_events.wait_for(
            lambda events: any(
                e["type"] == "REBUTTAL_PUBLISHED" and e["rebuttal"]["id"] == gid(first)
                for e in events
            ),
            seconds=10,
        )

        # (2) 200 rebuttals published concurrently through both; AKP slow (5 s an answer)
        # until the kill, so that sends are surely in flight when a worker dies (with 1.5 s,
        # the doomed worker sometimes finished its sends between the check and the kill).
        await set_mode(outlets, "akp", mode="slow", delay=5)
        half = len(bulk) // 2
        await publisher.publish_all(bulk[:half])

        # (3) SIGKILL one worker while it holds leases on deliveries it is sending.
        async def doomed_is_sending() -> bool:
            rows = await query(
                url,
                "SELECT count(*) AS n FROM delivery "
                "WHERE status = 'DELIVERING' AND lease_owner = 'doomed' AND connector = 'akp'",
            )
            return rows[0]["n"] > 0

        await eventually(doomed_is_sending, "the doomed worker sending to AKP", seconds=20)
        await asyncio.sleep(0.3)
        doomed.popen.send_signal(signal.SIGKILL)
        doomed.popen.wait(10)
        orphaned = [
            row["id"]
            for row in await query(
                url,
                "SELECT id FROM delivery WHERE status = 'DELIVERING' AND lease_owner = 'doomed'",
            )
        ]
        assert orphaned, "the kill should have left leased deliveries behind"
        await set_mode(outlets, "akp", mode="ok")

        # (4) Restart PostgreSQL while the other half is being published and delivered.
        publishing = asyncio.create_task(publisher.publish_all(bulk[half:]))
        await asyncio.sleep(0.2)
        await server.restart(down_seconds=2.0)
        await publishing
        assert publisher.published == 1 + len(bulk)

        expected = sum(len(CHANNEL_SETS[n % len(CHANNEL_SETS)]) for n in range(len(bulk) + 1))

        async def all_delivered() -> bool:
            return (await counts(url)).get("DELIVERED", 0) == expected

        await eventually(all_delivered, "every delivery DELIVERED", seconds=60, every=0.5)

        # Every process but the killed one is the one started at first, and answers.
        for name, process in deployment.processes.items():
            assert process.alive() == (name != "doomed"), f"{name}: {process.popen.returncode}"
        async with httpx.AsyncClient(timeout=10) as http:
            for api in (a, b):
                assert (await http.get(f"{api}/readyz")).status_code == 200
                response = await http.post(
                    f"{api}/graphql",
                    json={"query": "{ rebuttals(first: 1) { edges { node { id } } } }"},
                    headers={"authorization": f"Bearer {coordinator}"},
                )
                assert response.status_code == 200 and "errors" not in response.json()

        # Every process listens again (A, B and the surviving worker).
        async def all_listening() -> bool:
            rows = await query(
                url,
                "SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1",
                APPLICATION_NAME,
            )
            return rows[0]["n"] == 3

        await eventually(all_listening, "three listening connections", seconds=15, every=0.5)

        # A publication through B after the restart reaches the subscriber on A (woken by
        # NOTIFY: A polls only every 30 s), and its outlets.
        await publisher.publish(last, through=1)
        await rebuttal_events.wait_for(
            lambda events: any(
                e["type"] == "REBUTTAL_PUBLISHED" and e["rebuttal"]["id"] == gid(last)
                for e in events
            ),
            seconds=10,
        )
        expected += len(CHANNEL_SETS[(len(ids) - 1) % len(CHANNEL_SETS)])
        await eventually(all_delivered, "the last rebuttal's deliveries", seconds=15)

        # Deliveries: every one DELIVERED, each key exactly once at its outlet.
        assert await counts(url) == {"DELIVERED": expected}
        rows = await query(url, "SELECT id, connector, idempotency_key, attempts FROM delivery")
        async with httpx.AsyncClient(base_url=outlets) as control:
            for outlet in OUTLETS:
                received = (await control.get(f"/_control/{outlet}/received")).json()
                keys = [entry["idempotency_key"] for entry in received]
                assert len(keys) == len(set(keys)), f"{outlet} recorded a key twice"
                assert set(keys) == {r["idempotency_key"] for r in rows if r["connector"] == outlet}
        taken_over = [row for row in rows if row["id"] in set(orphaned)]
        assert all(row["attempts"] >= 2 for row in taken_over), "the survivor sent them again"

        # Events: each subscriber saw every event it may see, once, in order.
        for subscriber, pattern in (
            (rebuttal_events, "type LIKE 'REBUTTAL\\_%'"),
            (delivery_events, "(type LIKE 'DELIVERY\\_%' OR type = 'CONNECTOR_DISABLED')"),
        ):
            logged = [
                row["seq"] for row in await query(url, f"SELECT seq FROM event WHERE {pattern}")
            ]
            logged.sort()
            await subscriber.wait_for(lambda events, n=len(logged): len(events) >= n, seconds=20)
            assert subscriber.seqs == logged, subscriber.problems[-5:]
        print(
            f"publish attempts that failed: {publisher.failed_attempts}; subscriber reconnects: "
            f"{[s.reconnects for s in subscribers]}; problems: {[s.problems for s in subscribers]}"
        )
    except BaseException:
        print(deployment.report())
        for subscriber in subscribers:
            print(f"subscriber: {len(subscriber.events)} events, {subscriber.problems[-5:]}")
        raise
    finally:
        for subscriber in subscribers:
            await subscriber.stop()
        if publisher is not None:
            await publisher.close()
        deployment.stop()
