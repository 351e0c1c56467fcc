"""What the public response cache is worth while the data changes.

``bench.reads`` repeats one document, so with the cache on it measures hits only. Here the claims
feed is read at ``--concurrency`` clients while this process writes public changes at a steady
rate through coordhub's own workflow (registering an institution: a real write with its event,
so every cached answer becomes stale at once, the worst case). For each write rate it prints
coordhub's feed req/s, p50 and p99, the share of requests answered from the cache (from the
server's ``/metrics``), and the ratio to the reference endpoint measured in the same run; rate 0
is the steady state, and the cache-off row is what every request costs without the cache.

    python -m bench.freshness [--claims 20000] [--rates 0,1,10,50] [--seconds 5]
    COORDHUB_DATABASE_URL=postgres://USER@HOST:PORT/DB python -m bench.freshness ...

The writes go to a copy of the seeded database (a file copy on SQLite, ``CREATE DATABASE ...
TEMPLATE`` on PostgreSQL), dropped at the end, so the cached seed stays as it was.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import re
import shutil
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx
from rich.table import Table

from bench import load
from bench.harness import METRICS_TOKEN, Server, console_for_output, cpus
from bench.reads_compare import (
    add_load_arguments,
    apply_response_cache,
    requests,
    servers,
    wait_until_idle,
)
from bench.reads_ops import detail_claim_id, operations
from bench.reads_seed import prepare, server_url
from coordhub.db import database
from coordhub.models import InstitutionKind
from coordhub.settings import Settings
from coordhub.workflow.institutions import add_institution

_CACHE_LINE = re.compile(r'^coordhub_graphql_cache_total\{result="(\w+)"\} ([0-9.e+]+)$', re.M)


@contextlib.asynccontextmanager
async def scratch_copy(url: str) -> AsyncIterator[str]:
    """A throwaway copy of the seeded database at ``url``."""
    if url.startswith("sqlite://"):
        with tempfile.TemporaryDirectory(prefix="coordhub-freshness-") as folder:
            path = Path(folder) / "copy.db"
            shutil.copyfile(url.removeprefix("sqlite://"), path)
            yield f"sqlite://{path}"
        return
    parts = urlsplit(url)
    source = parts.path.lstrip("/")
    name = f"coordhub_freshness_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(urlunsplit(parts._replace(path="/postgres")))
    try:
        await admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def cache_counts(base: str) -> dict[str, float]:
    async with httpx.AsyncClient() as client:
        scraper = {"authorization": f"Bearer {METRICS_TOKEN}"}
        text = (await client.get(f"{base}/metrics", headers=scraper)).text
    return {result: float(value) for result, value in _CACHE_LINE.findall(text)}


async def write_steadily(database_url: str, rate: float, stop: asyncio.Event) -> int:
    """Register institutions at ``rate`` per second until ``stop``; how many were written."""
    if rate <= 0:
        await stop.wait()
        return 0
    written = 0
    started = time.monotonic()
    async with database(Settings(database_url=database_url), global_fallback=False):
        while not stop.is_set():
            slug = f"fresh-{uuid.uuid4().hex[:10]}"
            await add_institution(
                slug, "ស្ថាប័នសាកល្បង", "Benchmark body", InstitutionKind.STATE_INSTITUTION
            )
            written += 1
            delay = started + written / rate - time.monotonic()
            if delay > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), delay)
    return written


async def run_rate(
    server: Server,
    request: load.Request,
    database_url: str,
    rate: float,
    args: argparse.Namespace,
    cpu: int | None,
) -> tuple[load.Result, float, float]:
    """(load result, hit share, writes per second achieved) for one write rate."""
    before = await cache_counts(server.url)
    stop = asyncio.Event()
    writer = asyncio.create_task(write_steadily(database_url, rate, stop))
    started = time.monotonic()
    try:
        result = await asyncio.to_thread(
            load.measure, request, args.concurrency, args.warmup, args.seconds, cpu, args.client
        )
    finally:
        stop.set()
        written = await writer
    elapsed = time.monotonic() - started
    after = await cache_counts(server.url)
    served = {k: after.get(k, 0) - before.get(k, 0) for k in ("hit", "miss", "bypass")}
    total = sum(served.values()) or 1
    return result, served["hit"] / total, written / elapsed


async def main(args: argparse.Namespace) -> None:
    console = console_for_output()
    seeded, _ = await prepare(args.claims, False, console)
    server_cpu, load_cpu = cpus(console)
    rates = [float(r) for r in args.rates.split(",")]
    table = Table(
        title=f"Claims feed while writing, {'PostgreSQL' if server_url() else 'SQLite'}, "
        f"{args.claims:,} claims, concurrency {args.concurrency}"
    )
    for column in ("writes/s", "cache", "coordhub req/s", "p50 / p99 ms", "from cache", "ratio"):
        table.add_column(column, justify="right")
    async with scratch_copy(seeded) as url:
        database_settings = Settings(database_url=url)
        async with database(database_settings, global_fallback=False):
            feed = operations(await detail_claim_id())["feed"]
        for cache in ("on", "off"):
            apply_response_cache(cache)
            async with servers(url, server_cpu) as (coordhub, reference):
                feed_requests = requests(coordhub, reference, feed)
                request = feed_requests["coordhub"]
                baseline = await asyncio.to_thread(
                    load.measure,
                    feed_requests["reference"],
                    args.concurrency,
                    args.warmup,
                    args.seconds,
                    load_cpu,
                    args.client,
                )
                for rate in rates if cache == "on" else [0.0]:
                    await wait_until_idle(coordhub, reference)
                    result, hits, achieved = await run_rate(
                        coordhub, request, url, rate, args, load_cpu
                    )
                    console.print(
                        f"  cache {cache} writes {achieved:5.1f}/s: {result.rate:8.1f} req/s, "
                        f"{hits:.0%} from cache; reference {baseline.rate:8.1f} req/s"
                    )
                    table.add_row(
                        f"{achieved:.1f}",
                        cache,
                        f"{result.rate:,.0f}",
                        f"{result.p50_ms:.1f} / {result.p99_ms:.1f}",
                        f"{hits:.0%}" if cache == "on" else "-",
                        f"{result.rate / baseline.rate:.2f}",
                    )
    console.print(table)
    console.print(
        "ratio = coordhub req/s / reference req/s (the reference measured per server start)"
    )


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--claims", type=int, default=20_000)
    parser.add_argument("--rates", default="0,1,10,50", help="writes per second, comma-separated")
    parser.add_argument("--concurrency", type=int, default=32, help="clients reading the feed")
    add_load_arguments(parser)
    return parser.parse_args()


if __name__ == "__main__":
    asyncio.run(main(parse_args()))
