"""How read latency grows with data: p50 per operation at several database sizes, and the ratio.

Issue #6 asks that latency at 1,000,000 claims stay within 1.5x of latency at 20,000 for every
read ``bench.reads`` measures; issue #5 asks for the claims list at 10,000 and 1,000,000. For
each size in turn this prepares the seeded database (``bench.reads_seed``: cached, migrated
forward), starts ``coordhub serve`` and ``bench.reference`` on it, checks their bodies are
identical, and measures each operation at concurrency 1 (one request at a time: latency, not
queueing), then prints per operation the p50 of coordhub and of the reference at each size and
the ratio of the largest size to ``--base`` (20,000 if measured, else the smallest; red above
1.5), and the SQL statements per request (which must not grow with the data).

    python -m bench.scale --sizes 20000,1000000
    COORDHUB_DATABASE_URL=postgres://root@127.0.0.1:5432/postgres \\
        python -m bench.scale --sizes 10000,20000,1000000 --seconds 5 --explain
    python -m bench.reads --scale 10000,1000000       # the same, from bench.reads

Seeding a million claims takes a while (about 6 minutes on PostgreSQL here); do it ahead with
``python -m bench.reads --claims 1000000 --seed-only``.

The response cache is off by default (``COORDHUB_RESPONSE_CACHE_SIZE=0``): with it on, every
repeated request is a hit and the size of the data does not show. ``--explain`` (PostgreSQL)
prints ``EXPLAIN (ANALYZE, BUFFERS)`` of every statement coordhub sends for one request of each
operation at each size: the plans show whether a cost depends on the table's size.

Figures from a shared machine are noisy (the database server is not pinned); compare ratios
measured in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import math
from dataclasses import dataclass

from rich.console import Console
from rich.table import Table

from bench.harness import console_for_output, cpus
from bench.reads_compare import (
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
    explain,
    operations,
    reference_in_process,
)
from bench.reads_seed import prepare, server_url

#: The issue's five, and the rare search that shows what the text index is for.
SCALE_OPERATIONS = [*DEFAULT_OPERATIONS, "search-rare"]
LIMIT = 1.5


@dataclass
class Point:
    """One operation at one size."""

    coordhub_p50: float
    coordhub_p99: float
    reference_p50: float
    reference_p99: float
    statements: int
    errors: int


async def measure_size(
    count: int, selected: list[str], args: argparse.Namespace, console: Console
) -> dict[str, Point]:
    database_url, _ = await prepare(count, args.fresh, console)
    server_cpu, load_cpu = cpus(console)
    ops, ours = await coordhub_in_process(database_url, selected)
    await reference_in_process(database_url, ops, selected)  # warms its statements too
    if args.explain:
        if server_url() is None:
            console.print("[yellow]--explain: PostgreSQL only[/yellow]")
        else:
            for name in selected:
                console.print(f"[bold]EXPLAIN {name} at {count:,} claims[/bold]")
                for line in await explain(database_url, ours[name].sent):
                    console.print(line, markup=False, highlight=False)
    async with servers(database_url, server_cpu) as (coordhub, reference):
        await guard(coordhub, reference, ops, selected, ours)
        rows = await measure(coordhub, reference, ops, selected, [1], args, load_cpu, console)
    return {
        row.op.name: Point(
            row.coordhub.p50_ms,
            row.coordhub.p99_ms,
            row.reference.p50_ms,
            row.reference.p99_ms,
            ours[row.op.name].statements,
            row.coordhub.errors + row.reference.errors,
        )
        for row in rows
    }


def short(count: int) -> str:
    """10000 -> 10k, 1000000 -> 1M."""
    for unit, size in (("M", 1_000_000), ("k", 1_000)):
        if count >= size and count % size == 0:
            return f"{count // size}{unit}"
    return f"{count:,}"


def ratio_cell(large: float, small: float) -> str:
    if not small or math.isnan(small) or math.isnan(large):
        return "-"
    ratio = large / small
    colour = "red" if ratio > LIMIT else "green"
    return f"[{colour}]{ratio:.2f}[/{colour}]"


def render(
    sizes: list[int],
    base: int,
    points: dict[int, dict[str, Point]],
    selected: list[str],
    title: str,
    console: Console,
) -> None:
    titles = {name: op.title for name, op in operations(0).items()}
    largest = sizes[-1]
    table = Table(title=title)
    table.add_column("operation")
    for system in ("coordhub", "reference"):
        for size in sizes:
            table.add_column(f"{system[:5]}\n{short(size)}", justify="right")
        table.add_column(f"{system[:5]}\n{short(largest)}/{short(base)}", justify="right")
    table.add_column("SQL per\nrequest", justify="right")
    for name in selected:
        at = {size: points[size][name] for size in sizes}
        errors = sum(point.errors for point in at.values())
        statements = sorted({point.statements for point in at.values()})
        table.add_row(
            titles[name] + (f" [red]({errors} errors)[/red]" if errors else ""),
            *[f"{at[size].coordhub_p50:.2f}" for size in sizes],
            ratio_cell(at[largest].coordhub_p50, at[base].coordhub_p50),
            *[f"{at[size].reference_p50:.2f}" for size in sizes],
            ratio_cell(at[largest].reference_p50, at[base].reference_p50),
            " / ".join(str(point.statements) for point in at.values())
            if len(statements) > 1
            else str(statements[0]),
        )
    console.print(table)
    console.print(
        f"p50 latency in ms at concurrency 1 (coord = coordhub, refer = bench.reference); "
        f"ratio = p50 at {largest:,} claims / p50 at {base:,} (issue #6: at most {LIMIT}); "
        "SQL per request shown per size only where it differs"
    )


async def main(args: argparse.Namespace, console: Console | None = None) -> None:
    console = console or console_for_output()
    sizes = sorted({int(size) for size in args.sizes.split(",") if size.strip()})
    if len(sizes) < 2:
        raise SystemExit("--sizes needs at least two claim counts, e.g. 20000,1000000")
    selected = selected_operations(args.operations)
    cache = apply_response_cache(args.response_cache)
    base = args.base or (20_000 if 20_000 in sizes[:-1] else sizes[0])
    if base not in sizes:
        raise SystemExit(f"--base {base} is not one of --sizes")
    points = {}
    for count in sizes:
        console.print(f"[bold]— {count:,} claims —[/bold]")
        points[count] = await measure_size(count, selected, args, console)
    dialect = "PostgreSQL" if server_url() else "SQLite"
    title = f"Read latency against data size, {dialect}, {cache}"
    render(sizes, base, points, selected, title, console)


def args_from_reads(args: argparse.Namespace) -> argparse.Namespace:
    """``bench.reads --scale SIZES ...`` as ``bench.scale`` arguments."""
    default = ",".join(DEFAULT_OPERATIONS)
    return argparse.Namespace(
        sizes=args.scale,
        operations=",".join(SCALE_OPERATIONS) if args.operations == default else args.operations,
        seconds=args.seconds,
        warmup=args.warmup,
        client=args.client,
        fresh=args.fresh,
        response_cache="off" if args.response_cache == "default" else args.response_cache,
        explain=False,
        base=None,
    )


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument(
        "--sizes", default="20000,1000000", help="comma-separated claim counts (%(default)s)"
    )
    parser.add_argument(
        "--operations",
        default=",".join(SCALE_OPERATIONS),
        help=f"comma-separated subset of {','.join(operations(0))}",
    )
    parser.add_argument(
        "--base",
        type=int,
        help="the size ratios are taken against (default: 20000 if measured and not the largest, "
        "else the smallest)",
    )
    add_load_arguments(parser)
    parser.add_argument(
        "--response-cache",
        choices=("default", "on", "off"),
        default="off",
        help="coordhub's public response cache (default: off, to measure the queries)",
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help="PostgreSQL: print EXPLAIN (ANALYZE, BUFFERS) of coordhub's statements at each size",
    )
    return parser.parse_args()


if __name__ == "__main__":
    asyncio.run(main(parse_args()))
