"""Read throughput and latency of the public GraphQL hot paths, beside a plain reference.

Front-ends poll and page through claims and rebuttals far more often than anyone writes. This
seeds a database of ``--claims`` claims (default 20,000) with bulk inserts through coordhub's
own Tortoise models (``bench.reads_seed``), starts ``coordhub serve`` and ``bench.reference``
(plain Starlette, raw SQL, orjson, no ORM and no GraphQL) on it, checks that both return
byte-for-byte the same body for each operation (``bench.reads_ops``), then drives both with the
same load and prints, per operation, req/s, p50, p99, SQL statements per request and the
coordhub/reference throughput ratio.

    python -m bench.reads [--claims 20000] [--seconds 5] [--concurrency 32]
                          [--operations feed,detail,rebuttals,filtered,search]
                          [--response-cache on|off] [--fresh] [--seed-only]
    COORDHUB_DATABASE_URL=postgres://USER@HOST:PORT/DB python -m bench.reads ...
    python -m bench.reads --scale 10000,1000000      # latency against data size: bench.scale

Operations: see ``bench.reads_ops`` (``search-rare`` is there too, outside the default set).

Databases (``bench.reads_seed``): SQLite by default, a cached file under
``/tmp/coordhub-bench``; with ``COORDHUB_DATABASE_URL`` naming a PostgreSQL server, the
database ``coordhub_bench_<claims>`` on it. A seeded database is reused by later runs of the
same size (``--fresh`` seeds again); migrations added since it was seeded are applied to it
first. ``--seed-only`` prepares the database and stops (to seed a million claims ahead of time);
``--drop`` drops the PostgreSQL database when the run ends.

Response cache. coordhub may serve repeated public queries from memory (its
``response_cache_size`` setting). Every request of a run is the same document, so with the
cache on the run measures cache hits; ``--response-cache off`` (``COORDHUB_RESPONSE_CACHE_SIZE=0``
for the server and the in-process app) measures executing the query. The table title says which.

Measurement. Both servers run under uvicorn with logging quiet (``coordhub serve`` with
``COORDHUB_LOG_LEVEL=warning``, ``python -m bench.reference`` without access log), pinned to
CPU 0 with ``taskset``; the load generator (``bench.load``, its own process) is pinned to
CPU 1. For each operation, concurrency (``--concurrency`` and 1) and server in turn:
``--warmup`` seconds on the run's keep-alive connections, then ``--seconds`` measured; the next
run starts once both servers are idle. ``--client raw`` (default) is a lean asyncio HTTP/1.1
client, ``httpx`` an httpx.AsyncClient pool, ``wrk`` the C tool (see ``bench.load``).
SQL statements per request are counted in this process: coordhub's app over
``httpx.ASGITransport`` with the ``tortoise.db_client`` logger captured, the reference through
its own statement counter. The database server (PostgreSQL) is not pinned and shares the
machine's cores with the rest: read ratios, not absolute numbers.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import orjson
from rich.console import Console
from rich.table import Table

from bench import load
from bench.reads_ops import (
    DEFAULT_OPERATIONS,
    Operation,
    Probe,
    coordhub_in_process,
    operations,
    reference_in_process,
)
from bench.reads_seed import ROOT, drop_postgres_database, prepare, server_url

COORDHUB = str(Path(sys.executable).parent / "coordhub")
RESPONSE_CACHE = "COORDHUB_RESPONSE_CACHE_SIZE"


@dataclass
class Server:
    name: str
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def spawn(
    name: str, command: list[str], env: dict[str, str], cpu: int | None, logs: Path
) -> Server:
    port = free_port()
    command = [*command, "--port", str(port)]
    if cpu is not None:
        command = ["taskset", "-c", str(cpu), *command]
    log = logs / f"{name}.log"
    with log.open("wb") as errors:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=subprocess.DEVNULL,
            stderr=errors,  # warnings and errors, shown if the server does not start
        )
    return Server(name, f"http://127.0.0.1:{port}", process, log)


async def wait_until_up(server: Server) -> None:
    deadline = time.monotonic() + 60
    async with httpx.AsyncClient(timeout=2) as http:
        while True:
            with contextlib.suppress(httpx.TransportError):
                if (await http.get(f"{server.url}/healthz")).status_code == 200:
                    return
            if server.process.poll() is not None or time.monotonic() > deadline:
                tail = server.log.read_text(errors="replace")[-3000:]
                raise RuntimeError(f"{server.name} did not start:\n{tail}")
            await asyncio.sleep(0.1)


@contextlib.asynccontextmanager
async def servers(database_url: str, cpu: int | None) -> AsyncIterator[tuple[Server, Server]]:
    """``coordhub serve`` and the reference, both on ``database_url``, pinned to ``cpu``.

    The rest of coordhub's configuration comes from this process's environment (e.g.
    ``COORDHUB_RESPONSE_CACHE_SIZE``, which ``--response-cache off`` sets to 0).
    """
    with tempfile.TemporaryDirectory(prefix="coordhub-bench-") as logs:
        env = {
            "COORDHUB_DATABASE_URL": database_url,
            "COORDHUB_EMBEDDED_WORKER": "false",
            "COORDHUB_ENVIRONMENT": "production",
            # No access log or info lines: the reference logs nothing per request either.
            "COORDHUB_LOG_LEVEL": "warning",
        }
        started: list[Server] = []
        try:
            started.append(spawn("coordhub", [COORDHUB, "serve"], env, cpu, Path(logs)))
            started.append(
                spawn("reference", [sys.executable, "-m", "bench.reference"], env, cpu, Path(logs))
            )
            for server in started:
                await wait_until_up(server)
            yield started[0], started[1]
        finally:
            for server in started:
                server.stop()


def first_difference(a: bytes, b: bytes) -> str:
    at = next((i for i in range(min(len(a), len(b))) if a[i] != b[i]), min(len(a), len(b)))
    start = max(0, at - 120)
    return (
        f"bodies differ at byte {at} ({len(a)} vs {len(b)} bytes):\n"
        f"  coordhub:  …{a[start : at + 120].decode(errors='replace')}\n"
        f"  reference: …{b[start : at + 120].decode(errors='replace')}"
    )


async def guard(
    coordhub: Server,
    reference: Server,
    ops: dict[str, Operation],
    selected: list[str],
    in_process: dict[str, Probe],
) -> dict[str, int]:
    """Assert both servers return the same, non-empty, error-free body; their sizes."""
    sizes = {}
    async with httpx.AsyncClient(timeout=60) as http:
        for name in selected:
            op = ops[name]
            ours = await http.post(
                f"{coordhub.url}/graphql",
                content=op.graphql_body,
                headers={"content-type": "application/json"},
            )
            theirs = await http.get(f"{reference.url}{op.path}")
            body = ours.content
            if ours.status_code != 200 or theirs.status_code != 200:
                raise SystemExit(f"{name}: status {ours.status_code} / {theirs.status_code}")
            parsed = orjson.loads(body)
            if "errors" in parsed or b'"edges":[]' in body or parsed["data"].get("node", 1) is None:
                raise SystemExit(f"{name}: coordhub answered nothing to compare: {body[:500]!r}")
            if body != theirs.content:
                raise SystemExit(f"{name}: {first_difference(body, theirs.content)}")
            if body != in_process[name].body:
                raise SystemExit(f"{name}: the server and the in-process app disagree")
            sizes[name] = len(body)
    return sizes


@dataclass
class Row:
    op: Operation
    concurrency: int
    coordhub: load.Result
    reference: load.Result


def cpu_ticks(pid: int) -> int:
    """User plus system CPU time of a process so far, in clock ticks."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


async def wait_idle(servers: list[Server], limit: float = 300) -> None:
    """Until no server used more than a tick of CPU in 0.2 s (leftover work would otherwise
    be charged to the next run, which may be the other server's: both share one CPU)."""
    if not sys.platform.startswith("linux"):  # reads /proc
        return
    deadline = time.monotonic() + limit
    before = [cpu_ticks(s.process.pid) for s in servers]
    while time.monotonic() < deadline:
        await asyncio.sleep(0.2)
        after = [cpu_ticks(s.process.pid) for s in servers]
        if all(b - a <= 1 for a, b in zip(before, after, strict=True)):
            return
        before = after


async def measure(
    coordhub: Server,
    reference: Server,
    ops: dict[str, Operation],
    selected: list[str],
    levels: list[int],
    args: argparse.Namespace,
    cpu: int | None,
    console: Console,
) -> list[Row]:
    rows = []
    for name in selected:
        op = ops[name]
        requests = {
            "coordhub": load.Request(
                url=f"{coordhub.url}/graphql",
                method="POST",
                body=op.graphql_body,
                headers={"Content-Type": "application/json"},
            ),
            "reference": load.Request(url=f"{reference.url}{op.path}"),
        }
        for concurrency in levels:
            results = {}
            for system, request in requests.items():
                await wait_idle([coordhub, reference])
                results[system] = await asyncio.to_thread(
                    load.measure, request, concurrency, args.warmup, args.seconds, cpu, args.client
                )
            row = Row(op, concurrency, results["coordhub"], results["reference"])
            console.print(
                f"  {name:<10} c={concurrency:<3} coordhub {row.coordhub.rate:8.1f} req/s "
                f"({row.coordhub.completed} done)  reference {row.reference.rate:8.1f} req/s "
                f"({row.reference.completed} done)"
            )
            rows.append(row)
    return rows


def render(
    rows: list[Row],
    statements: dict[str, tuple[int, int]],
    sizes: dict[str, int],
    title: str,
    console: Console,
) -> None:
    for concurrency in sorted({row.concurrency for row in rows}, reverse=True):
        table = Table(title=f"{title}, concurrency {concurrency}")
        table.add_column("operation")
        for column in (
            "body bytes",
            "coordhub req/s",
            "reference req/s",
            "ratio",
            "coordhub p50 / p99 ms",
            "reference p50 / p99 ms",
            "SQL per request coordhub / ref",
        ):
            table.add_column(column, justify="right")
        for row in (r for r in rows if r.concurrency == concurrency):
            ours, theirs = row.coordhub, row.reference
            errors = ours.errors + theirs.errors
            table.add_row(
                row.op.title + (f" [red]({errors} errors)[/red]" if errors else ""),
                f"{sizes[row.op.name]:,}",
                f"{ours.rate:,.0f}",
                f"{theirs.rate:,.0f}",
                f"[bold]{ours.rate / theirs.rate:.2f}[/bold]" if theirs.rate else "-",
                f"{ours.p50_ms:.1f} / {ours.p99_ms:.1f}",
                f"{theirs.p50_ms:.1f} / {theirs.p99_ms:.1f}",
                "{} / {}".format(*statements[row.op.name]),
            )
        console.print(table)
    console.print("ratio = coordhub req/s / reference req/s (1.00: as fast as plain SQL + orjson)")


def console_for_output() -> Console:
    # Wide enough for the tables when the output is not a terminal (rich then assumes 80).
    return Console() if sys.stdout.isatty() else Console(width=150)


def selected_operations(text: str) -> list[str]:
    names = list(operations(0))
    selected = [name.strip() for name in text.split(",") if name.strip()]
    unknown = set(selected) - set(names)
    if unknown:
        raise SystemExit(f"unknown operations: {', '.join(sorted(unknown))} (of {names})")
    return selected


def cpus(console: Console) -> tuple[int | None, int | None]:
    """(the servers' CPU, the load generator's CPU), or Nones when nothing can be pinned."""
    if (os.cpu_count() or 1) >= 2 and shutil.which("taskset") is not None:
        return 0, 1
    console.print("[yellow]fewer than 2 CPUs or no taskset: nothing is pinned[/yellow]")
    return None, None


def apply_response_cache(choice: str) -> str:
    """Set the environment the servers and the in-process app read; a label for titles."""
    if choice == "off":
        os.environ[RESPONSE_CACHE] = "0"
        return "response cache off"
    if os.environ.get(RESPONSE_CACHE) == "0":
        os.environ.pop(RESPONSE_CACHE)
    return "response cache on" if choice == "on" else "response cache as configured"


async def main(args: argparse.Namespace) -> None:
    console = console_for_output()
    if args.scale:
        from bench import scale

        await scale.main(scale.args_from_reads(args), console)
        return
    selected = selected_operations(args.operations)
    cache = apply_response_cache(args.response_cache)
    database_url, _ = await prepare(args.claims, args.fresh, console)
    if args.seed_only:
        return
    server_cpu, load_cpu = cpus(console)
    postgres = server_url()
    try:
        ops, ours = await coordhub_in_process(database_url, selected)
        theirs = await reference_in_process(database_url, ops, selected)
        statements = {name: (ours[name].statements, theirs[name].statements) for name in selected}
        levels = sorted({args.concurrency, 1}, reverse=True)
        async with servers(database_url, server_cpu) as (coordhub, reference):
            sizes = await guard(coordhub, reference, ops, selected, ours)
            console.print(
                f"Bodies identical for {', '.join(selected)}; measuring with the {args.client} "
                f"client, servers on CPU {server_cpu}, load on CPU {load_cpu}, "
                f"{args.seconds:g} s per system after {args.warmup:g} s of warm-up ({cache})"
            )
            rows = await measure(
                coordhub, reference, ops, selected, levels, args, load_cpu, console
            )
    finally:
        if postgres and args.drop:
            await drop_postgres_database(postgres, args.claims)
    dialect = "PostgreSQL" if postgres else "SQLite"
    title = f"Public reads, {dialect}, {args.claims:,} claims, {cache}"
    render(rows, statements, sizes, title, console)


def add_load_arguments(parser: argparse.ArgumentParser) -> None:
    """The options ``bench.reads`` and ``bench.scale`` share."""
    parser.add_argument("--seconds", type=float, default=5.0, help="measured seconds per run")
    parser.add_argument("--warmup", type=float, default=1.0, help="warm-up seconds per run")
    parser.add_argument(
        "--client", choices=load.CLIENTS, default="raw", help="load generator (see bench.load)"
    )
    parser.add_argument("--fresh", action="store_true", help="seed again, ignoring the cache")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--claims", type=int, default=20_000, help="claims to seed")
    parser.add_argument("--concurrency", type=int, default=32, help="besides concurrency 1")
    parser.add_argument(
        "--operations",
        default=",".join(DEFAULT_OPERATIONS),
        help=f"comma-separated subset of {','.join(operations(0))}",
    )
    add_load_arguments(parser)
    parser.add_argument(
        "--response-cache",
        choices=("default", "on", "off"),
        default="default",
        help="coordhub's public response cache: as configured (default), on, or off "
        f"({RESPONSE_CACHE}=0); repeated identical requests measure cache hits when it is on",
    )
    parser.add_argument(
        "--seed-only", action="store_true", help="prepare (seed, migrate) the database and stop"
    )
    parser.add_argument(
        "--drop", action="store_true", help="PostgreSQL: drop coordhub_bench_<claims> at the end"
    )
    parser.add_argument(
        "--scale",
        metavar="SIZES",
        help="comma-separated claim counts, e.g. 10000,1000000: run bench.scale instead "
        "(p50 latency per operation at each size and the ratio; see python -m bench.scale -h)",
    )
    return parser.parse_args()


if __name__ == "__main__":
    asyncio.run(main(parse_args()))
