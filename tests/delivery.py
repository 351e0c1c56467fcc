"""Fixtures and helpers for delivery tests: real outlet simulators over HTTP, a worker."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest

from coordhub.connectors.manager import load_registry
from coordhub.connectors.worker import DeliveryWorker
from coordhub.models import Delivery, DeliveryStatus
from coordhub.settings import Settings
from coordhub.simulators import SimulatorSecrets, serve_simulators, simulator_connectors

FINAL = (DeliveryStatus.DELIVERED, DeliveryStatus.FAILED, DeliveryStatus.SUPERSEDED)


def connector_settings(base: str) -> dict[str, dict[str, Any]]:
    """Settings pointing every built-in connector at the simulators."""
    return {name: {**table, "timeout": 5} for name, table in simulator_connectors(base).items()}


class Outlets:
    """The simulators' control API."""

    def __init__(self, base: str, http: httpx.AsyncClient) -> None:
        self.base = base
        self.http = http

    async def received(self, outlet: str) -> list[dict[str, Any]]:
        return (await self.http.get(f"{self.base}/_control/{outlet}/received")).json()

    async def mode(self, outlet: str, mode: str, **options: Any) -> None:
        response = await self.http.post(
            f"{self.base}/_control/{outlet}/mode", json={"mode": mode, **options}
        )
        response.raise_for_status()


@pytest.fixture
async def outlets() -> AsyncIterator[Outlets]:
    """The outlet simulators, served by a real uvicorn on a free loopback port."""
    bound: asyncio.Future[tuple[str, int]] = asyncio.get_running_loop().create_future()
    task = asyncio.create_task(
        serve_simulators(
            "127.0.0.1",
            0,
            SimulatorSecrets(),
            log_level="warning",
            ready=lambda host, port: bound.set_result((host, port)),
        )
    )
    host, port = await asyncio.wait_for(bound, 10)
    async with httpx.AsyncClient() as http:
        yield Outlets(f"http://{host}:{port}", http)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


@pytest.fixture
def delivery_settings(settings: Settings, outlets: Outlets) -> Settings:
    """Fast retries (so tests do not wait) and connectors pointing at the simulators."""
    return settings.model_copy(
        update={
            "connectors": connector_settings(outlets.base),
            "delivery_backoff_seconds": [0.05, 0.05, 0.1, 0.1, 0.2],
            "delivery_jitter": 0.0,
            "delivery_poll_seconds": 0.05,
            "delivery_lease_seconds": 5.0,
        }
    )


@pytest.fixture
async def worker(delivery_settings: Settings, db: None) -> AsyncIterator[DeliveryWorker]:
    delivery_worker = DeliveryWorker(delivery_settings, load_registry(delivery_settings))
    yield delivery_worker
    await delivery_worker.http.aclose()


async def drain(
    worker: DeliveryWorker,
    until: Callable[[], Awaitable[bool]] | None = None,
    *,
    seconds: float = 15.0,
) -> None:
    """Run the worker until every delivery is final (or ``until`` holds)."""

    async def all_final() -> bool:
        return not await Delivery.exclude(status__in=FINAL).exists()

    done = until or all_final
    deadline = time.monotonic() + seconds
    while not await done():
        assert time.monotonic() < deadline, "deliveries did not settle in time"
        if not await worker.run_once():
            await asyncio.sleep(0.02)
