"""coordhub and ``bench.reference`` side by side on one database: what ``bench.reads``,
``bench.scale`` and ``bench.freshness`` share.

``servers`` starts ``coordhub serve`` and the reference (pinned to one CPU, quiet), ``guard``
checks that both return the same body for each operation, ``measure`` drives both with the same
load (``bench.load``) at each concurrency. The options these benchmarks share are here too.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import orjson
from rich.console import Console

from bench import load
from bench.harness import COORDHUB, UNLIMITED, Server, start_server, wait_idle
from bench.reads_ops import Operation, Probe, operations

RESPONSE_CACHE = "COORDHUB_RESPONSE_CACHE_SIZE"


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
            **UNLIMITED,
        }
        commands = {
            "coordhub": [COORDHUB, "serve"],
            "reference": [sys.executable, "-m", "bench.reference"],
        }
        started: list[Server] = []
        try:
            for name, command in commands.items():
                started.append(start_server(name, command, env=env, cpu=cpu, logs=Path(logs)))
            for server in started:
                await server.wait_until_up()
            yield started[0], started[1]
        finally:
            for server in started:
                server.stop()


def requests(
    coordhub: Server, reference: Server, op: Operation, signed: dict[str, str] | None = None
) -> dict[str, load.Request]:
    """What each server is sent for ``op``: coordhub the GraphQL document, the reference a GET
    of the operation's path; both with the ``signed`` headers (a caller's ``Authorization``)."""
    signed = signed or {}
    return {
        "coordhub": load.Request(
            url=f"{coordhub.url}/graphql",
            method="POST",
            body=op.graphql_body,
            headers={"Content-Type": "application/json", **signed},
        ),
        "reference": load.Request(url=f"{reference.url}{op.path}", headers=dict(signed)),
    }


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
    signed: dict[str, str] | None = None,
) -> dict[str, int]:
    """Assert both servers return the same, non-empty, error-free body; their sizes. ``signed``:
    the headers of the caller (none: the public)."""
    sizes = {}
    async with httpx.AsyncClient(timeout=60) as http:
        for name in selected:
            answers = {
                system: await http.request(
                    request.method, request.url, content=request.body, headers=request.headers
                )
                for system, request in requests(coordhub, reference, ops[name], signed).items()
            }
            ours, theirs = answers["coordhub"], answers["reference"]
            body = ours.content
            if ours.status_code != 200 or theirs.status_code != 200:
                raise SystemExit(f"{name}: status {ours.status_code} / {theirs.status_code}")
            parsed = orjson.loads(body)
            if "errors" in parsed or b'"edges":[]' in body or parsed["data"].get("node", 1) is None:
                raise SystemExit(f"{name}: coordhub answered nothing to compare: {body[:500]!r}")
            # coordhub adds the operation's cost (`extensions`); the rest is the same bytes.
            if orjson.dumps({"data": parsed["data"]}) != theirs.content:
                raise SystemExit(f"{name}: {first_difference(body, theirs.content)}")
            if set(parsed) != {"data", "extensions"}:
                raise SystemExit(f"{name}: unexpected members {sorted(parsed)}")
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
    #: The peer's run (``bench.reads --peer``), None where it has none for the operation.
    peer: load.Result | None = None


@dataclass
class Peer:
    """A third server measured beside coordhub and the reference, in the same loop: its
    process and the request it is sent for each operation it answers."""

    server: Server
    requests: dict[str, load.Request]


async def wait_until_idle(*servers: Server) -> None:
    """Until the servers are idle: leftover work would otherwise be charged to the next run,
    which may be the other server's (both share one CPU)."""
    await wait_idle([server.pid for server in servers])


async def measure(
    coordhub: Server,
    reference: Server,
    ops: dict[str, Operation],
    selected: list[str],
    levels: list[int],
    args: argparse.Namespace,
    cpu: int | None,
    console: Console,
    signed: dict[str, str] | None = None,
    peer: Peer | None = None,
) -> list[Row]:
    """Each operation at each concurrency of ``levels``, on coordhub, the reference and the
    ``peer`` (if it answers the operation): ``args.warmup`` seconds of warm-up, ``args.seconds``
    measured, with ``args.client``, each request to the first two with the ``signed`` headers."""
    rows = []
    idle = [coordhub, reference] + ([peer.server] if peer else [])
    for name in selected:
        for concurrency in levels:
            results = {}
            sent = requests(coordhub, reference, ops[name], signed)
            if peer is not None and name in peer.requests:
                sent["peer"] = peer.requests[name]
            for system, request in sent.items():
                await wait_until_idle(*idle)
                results[system] = await asyncio.to_thread(
                    load.measure, request, concurrency, args.warmup, args.seconds, cpu, args.client
                )
            row = Row(
                ops[name],
                concurrency,
                results["coordhub"],
                results["reference"],
                results.get("peer"),
            )
            line = (
                f"  {name:<10} c={concurrency:<3} coordhub {row.coordhub.rate:8.1f} req/s "
                f"({row.coordhub.completed} done)  reference {row.reference.rate:8.1f} req/s "
                f"({row.reference.completed} done)"
            )
            if row.peer is not None:
                line += f"  {peer.server.name if peer else ''} {row.peer.rate:8.1f} req/s"
            console.print(line)
            rows.append(row)
    return rows


def selected_operations(text: str) -> list[str]:
    names = list(operations(0))
    selected = [name.strip() for name in text.split(",") if name.strip()]
    unknown = set(selected) - set(names)
    if unknown:
        raise SystemExit(f"unknown operations: {', '.join(sorted(unknown))} (of {names})")
    return selected


def apply_response_cache(choice: str) -> str:
    """Set the environment the servers and the in-process app read; a label for titles."""
    if choice == "off":
        os.environ[RESPONSE_CACHE] = "0"
        return "response cache off"
    if os.environ.get(RESPONSE_CACHE) == "0":
        os.environ.pop(RESPONSE_CACHE)
    return "response cache on" if choice == "on" else "response cache as configured"


def add_load_arguments(parser: argparse.ArgumentParser) -> None:
    """The options ``bench.reads``, ``bench.scale`` and ``bench.freshness`` share."""
    parser.add_argument("--seconds", type=float, default=5.0, help="measured seconds per run")
    parser.add_argument("--warmup", type=float, default=1.0, help="warm-up seconds per run")
    parser.add_argument(
        "--client", choices=load.CLIENTS, default="raw", help="load generator (see bench.load)"
    )
    parser.add_argument("--fresh", action="store_true", help="seed again, ignoring the cache")
