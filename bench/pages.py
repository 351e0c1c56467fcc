"""The public record's pages and feeds beside the same bytes served as static files.

On a seeded database (``bench.reads_seed``), ``coordhub serve`` answers each public page; its
body is saved to a folder that ``bench.static_pages`` serves under uvicorn two ways: Starlette's
``StaticFiles`` (the static file the issue names) and the same bytes held in memory and sent as
a plain Starlette ``Response`` (the floor: the least a Python server does to send them). Then,
at each concurrency and for each page, in turn, every server pinned to one CPU and driven by
``bench.load`` from the other: coordhub's full answer (200, from its page cache: what a reader
gets while nothing changes), coordhub's ``304 Not Modified`` to a client that holds the page
(what a browser or proxy revalidating gets), the static file and the bytes in memory. Each
coordhub answer reads the event log's sequence (one primary-key read); the others read nothing.
"rendered ms" is the time of coordhub's first answer of each page, rendered with nothing cached
(for the transparency page, mostly the statistics' six grouped statements).

    python -m bench.pages [--claims 20000] [--seconds 5] [--concurrency 32]
    COORDHUB_DATABASE_URL=postgres://USER@HOST:PORT/DB python -m bench.pages ...
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
from rich.table import Table

from bench import load
from bench.harness import COORDHUB, UNLIMITED, Server, console_for_output, cpus, start_server
from bench.reads_compare import add_load_arguments, wait_until_idle
from bench.reads_ops import detail_claim_id
from bench.reads_seed import prepare, server_url
from coordhub.db import database
from coordhub.models import Institution, Rebuttal
from coordhub.settings import Settings


@dataclass(frozen=True)
class Page:
    name: str
    path: str


async def pages(database_url: str) -> list[Page]:
    """The pages measured: one of each kind, in English (Khmer pages cost the same)."""
    async with database(Settings(database_url=database_url), global_fallback=False):
        claim_id = await detail_claim_id()
        rebuttal = await Rebuttal.filter(claim_id=claim_id).order_by("id").first()
        institution = await Institution.filter(rebuttals__id=rebuttal.id).first()
    assert rebuttal is not None and institution is not None
    return [
        Page("home", "/en/"),
        Page("rebuttal", f"/en/rebuttals/{rebuttal.id}"),
        Page("institution", f"/en/institutions/{institution.slug}"),
        Page("transparency", "/en/transparency"),
        Page("feed", "/en/feed.atom"),
        Page("sitemap", "/sitemap.xml"),
    ]


@contextlib.asynccontextmanager
async def servers(
    database_url: str, measured: list[Page], cpu: int | None
) -> AsyncIterator[tuple[Server, Server, dict[str, httpx.Response]]]:
    """coordhub and the static server, and each page as coordhub first answered it."""
    with tempfile.TemporaryDirectory(prefix="coordhub-pages-") as folder:
        logs, files = Path(folder) / "logs", Path(folder) / "files"
        logs.mkdir()
        files.mkdir()
        env = {
            "COORDHUB_DATABASE_URL": database_url,
            "COORDHUB_EMBEDDED_WORKER": "false",
            "COORDHUB_ENVIRONMENT": "production",
            "COORDHUB_LOG_LEVEL": "warning",
            **UNLIMITED,
        }
        coordhub = start_server("coordhub", [COORDHUB, "serve"], env=env, cpu=cpu, logs=logs)
        started = [coordhub]
        try:
            await coordhub.wait_until_up()
            answers = {}
            async with httpx.AsyncClient(base_url=coordhub.url, timeout=60) as http:
                for page in measured:
                    response = await http.get(page.path)  # rendered: nothing is cached yet
                    if response.status_code != 200:
                        raise RuntimeError(f"{page.path} answered {response.status_code}")
                    (files / page.name).write_bytes(response.content)
                    answers[page.name] = response
            static = start_server(
                "static",
                [sys.executable, "-m", "bench.static_pages", str(files)],
                cpu=cpu,
                logs=logs,
            )
            started.append(static)
            await static.wait_until_up()
            yield coordhub, static, answers
        finally:
            for server in started:
                server.stop()


@dataclass(frozen=True)
class Row:
    page: Page
    concurrency: int
    size: int
    #: The first answer's time, seen by the client: rendered, nothing cached.
    rendered_ms: float
    full: load.Result
    revalidated: load.Result
    static: load.Result
    memory: load.Result


async def main(args: argparse.Namespace) -> None:
    console = console_for_output()
    url, _ = await prepare(args.claims, args.fresh, console)
    server_cpu, load_cpu = cpus(console)
    measured = await pages(url)
    levels = sorted({args.concurrency, 1}, reverse=True)
    rows: list[Row] = []
    async with servers(url, measured, server_cpu) as (coordhub, static, answers):
        for concurrency in levels:
            for page in measured:
                runs = {
                    "full": load.Request(f"{coordhub.url}{page.path}"),
                    "revalidated": load.Request(
                        f"{coordhub.url}{page.path}",
                        headers={"If-None-Match": answers[page.name].headers["etag"]},
                    ),
                    "static": load.Request(f"{static.url}/files/{page.name}"),
                    "memory": load.Request(f"{static.url}/memory/{page.name}"),
                }
                results = {}
                for kind, request in runs.items():
                    await wait_until_idle(coordhub, static)
                    results[kind] = await asyncio.to_thread(
                        load.measure,
                        request,
                        concurrency,
                        args.warmup,
                        args.seconds,
                        load_cpu,
                        args.client,
                    )
                answer = answers[page.name]
                rendered_ms = answer.elapsed.total_seconds() * 1000
                row = Row(page, concurrency, len(answer.content), rendered_ms, **results)
                console.print(
                    f"  {page.name:<12} c={concurrency:<3} coordhub {row.full.rate:8.1f} req/s, "
                    f"304 {row.revalidated.rate:8.1f}, static file {row.static.rate:8.1f}, "
                    f"bytes in memory {row.memory.rate:8.1f}"
                )
                rows.append(row)
    database_name = "PostgreSQL" if server_url() else "SQLite"
    for concurrency in levels:
        table = Table(
            title=f"Public pages, {database_name}, {args.claims:,} claims, "
            f"concurrency {concurrency}"
        )
        for column in (
            "page",
            "bytes",
            "rendered ms",
            "coordhub req/s",
            "p50 / p99 ms",
            "304 req/s",
            "static file req/s",
            "memory req/s",
            "coordhub / static",
            "coordhub / memory",
            "304 / memory",
        ):
            table.add_column(column, justify="left" if column == "page" else "right")
        for row in (r for r in rows if r.concurrency == concurrency):
            errors = sum(r.errors for r in (row.full, row.revalidated, row.static, row.memory))
            table.add_row(
                row.page.name + (f" ({errors} errors)" if errors else ""),
                f"{row.size:,}",
                f"{row.rendered_ms:.0f}",
                f"{row.full.rate:,.0f}",
                f"{row.full.p50_ms:.1f} / {row.full.p99_ms:.1f}",
                f"{row.revalidated.rate:,.0f}",
                f"{row.static.rate:,.0f}",
                f"{row.memory.rate:,.0f}",
                f"{row.full.rate / row.static.rate:.2f}",
                f"{row.full.rate / row.memory.rate:.2f}",
                f"{row.revalidated.rate / row.memory.rate:.2f}",
            )
        console.print(table)
    console.print(
        "static file = the same bytes from Starlette's StaticFiles under uvicorn; memory = the "
        "same bytes held in memory, sent as a Starlette Response; both measured in this run"
    )


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--claims", type=int, default=20_000)
    parser.add_argument("--concurrency", type=int, default=32, help="clients (and also 1)")
    add_load_arguments(parser)
    return parser.parse_args()


if __name__ == "__main__":
    asyncio.run(main(parse_args()))
