"""Deliveries per second to the outlet simulators: one worker beside a bare httpx loop, and on
PostgreSQL 1, 2 and 4 `coordhub worker` processes.

    python -m bench.deliveries [--deliveries 500] [--concurrency 8]
    COORDHUB_DATABASE_URL=postgres://USER@HOST:PORT/DB python -m bench.deliveries \
        [--workers 1,2,4] [--rounds 3]

Every figure comes from one run against one simulator process (``coordhub simulate-outlets``),
with the same seeded deliveries: N published rebuttals, each with one AKP delivery, seeded once
through the workflow. The hooks for the published revisions are dispatched before any timing, so
only deliveries are timed.

1. **Worker against a bare loop** (SQLite and PostgreSQL): a ``DeliveryWorker`` in this process
   drains the outbox; then a bare httpx loop sends the same rendered payloads with the same
   concurrency. The ratio is what the delivery machinery costs (claiming under a lease,
   recording each outcome and its event in a transaction).

2. **1, 2 and 4 worker processes** (PostgreSQL only; on SQLite one worker is all there may be). On
   PostgreSQL, COORDHUB_DATABASE_URL names the server: the benchmark seeds a database
   ``coordhub_bench_deliveries`` there and gives each run an identical copy of it (``CREATE DATABASE
   ... TEMPLATE``), so every run starts from the same rows and renders the same payloads; all are
   dropped at the end (``--keep`` keeps them). Each run starts K ``coordhub worker`` processes (K in
   ``--workers``, 1, 2 and 4 by default; in reverse order in even ``--rounds``) with the AKP
   connector held disabled, waits until each says it is running, then enables it and wakes them with
   one NOTIFY. A trigger on the copy records each claim and each DELIVERED with
   ``clock_timestamp()``; the time is from the first claim to the last DELIVERED, and the rate is N
   over that time. Each run then asserts that every delivery was claimed once, is DELIVERED after
   one attempt, and was recorded exactly once at the outlet (one POST per idempotency key, no
   duplicates), with the same payload bytes in every run. ``--concurrency`` and the batch are per
   worker: two workers have twice the sends in flight, as adding a worker process does in
   production. A summary table then sets each worker count's median rate beside the bare loop's
   (part 1) and the fewest workers', with the most frequent wait events of its runs.

What limits more workers, and how the output shows it:

- **Commits.** Writers no longer queue on one row: an outcome's event waits in
  ``pending_event`` and is numbered after the commit, by one short numbering transaction shared
  by the writers that commit meanwhile (``coordhub.events.log``). A worker claims a batch in
  one statement (``coordhub.connectors.claims``), freezes its payloads in the claim's
  transaction and writes the outcomes of its concurrent sends in one transaction
  (``coordhub.connectors.outcomes``), so each delivery costs a fraction of a commit.
  The benchmark samples what the copy's active PostgreSQL backends wait on every 0.1 s: with
  the counter row out of the way, most samples are WAL flushes (commits) and the client.
  (Before: 80 to 90 % of the samples waited for the counter row, and two workers delivered
  1.2 times what one did.)
- **Shared cores.** The workers, the simulator, PostgreSQL and this benchmark share the machine
  with whatever else runs on it. The benchmark reads each process's CPU time over the run
  (``/proc/<pid>/stat``; "postgres" is the copy's backends plus the WAL writer, checkpointer
  and background writer) and the whole machine's (``/proc/stat``); "others" is the machine's
  busy time that none of these account for. When the machine is already busy, a second worker
  takes CPU from the first, the simulator and PostgreSQL, and the lock holder waits longer for
  its own event loop while the others queue behind it.

Figures depend on the machine and on what else runs on it: compare ratios from one run, not
absolute numbers across runs, and use ``--rounds`` to see the spread.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
from rich.console import Console
from rich.table import Table

from bench.harness import (
    COORDHUB,
    TICKS,
    Server,
    console_for_output,
    cpu_ticks,
    start_server,
)
from bench.seed import publish_many
from coordhub.connectors.manager import load_registry
from coordhub.connectors.observers import dispatch_published
from coordhub.connectors.worker import DeliveryWorker
from coordhub.db import database, migrate
from coordhub.models import Delivery, DeliveryStatus
from coordhub.settings import Settings
from coordhub.simulators import simulator_connectors

TEMPLATE = "coordhub_bench_deliveries"
SAMPLE_SECONDS = 0.1  # how often a run looks at progress and at what backends wait on
STARTUP_SECONDS = 60.0  # the longest a worker process may take to say it runs


async def reset(url: str) -> None:
    async with httpx.AsyncClient() as http:
        (await http.post(f"{url}/_control/reset")).raise_for_status()


async def received(url: str) -> list[dict[str, Any]]:
    async with httpx.AsyncClient(timeout=60) as http:
        response = await http.get(f"{url}/_control/akp/received")
        response.raise_for_status()
        return list(response.json())


def bench_settings(database_url: str, simulator_url: str, concurrency: int) -> Settings:
    return Settings(
        database_url=database_url,
        connectors={"akp": simulator_connectors(simulator_url)["akp"]},
        delivery_concurrency=concurrency,
        delivery_batch=max(32, concurrency * 4),
    )


async def seed(settings: Settings, count: int, console: Console) -> None:
    """Migrate, publish ``count`` rebuttals to AKP, and dispatch their observer hooks."""
    await migrate(settings)
    async with database(settings, global_fallback=False):
        console.print(f"Seeding {count} published rebuttals on {dialect(settings.database_url)}…")
        await publish_many(settings, count, channels=["akp"])
        registry = load_registry(settings)
        while await dispatch_published(registry, settings, limit=max(50, count)):
            pass


def dialect(database_url: str) -> str:
    return "PostgreSQL" if is_postgres(database_url) else "SQLite"


def is_postgres(database_url: str) -> bool:
    return database_url.startswith(("postgres://", "postgresql://"))


# -- 1. one worker in this process against a bare httpx loop ---------------------------------


async def time_worker(settings: Settings) -> tuple[float, int]:
    worker = DeliveryWorker(settings, load_registry(settings))
    started = time.perf_counter()
    await worker.drain()
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


async def worker_against_bare(
    settings: Settings, simulator_url: str, count: int, concurrency: int, console: Console
) -> tuple[float, float]:
    """Print and return (the in-process worker's, the bare loop's) deliveries per second."""
    async with database(settings, global_fallback=False):
        await reset(simulator_url)
        worker_seconds, delivered = await time_worker(settings)
        await reset(simulator_url)
        bare_seconds, sent = await time_bare_loop(settings, concurrency)
    worker_rate = delivered / worker_seconds
    bare_rate = sent / bare_seconds
    title = (
        f"Deliveries to the AKP simulator on {dialect(settings.database_url)} "
        f"({count}, concurrency {concurrency})"
    )
    table = Table(title=title)
    for column in ("sender", "sent", "seconds", "per second"):
        table.add_column(column, justify="right")
    table.add_row("coordhub worker", str(delivered), f"{worker_seconds:.2f}", f"{worker_rate:.0f}")
    table.add_row("bare httpx loop", str(sent), f"{bare_seconds:.2f}", f"{bare_rate:.0f}")
    console.print(table)
    console.print(f"worker / bare ratio: [bold]{worker_rate / bare_rate:.2f}[/bold]")
    return worker_rate, bare_rate


# -- 2. one and two `coordhub worker` processes on PostgreSQL --------------------------------


class Postgres:
    """The PostgreSQL server named by COORDHUB_DATABASE_URL, where the bench makes databases."""

    def __init__(self, url: str) -> None:
        self.url = url.replace("postgresql://", "postgres://", 1)

    def url_of(self, name: str) -> str:
        """Tortoise URL of database ``name`` on this server."""
        parts = urlsplit(self.url)
        return urlunsplit(parts._replace(path=f"/{name}", query=""))

    def dsn_of(self, name: str | None = None) -> str:
        """asyncpg DSN of database ``name`` (default: the one in the URL)."""
        url = self.url_of(name) if name else urlunsplit(urlsplit(self.url)._replace(query=""))
        return url.replace("postgres://", "postgresql://", 1)

    async def admin(self, sql: str) -> None:
        import asyncpg

        connection = await asyncpg.connect(self.dsn_of())
        try:
            await connection.execute(sql)
        finally:
            await connection.close()

    async def create(self, name: str, template: str | None = None) -> str:
        await self.drop(name)
        await self.admin(
            f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")
        )
        return self.url_of(name)

    async def drop(self, name: str) -> None:
        await self.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


INSTRUMENT = """
CREATE TABLE bench_transition (delivery_id bigint, status text, owner text, at timestamptz);
CREATE FUNCTION bench_note() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status = 'DELIVERING' OR NEW.status IS DISTINCT FROM OLD.status THEN
    INSERT INTO bench_transition
      VALUES (NEW.id, NEW.status, COALESCE(NEW.lease_owner, OLD.lease_owner), clock_timestamp());
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER bench_note AFTER UPDATE OF status ON delivery
  FOR EACH ROW EXECUTE FUNCTION bench_note();
INSERT INTO connector_state (name, disabled_at, disabled_reason)
  VALUES ('akp', now(), 'bench: held until every worker runs');
"""
OPEN_GATE = """
DELETE FROM connector_state WHERE name = 'akp';
SELECT pg_notify('coordhub_events', '0');
"""
PROGRESS = """
SELECT count(*) FILTER (WHERE status = 'DELIVERED') AS delivered,
       count(*) FILTER (WHERE status IN ('FAILED', 'RETRYING', 'SUPERSEDED')) AS trouble
FROM delivery
"""
WAITS = """
SELECT wait_event_type, wait_event, query
FROM pg_stat_activity
WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active'
"""


SEQUENCE_ROW = "waiting for the event-sequence row"


def what_waits(row: Any) -> str:
    """What an active backend is doing, in words."""
    kind, event, query = row["wait_event_type"], row["wait_event"], row["query"] or ""
    if kind is None:
        return "on CPU"
    # ``UPDATE counter ...``, or on PostgreSQL ``WITH next AS (UPDATE counter ...`` (with the
    # notification): see coordhub.events.log.
    if kind in ("Lock", "LWLock") and "UPDATE counter SET value = value + 1" in query:
        return SEQUENCE_ROW
    if event in ("WALSync", "WALWrite", "WALFlush"):
        return "flushing WAL (commit)"
    return f"waiting on {kind}:{event}"


POSTGRES_PIDS = """
SELECT pid FROM pg_stat_activity
WHERE (datname = current_database() AND pid <> pg_backend_pid())
   OR backend_type IN ('walwriter', 'checkpointer', 'background writer')
"""


def ticks_or_none(pid: int) -> int | None:
    """``cpu_ticks``, or None for a process that has gone (a PostgreSQL backend may)."""
    try:
        return cpu_ticks(pid)
    except OSError:
        return None


def machine_ticks() -> tuple[int, int]:
    """(busy, total) CPU ticks of the whole machine so far, all cores."""
    # user nice system idle iowait irq softirq steal (guest time is already in user and nice)
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:9]]
    idle = values[3] + values[4]  # idle + iowait
    return sum(values) - idle, sum(values)


@dataclass
class Cpu:
    """CPU seconds over one run, by process group."""

    seconds: float
    workers: list[float]
    simulator: float
    postgres: float | None
    bench: float
    machine_busy: float
    machine_total: float

    @property
    def others(self) -> float:
        ours = sum(self.workers) + self.simulator + (self.postgres or 0.0) + self.bench
        return max(0.0, self.machine_busy - ours)


@dataclass
class Run:
    workers: int
    round: int
    delivered: int
    seconds: float
    claims_by_owner: dict[str, int]
    cpu: Cpu
    waits: Counter[str] = field(default_factory=Counter)

    @property
    def rate(self) -> float:
        return self.delivered / self.seconds


async def start_worker(owner: str, env: dict[str, str], log: Path) -> asyncio.subprocess.Process:
    with log.open("ab") as stderr:
        process = await asyncio.create_subprocess_exec(
            COORDHUB,
            "worker",
            "--owner",
            owner,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=stderr,
        )
    assert process.stdout is not None
    async with asyncio.timeout(STARTUP_SECONDS):
        while b"running" not in (line := await process.stdout.readline()):
            if not line:
                raise RuntimeError(f"worker {owner} exited at start; see {log}")
    return process


async def stop_worker(process: asyncio.subprocess.Process) -> None:
    if process.returncode is None:
        process.send_signal(signal.SIGTERM)
        try:
            async with asyncio.timeout(30):
                await process.wait()
        except TimeoutError:
            process.kill()
            await process.wait()


async def run_workers(
    server: Postgres,
    simulator: Server,
    workers: int,
    round_: int,
    count: int,
    concurrency: int,
    logs: Path,
    payloads: dict[str, Any],
) -> Run:
    """Drain a fresh copy of the seeded database with ``workers`` worker processes; check it."""
    import asyncpg

    simulator_url = simulator.url
    name = f"{TEMPLATE}_{workers}w_r{round_}"
    url = await server.create(name, template=TEMPLATE)
    connection = await asyncpg.connect(server.dsn_of(name))
    processes: list[asyncio.subprocess.Process] = []
    try:
        await connection.execute(INSTRUMENT)
        await reset(simulator_url)
        settings = bench_settings(url, simulator_url, concurrency)
        env = os.environ | {
            "COORDHUB_DATABASE_URL": url,
            "COORDHUB_CONNECTORS": json.dumps({"akp": settings.connectors["akp"]}),
            "COORDHUB_DELIVERY_CONCURRENCY": str(settings.delivery_concurrency),
            "COORDHUB_DELIVERY_BATCH": str(settings.delivery_batch),
            "COORDHUB_LOG_LEVEL": "warning",
            "COLUMNS": "200",
        }
        env.pop("COORDHUB_CONNECTORS_FILE", None)
        owners = [f"bench-{n}-of-{workers}" for n in range(1, workers + 1)]
        log = logs / f"{name}.log"
        processes = list(await asyncio.gather(*(start_worker(o, env, log) for o in owners)))

        pg_pids = [row["pid"] for row in await connection.fetch(POSTGRES_PIDS)]

        def snapshot() -> dict[str, Any]:
            return {
                "workers": [ticks_or_none(p.pid) or 0 for p in processes],
                "simulator": ticks_or_none(simulator.pid) or 0,
                "postgres": {pid: ticks_or_none(pid) for pid in pg_pids},
                "bench": ticks_or_none(os.getpid()) or 0,
                "machine": machine_ticks(),
            }

        before = snapshot()
        started = time.perf_counter()
        async with connection.transaction():
            await connection.execute(OPEN_GATE)
        waits: Counter[str] = Counter()
        deadline = started + 120 + count / 5
        while True:
            progress = await connection.fetchrow(PROGRESS)
            if progress["delivered"] == count:
                break
            if progress["trouble"]:
                raise AssertionError(f"{progress['trouble']} deliveries did not go through: {log}")
            if time.perf_counter() > deadline:
                raise TimeoutError(f"{progress['delivered']} of {count} delivered; see {log}")
            waits.update(what_waits(row) for row in await connection.fetch(WAITS))
            pg_pids = sorted(
                {*pg_pids, *(row["pid"] for row in await connection.fetch(POSTGRES_PIDS))}
            )
            await asyncio.sleep(SAMPLE_SECONDS)
        after = snapshot()
        wall = time.perf_counter() - started
        await asyncio.gather(*(stop_worker(p) for p in processes))

        postgres = None
        if all(t is not None for t in after["postgres"].values()):
            postgres = sum(
                (t or 0) - (before["postgres"].get(pid) or 0)
                for pid, t in after["postgres"].items()
            )
        cpu = Cpu(
            seconds=wall,
            workers=[
                (a - b) / TICKS for a, b in zip(after["workers"], before["workers"], strict=True)
            ],
            simulator=(after["simulator"] - before["simulator"]) / TICKS,
            postgres=postgres / TICKS if postgres is not None else None,
            bench=(after["bench"] - before["bench"]) / TICKS,
            machine_busy=(after["machine"][0] - before["machine"][0]) / TICKS,
            machine_total=(after["machine"][1] - before["machine"][1]) / TICKS,
        )

        # The time: first claim to last DELIVERED, as the trigger saw them.
        window = await connection.fetchrow(
            "SELECT min(at) FILTER (WHERE status = 'DELIVERING') AS first_claim,"
            " max(at) FILTER (WHERE status = 'DELIVERED') AS last_delivered"
            " FROM bench_transition"
        )
        seconds = (window["last_delivered"] - window["first_claim"]).total_seconds()
        claims = await connection.fetch(
            "SELECT owner, count(*) AS n FROM bench_transition WHERE status = 'DELIVERING'"
            " GROUP BY owner ORDER BY owner"
        )
        # Each delivery claimed once, DELIVERED once, after one attempt.
        odd = await connection.fetchval(
            "SELECT count(*) FROM delivery d WHERE d.status <> 'DELIVERED' OR d.attempts <> 1"
            " OR (SELECT count(*) FROM bench_transition t WHERE t.delivery_id = d.id"
            "     AND t.status = 'DELIVERING') <> 1"
            " OR (SELECT count(*) FROM bench_transition t WHERE t.delivery_id = d.id"
            "     AND t.status = 'DELIVERED') <> 1"
        )
        assert odd == 0, f"{odd} deliveries were claimed or delivered more than once"
        keys = {
            row["idempotency_key"]
            for row in await connection.fetch("SELECT idempotency_key FROM delivery")
        }
        # ... and recorded exactly once at the outlet, with the same bytes in every run.
        outlet = await received(simulator_url)
        assert len(outlet) == count, f"the outlet recorded {len(outlet)} deliveries, not {count}"
        assert {r["idempotency_key"] for r in outlet} == keys, "the outlet got other keys"
        repeated = [r["idempotency_key"] for r in outlet if r["attempts"] != 1 or r["duplicates"]]
        assert not repeated, f"sent more than once: {repeated[:5]}"
        for record in outlet:
            first = payloads.setdefault(record["idempotency_key"], record["payload"])
            assert first == record["payload"], f"{record['idempotency_key']}: payload differs"
        return Run(
            workers=workers,
            round=round_,
            delivered=count,
            seconds=seconds,
            claims_by_owner={row["owner"]: row["n"] for row in claims},
            cpu=cpu,
            waits=waits,
        )
    finally:
        await asyncio.gather(*(stop_worker(p) for p in processes))
        await connection.close()
        await server.drop(name)


def percent(seconds: float, wall: float) -> str:
    return f"{100 * seconds / wall:.0f}%"


def top_waits(waits: Counter[str], n: int = 3) -> str:
    total = sum(waits.values())
    if not total:
        return "no active backend sampled"
    top = ", ".join(f"{what} {100 * k / total:.0f}%" for what, k in waits.most_common(n))
    return f"{top} (of {total})"


def report(
    runs: list[Run],
    count: int,
    concurrency: int,
    batch: int,
    bare_rate: float,
    console: Console,
) -> None:
    cores = os.cpu_count() or 1
    table = Table(
        title=f"`coordhub worker` processes on PostgreSQL, {count} deliveries to the AKP "
        f"simulator per run (concurrency {concurrency} and batch {batch} per worker)",
        caption="seconds: first claim to last DELIVERED. CPU: % of one core over the run, "
        f"per process; machine: busy % of all {cores} cores.",
    )
    columns = (
        "workers",
        "round",
        "seconds",
        "per second",
        "claims per worker",
        "CPU workers",
        "simulator",
        "postgres",
        "others",
        "machine",
    )
    for column in columns:
        table.add_column(column, justify="right")
    for run in sorted(runs, key=lambda r: (r.workers, r.round)):
        cpu = run.cpu
        table.add_row(
            str(run.workers),
            str(run.round),
            f"{run.seconds:.2f}",
            f"{run.rate:.0f}",
            " + ".join(str(n) for n in run.claims_by_owner.values()),
            " + ".join(percent(s, cpu.seconds) for s in cpu.workers),
            percent(cpu.simulator, cpu.seconds),
            percent(cpu.postgres, cpu.seconds) if cpu.postgres is not None else "n/a",
            percent(cpu.others, cpu.seconds),
            percent(cpu.machine_busy, cpu.machine_total),
        )
    console.print(table)

    counts = sorted({r.workers for r in runs})
    rounds = max(r.round for r in runs)
    which = f"median of {rounds} rounds" if rounds > 1 else "one round"

    def median_of(workers: int, value: Callable[[Run], float]) -> float:
        return statistics.median(value(r) for r in runs if r.workers == workers)

    def busy(run: Run) -> float:
        return run.cpu.machine_busy / run.cpu.machine_total

    def others(run: Run) -> float:
        return run.cpu.others / run.cpu.seconds

    def sequence_row(run: Run) -> float:
        total = sum(run.waits.values())
        return run.waits[SEQUENCE_ROW] / total if total else 0.0

    one = median_of(counts[0], lambda r: r.rate)
    summary = Table(
        title=f"Deliveries per second, {count} per run ({which}), beside the bare httpx loop "
        f"(concurrency {concurrency})",
        caption="/ bare: over the bare loop's rate; / fewest: over the rate with "
        f"{counts[0]} worker(s); waits: what the sampled active PostgreSQL backends did "
        "(of how many backend samples).",
    )
    for column in ("sender", "per second", "/ bare", "/ fewest", "machine busy", "waits"):
        summary.add_column(column, justify="left" if column == "waits" else "right")
    summary.add_row("bare httpx loop", f"{bare_rate:.0f}", "1.00", "", "", "")
    for workers in counts:
        rate = median_of(workers, lambda r: r.rate)
        waits: Counter[str] = Counter()
        for run in runs:
            if run.workers == workers:
                waits.update(run.waits)
        summary.add_row(
            f"{workers} worker process{'es' if workers > 1 else ''}",
            f"{rate:.0f}",
            f"{rate / bare_rate:.2f}",
            f"{rate / one:.2f}",
            f"{100 * median_of(workers, busy):.0f}%",
            top_waits(waits),
        )
    console.print(summary)
    console.print(
        "What limits it (medians by worker count "
        + " / ".join(str(k) for k in counts)
        + f"): the machine's {cores} cores were "
        + " / ".join(f"{100 * median_of(k, busy):.0f}%" for k in counts)
        + " busy, of which processes outside this benchmark took "
        + " / ".join(f"{100 * median_of(k, others):.0f}%" for k in counts)
        + f" of one core; active PostgreSQL backends were {SEQUENCE_ROW} in "
        + " / ".join(f"{100 * median_of(k, sequence_row):.0f}%" for k in counts)
        + " of samples (events are numbered after their commit, so writers do not queue on "
        "it). With the cores busy, another worker takes CPU more than it adds sending. See "
        "this module's docstring."
    )


async def measure(
    simulator: Server,
    count: int,
    concurrency: int,
    rounds: int,
    worker_counts: list[int],
    keep: bool,
    console: Console,
) -> None:
    simulator_url = simulator.url
    await simulator.wait_until_up()
    database_url = os.environ.get("COORDHUB_DATABASE_URL", "")
    with tempfile.TemporaryDirectory() as tmp:
        if not is_postgres(database_url):
            settings = bench_settings(f"sqlite://{tmp}/bench.db", simulator_url, concurrency)
            await seed(settings, count, console)
            await worker_against_bare(settings, simulator_url, count, concurrency, console)
            console.print(
                "One worker process beside two: PostgreSQL only (SQLite runs one worker); "
                "set COORDHUB_DATABASE_URL=postgres://USER@HOST:PORT/DB to measure it."
            )
            return
        server = Postgres(database_url)
        try:
            settings = bench_settings(await server.create(TEMPLATE), simulator_url, concurrency)
            await seed(settings, count, console)
            copy = f"{TEMPLATE}_in_process"
            try:
                in_process = bench_settings(
                    await server.create(copy, template=TEMPLATE), simulator_url, concurrency
                )
                _, bare_rate = await worker_against_bare(
                    in_process, simulator_url, count, concurrency, console
                )
            finally:
                await server.drop(copy)
            runs: list[Run] = []
            payloads: dict[str, Any] = {}
            for round_ in range(1, rounds + 1):
                order = worker_counts if round_ % 2 else worker_counts[::-1]
                for workers in order:
                    console.print(f"Round {round_}: {workers} worker process(es)…")
                    runs.append(
                        await run_workers(
                            server,
                            simulator,
                            workers,
                            round_,
                            count,
                            concurrency,
                            Path(tmp),
                            payloads,
                        )
                    )
            report(runs, count, concurrency, settings.delivery_batch, bare_rate, console)
        finally:
            if not keep:
                await server.drop(TEMPLATE)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--deliveries", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=8, help="sends in flight per worker")
    parser.add_argument(
        "--rounds", type=int, default=1, help="PostgreSQL: runs of each worker count (median)"
    )
    parser.add_argument(
        "--workers",
        default="1,2,4",
        help="PostgreSQL: the numbers of `coordhub worker` processes to run, comma-separated",
    )
    parser.add_argument(
        "--keep", action="store_true", help="PostgreSQL: keep the seeded template database"
    )
    args = parser.parse_args()
    simulator = start_server("the simulators", [COORDHUB, "simulate-outlets"])
    try:
        asyncio.run(
            measure(
                simulator,
                args.deliveries,
                args.concurrency,
                args.rounds,
                sorted({int(n) for n in args.workers.split(",")}),
                args.keep,
                console_for_output(),
            )
        )
    finally:
        simulator.stop()


if __name__ == "__main__":
    main()
