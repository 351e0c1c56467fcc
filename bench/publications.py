"""Publications per second through one `coordhub serve` process and through two, on PostgreSQL.

    COORDHUB_DATABASE_URL=postgres://USER@HOST:PORT/DB python -m bench.publications \\
        [--publications 400] [--concurrency 16] [--servers 1,2] [--rounds 1]

A publication is the heaviest write of the API: ``publishRebuttal`` freezes a revision, writes
its event, renders and queues a delivery per channel (here AKP and TVK), all in one transaction,
and numbers the event after the commit (``coordhub.events.log``). The benchmark seeds N claims
through the workflow, each with a rebuttal approved and waiting to be published, in a database
``coordhub_bench_publications`` on the server COORDHUB_DATABASE_URL names, and gives each run an
identical copy of it (``CREATE DATABASE ... TEMPLATE``). A run starts K ``coordhub serve``
processes (K = 1, then 2; in reverse order in even ``--rounds``) on the copy, each on its own
port, with no embedded delivery worker (deliveries are queued, not sent: the benchmark measures
the API's writes) and rate limits off, waits until each answers ``/healthz`` and is idle, then
``--concurrency`` clients in this process publish the N rebuttals over HTTP, spread over the K
servers in turn. The rate is N over the time from the first request to the last answer. Every
answer must have no errors; afterwards the copy must hold N published rebuttals, 2N queued
deliveries and N ``REBUTTAL_PUBLISHED`` events numbered without a gap.

While a run lasts, the benchmark samples every 0.1 s what the copy's active PostgreSQL backends
wait on (``pg_stat_activity``, as ``bench.deliveries`` does), and reads the CPU time of the
servers, the database's backends and the machine (``/proc``).

On SQLite there is one writer and one API process: the benchmark says so and stops.

Figures depend on the machine and on what else runs on it: compare the ratio of one run, not
absolute numbers across runs.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import statistics
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from rich.console import Console
from rich.table import Table

from bench import seed
from bench.deliveries import (
    POSTGRES_PIDS,
    SAMPLE_SECONDS,
    WAITS,
    Postgres,
    is_postgres,
    machine_ticks,
    ticks_or_none,
    top_waits,
    what_waits,
)
from bench.harness import (
    COORDHUB,
    TICKS,
    UNLIMITED,
    Server,
    console_for_output,
    start_server,
    wait_idle,
)
from coordhub.db import database, migrate
from coordhub.settings import Settings

TEMPLATE = "coordhub_bench_publications"
CHANNELS = ["akp", "tvk"]
PUBLISH = """
mutation($input: PublishRebuttalInput!) {
  publishRebuttal(input: $input) { rebuttal { id status } errors { code message } }
}
"""
CHECK = """
SELECT (SELECT count(*) FROM rebuttal WHERE status = 'PUBLISHED') AS published,
       (SELECT count(*) FROM delivery) AS deliveries,
       (SELECT count(*) FROM event WHERE type = 'REBUTTAL_PUBLISHED') AS events,
       (SELECT count(*) FROM pending_event) AS unnumbered,
       (SELECT max(seq) - min(seq) + 1 - count(*) FROM event) AS gaps
"""


@dataclass
class Run:
    servers: int
    round: int
    published: int
    seconds: float
    cpu_servers: list[float]
    cpu_postgres: float | None
    cpu_clients: float
    machine_busy: float
    waits: Counter[str] = field(default_factory=Counter)

    @property
    def rate(self) -> float:
        return self.published / self.seconds


async def seed_template(server: Postgres, count: int, console: Console) -> list[str]:
    """The template database with ``count`` approved rebuttals; their ids and the editor's
    token (the last item)."""
    settings = Settings(database_url=await server.create(TEMPLATE))
    await migrate(settings)
    async with database(settings, global_fallback=False):
        console.print(f"Seeding {count} approved rebuttals on PostgreSQL…")
        approved = await seed.approved_rebuttals(settings, count, channels=CHANNELS)
    return [*approved.global_ids, approved.editor_token]


async def publish_all(
    urls: list[str], token: str, ids: list[str], concurrency: int
) -> tuple[float, int]:
    """Publish every rebuttal of ``ids``, spread over ``urls``; (seconds, published)."""
    work = iter(zip(ids, itertools.cycle(urls), strict=False))
    published = 0
    headers = {"Authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(timeout=60, limits=limits, headers=headers) as http:

        async def client() -> None:
            nonlocal published
            for rebuttal_id, url in work:
                response = await http.post(
                    f"{url}/graphql",
                    json={"query": PUBLISH, "variables": {"input": {"rebuttalId": rebuttal_id}}},
                )
                response.raise_for_status()
                payload = response.json()["data"]["publishRebuttal"]
                assert not payload["errors"], payload["errors"]
                published += 1

        started = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(concurrency)))
        return time.perf_counter() - started, published


async def run_servers(
    server: Postgres,
    servers: int,
    round_: int,
    ids: list[str],
    token: str,
    concurrency: int,
    logs: Path,
) -> Run:
    """Publish every rebuttal of a fresh copy through ``servers`` API processes; check it."""
    import asyncpg

    name = f"{TEMPLATE}_{servers}s_r{round_}"
    url = await server.create(name, template=TEMPLATE)
    connection = await asyncpg.connect(server.dsn_of(name))
    processes: list[Server] = []
    try:
        env = UNLIMITED | {
            "COORDHUB_DATABASE_URL": url,
            "COORDHUB_EMBEDDED_WORKER": "false",
            "COORDHUB_LOG_LEVEL": "warning",
        }
        processes = [
            start_server(f"{name}-api-{n}", [COORDHUB, "serve"], env=env, logs=logs)
            for n in range(1, servers + 1)
        ]
        await asyncio.gather(*(p.wait_until_up() for p in processes))
        await wait_idle([p.pid for p in processes])
        pg_pids = [row["pid"] for row in await connection.fetch(POSTGRES_PIDS)]
        waits: Counter[str] = Counter()

        async def sample() -> None:
            nonlocal pg_pids
            while True:
                waits.update(what_waits(row) for row in await connection.fetch(WAITS))
                rows = await connection.fetch(POSTGRES_PIDS)
                pg_pids = sorted({*pg_pids, *(row["pid"] for row in rows)})
                await asyncio.sleep(SAMPLE_SECONDS)

        def ticks() -> tuple[list[int], dict[int, int | None], tuple[int, int], int]:
            return (
                [ticks_or_none(p.pid) or 0 for p in processes],
                {pid: ticks_or_none(pid) for pid in pg_pids},
                machine_ticks(),
                ticks_or_none(os.getpid()) or 0,
            )

        before = ticks()
        sampler = asyncio.create_task(sample())
        try:
            seconds, published = await publish_all(
                [p.url for p in processes], token, ids, concurrency
            )
        finally:
            sampler.cancel()
            await asyncio.gather(sampler, return_exceptions=True)
        after = ticks()

        check = await connection.fetchrow(CHECK)
        for _ in range(50):  # the last numbering transaction may still be running
            if check["unnumbered"] == 0:
                break
            await asyncio.sleep(0.1)
            check = await connection.fetchrow(CHECK)
        count = len(ids)
        assert published == count, f"{published} of {count} published"
        assert check["published"] == count, f"{check['published']} rebuttals published"
        assert check["deliveries"] == count * len(CHANNELS), f"{check['deliveries']} deliveries"
        assert check["events"] == count, f"{check['events']} publication events"
        assert check["unnumbered"] == 0 and check["gaps"] == 0, dict(check)

        postgres = None
        if all(after[1].get(pid) is not None for pid in after[1]):
            postgres = sum((t or 0) - (before[1].get(pid) or 0) for pid, t in after[1].items())
        return Run(
            servers=servers,
            round=round_,
            published=published,
            seconds=seconds,
            cpu_servers=[(a - b) / TICKS for a, b in zip(after[0], before[0], strict=True)],
            cpu_postgres=postgres / TICKS if postgres is not None else None,
            cpu_clients=(after[3] - before[3]) / TICKS,
            machine_busy=(after[2][0] - before[2][0]) / max(1, after[2][1] - before[2][1]),
            waits=waits,
        )
    finally:
        for process in processes:
            process.stop()
        await connection.close()
        await server.drop(name)


def report(runs: list[Run], count: int, concurrency: int, console: Console) -> None:
    cores = os.cpu_count() or 1
    table = Table(
        title=f"publishRebuttal through `coordhub serve` processes on PostgreSQL: {count} "
        f"publications per run ({len(CHANNELS)} deliveries queued each), {concurrency} clients",
        caption="seconds: first request to last answer. CPU: % of one core over the run "
        "(clients: the benchmark's own process, which sends the requests); "
        f"machine: busy % of all {cores} cores. waits: what the sampled active PostgreSQL "
        "backends did (of how many backend samples).",
    )
    columns = ("servers", "round", "seconds", "per second", "CPU servers", "postgres", "clients")
    for column in columns:
        table.add_column(column, justify="right")
    table.add_column("machine", justify="right")
    table.add_column("waits")
    for run in sorted(runs, key=lambda r: (r.servers, r.round)):

        def share(seconds: float, run: Run = run) -> str:
            return f"{100 * seconds / run.seconds:.0f}%"

        table.add_row(
            str(run.servers),
            str(run.round),
            f"{run.seconds:.2f}",
            f"{run.rate:.0f}",
            " + ".join(share(s) for s in run.cpu_servers),
            share(run.cpu_postgres) if run.cpu_postgres is not None else "n/a",
            share(run.cpu_clients),
            f"{100 * run.machine_busy:.0f}%",
            top_waits(run.waits),
        )
    console.print(table)
    counts = sorted({r.servers for r in runs})
    rates = {k: statistics.median(r.rate for r in runs if r.servers == k) for k in counts}
    rounds = max(r.round for r in runs)
    which = f"median of {rounds} rounds" if rounds > 1 else "one round"
    first = counts[0]
    console.print(
        f"publications per second ({which}): "
        + ", ".join(f"{k} server(s) [bold]{rates[k]:.0f}[/bold]" for k in counts)
        + "; "
        + ", ".join(
            f"{k} / {first} ratio: [bold]{rates[k] / rates[first]:.2f}[/bold]" for k in counts[1:]
        )
    )


async def measure(
    count: int,
    concurrency: int,
    server_counts: list[int],
    rounds: int,
    keep: bool,
    console: Console,
) -> None:
    database_url = os.environ.get("COORDHUB_DATABASE_URL", "")
    if not is_postgres(database_url):
        console.print(
            "Publications through several API processes: PostgreSQL only (SQLite has one "
            "writer and one API process); set COORDHUB_DATABASE_URL=postgres://USER@HOST:PORT/DB."
        )
        return
    server = Postgres(database_url)
    with tempfile.TemporaryDirectory() as tmp:
        try:
            *ids, token = await seed_template(server, count, console)
            runs: list[Run] = []
            for round_ in range(1, rounds + 1):
                for servers in server_counts if round_ % 2 else server_counts[::-1]:
                    console.print(f"Round {round_}: {servers} API process(es)…")
                    runs.append(
                        await run_servers(
                            server, servers, round_, ids, token, concurrency, Path(tmp)
                        )
                    )
            report(runs, count, concurrency, console)
        finally:
            if not keep:
                await server.drop(TEMPLATE)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--publications", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=16, help="clients publishing at once")
    parser.add_argument(
        "--servers", default="1,2", help="numbers of `coordhub serve` processes, comma-separated"
    )
    parser.add_argument("--rounds", type=int, default=1, help="runs of each server count")
    parser.add_argument("--keep", action="store_true", help="keep the seeded template database")
    args = parser.parse_args()
    asyncio.run(
        measure(
            args.publications,
            args.concurrency,
            sorted({int(n) for n in args.servers.split(",")}),
            args.rounds,
            args.keep,
            console_for_output(),
        )
    )


if __name__ == "__main__":
    main()
