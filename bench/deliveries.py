"""Deliveries per second from one worker to the outlet simulators, beside a bare httpx loop.

Both sides send the same rendered AKP payloads, with the same concurrency, to the same
simulator process, in the same run; the ratio is what the delivery machinery costs (claiming
under a lease, recording each outcome and its event in a transaction).

    python -m bench.deliveries [--deliveries 500] [--concurrency 8]
    COORDHUB_DATABASE_URL=postgres://... python -m bench.deliveries

The simulator runs in its own process; results depend on the machine, so compare ratios.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from rich.console import Console
from rich.table import Table

from bench.seed import publish_many
from coordhub.connectors.manager import load_registry
from coordhub.connectors.worker import DeliveryWorker
from coordhub.db import database, migrate
from coordhub.models import Delivery, DeliveryStatus
from coordhub.settings import Settings
from coordhub.simulators import simulator_connectors


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def wait_until_up(url: str) -> None:
    async with httpx.AsyncClient() as http:
        for _ in range(100):
            try:
                if (await http.get(f"{url}/healthz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError("the simulators did not start")


async def reset(url: str) -> None:
    async with httpx.AsyncClient() as http:
        (await http.post(f"{url}/_control/reset")).raise_for_status()


async def time_worker(settings: Settings) -> tuple[float, int]:
    worker = DeliveryWorker(settings, load_registry(settings))
    started = time.perf_counter()
    while await Delivery.filter(
        status__in=(DeliveryStatus.PENDING, DeliveryStatus.RETRYING)
    ).exists():
        await worker.run_once()
    elapsed = time.perf_counter() - started
    await worker.http.aclose()
    delivered = await Delivery.filter(status=DeliveryStatus.DELIVERED).count()
    return elapsed, delivered


async def time_bare_loop(settings: Settings, concurrency: int) -> tuple[float, int]:
    """The same sends, straight from rendered payloads, with a semaphore: the floor."""
    connector = load_registry(settings).get("akp")
    assert connector is not None
    table = settings.connectors["akp"]
    rows = await Delivery.all().order_by("id")
    bodies = [
        (row.idempotency_key + ".bare", row.payload["body"] if row.payload else None, row)
        for row in rows
    ]
    semaphore = asyncio.Semaphore(concurrency)
    sent = 0
    async with httpx.AsyncClient() as http:

        async def send(key: str, body: str) -> None:
            nonlocal sent
            async with semaphore:
                response = await http.post(
                    table["endpoint"],
                    content=body.encode(),
                    headers={
                        "Content-Type": "application/json",
                        "Authorization": f"Bearer {table['token']}",
                        "Idempotency-Key": key,
                    },
                )
                sent += response.status_code < 300

        started = time.perf_counter()
        await asyncio.gather(*(send(key, body) for key, body, _ in bodies if body))
        return time.perf_counter() - started, sent


async def measure(url: str, count: int, concurrency: int) -> None:
    console = Console()
    tmp = tempfile.TemporaryDirectory()
    database_url = os.environ.get("COORDHUB_DATABASE_URL") or f"sqlite://{tmp.name}/bench.db"
    settings = Settings(
        database_url=database_url,
        connectors={"akp": simulator_connectors(url)["akp"]},
        delivery_concurrency=concurrency,
        delivery_batch=max(32, concurrency * 4),
    )
    try:
        await wait_until_up(url)
        await migrate(settings)
        async with database(settings, global_fallback=False):
            console.print(f"Seeding {count} published rebuttals on {database_url.split(':')[0]}…")
            await publish_many(settings, count, channels=["akp"])
            await reset(url)
            worker_seconds, delivered = await time_worker(settings)
            await reset(url)
            bare_seconds, sent = await time_bare_loop(settings, concurrency)
    finally:
        tmp.cleanup()
    worker_rate = delivered / worker_seconds
    bare_rate = sent / bare_seconds
    table = Table(title=f"Deliveries to the AKP simulator ({count}, concurrency {concurrency})")
    for column in ("sender", "sent", "seconds", "per second"):
        table.add_column(column, justify="right")
    table.add_row("coordhub worker", str(delivered), f"{worker_seconds:.2f}", f"{worker_rate:.0f}")
    table.add_row("bare httpx loop", str(sent), f"{bare_seconds:.2f}", f"{bare_rate:.0f}")
    console.print(table)
    console.print(f"worker / bare ratio: [bold]{worker_rate / bare_rate:.2f}[/bold]")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--deliveries", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    port = free_port()
    simulator = subprocess.Popen(
        [str(Path(sys.executable).parent / "coordhub"), "simulate-outlets", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        asyncio.run(measure(f"http://127.0.0.1:{port}", args.deliveries, args.concurrency))
    finally:
        simulator.terminate()
        simulator.wait(10)
