"""Read throughput and latency of the GraphQL hot paths, beside a plain reference.

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
                          [--as ROLE [--institution SLUG]] [--peer postgraphile]
    COORDHUB_DATABASE_URL=postgres://USER@HOST:PORT/DB python -m bench.reads ...
    python -m bench.reads --scale 10000,1000000      # latency against data size: bench.scale

Operations: see ``bench.reads_ops`` (``search-rare`` is there too, outside the default set).

Callers (``--as``, ``bench.reads_roles``). ``public`` (the default) sends no token. Any other
role (``coordinator``, ``observer``, ``editor`` or ``approver`` of ``--institution``,
``reporter``, ``service``) signs every request in with a bearer token of an account of that
role, to coordhub and to the reference alike: the public response cache is bypassed, and both
apply that role's read rules (the reference in its SQL, ``bench.reference_viewer``), so the
byte-for-byte check still holds; the token lookup counts in both servers' statements.

Peer (``--peer postgraphile``, ``bench.peer_postgraphile``). PostGraphile 4, fetched with npx,
runs on the same PostgreSQL database beside the other two, pinned and loaded the same way, with
an equivalent document for each operation it can answer (not ``filtered``); its answers,
reshaped into coordhub's shape, must carry the same ids and values. It adds req/s, p50 and its
ratio to the reference to the table. Skipped with a yellow line on SQLite, for a signed-in role
(PostGraphile has no coordhub read rules) or without Node.js/npx.

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
``COORDHUB_LOG_LEVEL=warning``, ``python -m bench.reference`` without access log), pinned to CPU
0 with ``taskset`` (PostGraphile too, with ``--peer``, without its query log); the load
generator (``bench.load``, its own process) is pinned to CPU 1. For each operation, concurrency
(``--concurrency`` and 1) and server in turn: ``--warmup`` seconds on the run's keep-alive
connections, then ``--seconds`` measured; the next run starts once both servers are idle.
``--client raw`` (default) is a lean asyncio HTTP/1.1 client, ``httpx`` an httpx.AsyncClient
pool, ``wrk`` the C tool (see ``bench.load``). SQL statements per request are counted in this
process: coordhub's app over ``httpx.ASGITransport`` with the ``tortoise.db_client`` logger
captured, the reference through its own statement counter. The database server (PostgreSQL) is
not pinned and shares the machine's cores with the rest: read ratios, not absolute numbers.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib

from rich.console import Console
from rich.table import Table

from bench import peer_postgraphile, scale
from bench.harness import console_for_output, cpus
from bench.reads_compare import (
    RESPONSE_CACHE,
    Peer,
    Row,
    add_load_arguments,
    apply_response_cache,
    guard,
    measure,
    selected_operations,
    servers,
)
from bench.reads_ops import (
    DEFAULT_OPERATIONS,
    coordhub_in_process,
    operations,
    reference_in_process,
)
from bench.reads_roles import DEFAULT_INSTITUTION, INSTITUTION_ROLES, ROLES, sign_in
from bench.reads_seed import drop_postgres_database, prepare, server_url


def render(
    rows: list[Row],
    statements: dict[str, tuple[int, int]],
    sizes: dict[str, int],
    title: str,
    console: Console,
    peer: str | None = None,
) -> None:
    """One table per concurrency; with ``peer`` (its name), three more columns for it."""
    for concurrency in sorted({row.concurrency for row in rows}, reverse=True):
        table = Table(title=f"{title}, concurrency {concurrency}")
        table.add_column("operation")
        columns = [
            "body bytes",
            "coordhub req/s",
            "reference req/s",
            "ratio",
            "coordhub p50 / p99 ms",
            "reference p50 / p99 ms",
            "SQL per request coordhub / ref",
        ]
        if peer:
            columns += [f"{peer} req/s", f"{peer} p50 ms", f"{peer} / ref"]
        for column in columns:
            table.add_column(column, justify="right")
        for row in (r for r in rows if r.concurrency == concurrency):
            ours, theirs, other = row.coordhub, row.reference, row.peer
            errors = ours.errors + theirs.errors + (other.errors if other else 0)
            cells = [
                row.op.title + (f" [red]({errors} errors)[/red]" if errors else ""),
                f"{sizes[row.op.name]:,}",
                f"{ours.rate:,.0f}",
                f"{theirs.rate:,.0f}",
                f"[bold]{ours.rate / theirs.rate:.2f}[/bold]" if theirs.rate else "-",
                f"{ours.p50_ms:.1f} / {ours.p99_ms:.1f}",
                f"{theirs.p50_ms:.1f} / {theirs.p99_ms:.1f}",
                "{} / {}".format(*statements[row.op.name]),
            ]
            if peer and other is not None:
                ratio = f"{other.rate / theirs.rate:.2f}" if theirs.rate else "-"
                cells += [f"{other.rate:,.0f}", f"{other.p50_ms:.1f}", ratio]
            elif peer:
                cells += ["-", "-", "-"]
            table.add_row(*cells)
        if peer:  # three more columns: wider than the 150 rich is given off a terminal
            console.width = max(console.width, 180)
        console.print(table)
    console.print("ratio = coordhub req/s / reference req/s (1.00: as fast as plain SQL + orjson)")
    if peer:
        console.print(f"{peer} / ref = {peer} req/s / reference req/s; - where it has no answer")


async def main(args: argparse.Namespace) -> None:
    console = console_for_output()
    if args.scale:
        await scale.main(scale.args_from_reads(args), console)
        return
    selected = selected_operations(args.operations)
    cache = apply_response_cache(args.response_cache)
    database_url, _ = await prepare(args.claims, args.fresh, console)
    if args.seed_only:
        return
    caller = await sign_in(database_url, args.role, args.institution)
    if not caller.public:
        cache = "response cache bypassed (signed in)"
    signed = caller.headers
    server_cpu, load_cpu = cpus(console)
    postgres = server_url()
    try:
        ops, ours = await coordhub_in_process(database_url, selected, signed)
        theirs = await reference_in_process(database_url, ops, selected, signed)
        statements = {name: (ours[name].statements, theirs[name].statements) for name in selected}
        levels = sorted({args.concurrency, 1}, reverse=True)
        binary = postgraphile(args, bool(postgres), caller.public, selected, console)
        async with contextlib.AsyncExitStack() as stack:
            coordhub, reference = await stack.enter_async_context(servers(database_url, server_cpu))
            sizes = await guard(coordhub, reference, ops, selected, ours, signed)
            peer = None
            if binary:
                server = await stack.enter_async_context(
                    peer_postgraphile.running(binary, database_url, server_cpu)
                )
                documents = peer_postgraphile.peer_operations(ops, selected)
                await peer_postgraphile.check(server, documents, ours)
                console.print(
                    f"PostGraphile answers {', '.join(documents)} with the same information"
                )
                requests = {
                    name: peer_postgraphile.request(server, doc) for name, doc in documents.items()
                }
                peer = Peer(server, requests)
            console.print(
                f"Bodies identical for {', '.join(selected)} as {caller.label}; measuring with "
                f"the {args.client} client, servers on CPU {server_cpu}, load on CPU "
                f"{load_cpu}, {args.seconds:g} s per system after {args.warmup:g} s of warm-up "
                f"({cache})"
            )
            rows = await measure(
                coordhub, reference, ops, selected, levels, args, load_cpu, console, signed, peer
            )
    finally:
        if postgres and args.drop:
            await drop_postgres_database(postgres, args.claims)
    dialect = "PostgreSQL" if postgres else "SQLite"
    who = "Public reads" if caller.public else f"Reads as {caller.label}"
    title = f"{who}, {dialect}, {args.claims:,} claims, {cache}"
    render(rows, statements, sizes, title, console, peer_postgraphile.NAME if binary else None)


def postgraphile(
    args: argparse.Namespace, postgres: bool, public: bool, selected: list[str], console: Console
) -> str | None:
    """With ``--peer postgraphile``: its binary (npx fetches it), or None with a yellow line
    saying why it is left out; the operations it cannot answer, each with a yellow line."""
    if args.peer != peer_postgraphile.NAME:
        return None
    reason = peer_postgraphile.skip_reason(postgres, public)
    if reason is None:
        try:
            binary, version = peer_postgraphile.resolve()
        except RuntimeError as exc:
            reason = str(exc)
    if reason is not None:
        console.print(f"[yellow]--peer postgraphile skipped: {reason}[/yellow]")
        return None
    console.print(f"PostGraphile {version} ({binary})")
    for name in selected:
        if name in peer_postgraphile.UNANSWERED:
            why = peer_postgraphile.UNANSWERED[name]
            console.print(f"[yellow]PostGraphile does not answer {name}: {why}[/yellow]")
    return binary


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
        "--as",
        dest="role",
        choices=ROLES,
        default="public",
        help="read as this role, signed in with a bearer token (bypassing the public response "
        "cache); public (default) sends no token; see bench.reads_roles",
    )
    parser.add_argument(
        "--peer",
        choices=(peer_postgraphile.NAME,),
        help="also run PostGraphile 4 (fetched with npx) on the same PostgreSQL database, with "
        "equivalent documents, as a third column (public reads only; see bench.peer_postgraphile)",
    )
    parser.add_argument(
        "--institution",
        default=DEFAULT_INSTITUTION,
        help=f"the institution of --as {' or '.join(INSTITUTION_ROLES)} (default "
        f"{DEFAULT_INSTITUTION})",
    )
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
