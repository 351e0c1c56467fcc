"""Running connectors in a process: start-up and shutdown hooks, and the delivery worker."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from coordhub.connectors.manager import ConnectorRegistry
from coordhub.connectors.worker import DeliveryWorker
from coordhub.settings import Settings

log = logging.getLogger("coordhub.connectors")


@contextlib.asynccontextmanager
async def running_connectors(
    settings: Settings, registry: ConnectorRegistry, *, worker: bool | None = None
) -> AsyncIterator[DeliveryWorker | None]:
    """Announce start-up to plugins and, if asked (default: ``embedded_worker``), run a worker.

    On exit the worker stops claiming, finishes the sends in flight, and plugins hear shutdown.
    """
    for problem in registry.problems:
        log.warning("connector problem: %s", problem)
    await registry.broadcast("coordhub_startup", settings=settings)
    run_worker = settings.embedded_worker if worker is None else worker
    stop = asyncio.Event()
    delivery_worker = DeliveryWorker(settings, registry) if run_worker else None
    task = asyncio.create_task(delivery_worker.run(stop)) if delivery_worker else None
    try:
        yield delivery_worker
    finally:
        stop.set()
        if task is not None:
            await task
        if delivery_worker is not None:
            await delivery_worker.http.aclose()
        await registry.broadcast("coordhub_shutdown")
