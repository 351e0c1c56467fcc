"""Fan-out of one publication to N live subscribers on one server, beside a bare websocket loop.

coordhub: N public ``rebuttalUpdates`` subscribers over graphql-transport-ws on one
``coordhub serve`` process (SQLite, no embedded worker), and M rebuttals published one at a
time through the GraphQL HTTP API. Bare: the same N clients on a plain Starlette websocket
endpoint (``bench.ws_reference``, under uvicorn in its own process), and M broadcasts of the
bytes of one real coordhub ``next`` message. Both servers run side by side in the same run and
the publications alternate between them, so a busy machine slows both alike; the ratios are
what coordhub's subscription machinery costs.

    python -m bench.subscriptions [--subscribers 1000] [--publishes 20]

Latency starts when the publishing HTTP response reaches the client (the commit, or the
broadcast request, happened before it) and ends when a subscriber's task in the same process
has the message (``time.perf_counter`` on both sides, so clocks agree): first and last receipt
per publication, p50 and p99 (nearest rank) over the M publications. The clients share the
benchmark process's one event loop, so "last receipt" includes the time that process takes to
read N messages, on both sides alike. Memory per idle subscriber is the growth of the server
process's RSS (``VmRSS``) from before the N connect to after they are connected, subscribed
and the server is idle again, divided by N.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import resource
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from rich.table import Table
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Subprotocol

from bench import seed
from bench.harness import (
    COORDHUB,
    ROOT,
    UNLIMITED,
    Server,
    console_for_output,
    percentile,
    start_server,
    wait_idle,
)
from coordhub.db import database, migrate
from coordhub.settings import Settings

BATCH = 100  # connections opened at once
WARMUPS = 2  # publications before the measured ones: one to capture a message, one to sync
STEP_SECONDS = 60.0  # the most any one step (a batch, a publication's fan-out) may take

SUBSCRIPTION = """
subscription($after: String, $institutions: [String!]) {
  rebuttalUpdates(after: $after, institutions: $institutions) {
    cursor type institutions rebuttal { revision headline { en } institution { slug } }
  }
}
"""
PUBLISH = """
mutation($input: PublishRebuttalInput!) {
  publishRebuttal(input: $input) { rebuttal { id status } errors { code message } }
}
"""
PONG = json.dumps({"type": "pong"})


# -- seeding, through the workflow, before the server starts ---------------------------------


async def approved_rebuttals(settings: Settings, count: int) -> tuple[str, list[str]]:
    """``count`` rebuttals APPROVED and ready to publish; the editor's token and their ids."""
    approved = await seed.approved_rebuttals(settings, count, channels=["akp"])
    return approved.editor_token, approved.global_ids


# -- server processes --------------------------------------------------------------------------


def raise_open_files_limit() -> int:
    """Soft limit up to the hard one, for this process and the servers it starts."""
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


async def settle(pid: int) -> None:
    """Wait (at most 20 s) until the server spends no more than a tick of CPU in 0.5 s."""
    await wait_idle([pid], interval=0.5, limit=20)


# -- clients -----------------------------------------------------------------------------------


@dataclass
class Publication:
    """Receipts of one event by the subscribers, as ``perf_counter`` times."""

    expected: int
    receipts: list[float] = field(default_factory=list)
    done: asyncio.Event = field(default_factory=asyncio.Event)

    def received(self, at: float) -> None:
        self.receipts.append(at)
        if len(self.receipts) >= self.expected:
            self.done.set()


@dataclass
class Clients:
    """N websockets in this process, each read by its own task that stamps every event."""

    graphql: bool
    sockets: list[ClientConnection] = field(default_factory=list)
    readers: list[asyncio.Task[None]] = field(default_factory=list)
    current: Publication | None = None
    last_message: str = ""
    unexpected: list[str] = field(default_factory=list)
    closing: bool = False

    async def read(self, ws: ClientConnection) -> None:
        try:
            async for raw in ws:
                at = time.perf_counter()
                text = raw if isinstance(raw, str) else raw.decode()
                if self.graphql:
                    kind = json.loads(text).get("type")
                    if kind == "ping":
                        await ws.send(PONG)
                        continue
                    if kind != "next" or '"errors"' in text:
                        self.unexpected.append(text)
                        continue
                self.last_message = text
                if self.current is not None:
                    self.current.received(at)
                else:
                    self.unexpected.append(text)
        except ConnectionClosed:
            pass
        if not self.closing:
            self.unexpected.append(f"closed by the server: {ws.close_code} {ws.close_reason}")

    async def open(self, count: int, opener: Callable[[], Awaitable[ClientConnection]]) -> None:
        """Open ``count`` more connections, ``BATCH`` at a time, and start reading them."""
        while count > 0:
            size = min(BATCH, count)
            async with asyncio.timeout(STEP_SECONDS):
                opened = await asyncio.gather(*(opener() for _ in range(size)))
            for ws in opened:
                self.sockets.append(ws)
                self.readers.append(asyncio.create_task(self.read(ws)))
            count -= size

    async def close(self) -> None:
        self.closing = True
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(STEP_SECONDS):
                for start in range(0, len(self.sockets), BATCH):
                    batch = self.sockets[start : start + BATCH]
                    await asyncio.gather(*(ws.close() for ws in batch), return_exceptions=True)
        for task in self.readers:
            task.cancel()
        await asyncio.gather(*self.readers, return_exceptions=True)
        self.sockets.clear()
        self.readers.clear()
        self.closing = False

    async def expect(self, publish: Callable[[], Awaitable[None]]) -> tuple[float, Publication]:
        """Publish once; the time its response arrived, and the receipts by every client."""
        self.current = publication = Publication(expected=len(self.sockets))
        await publish()
        responded = time.perf_counter()
        try:
            async with asyncio.timeout(STEP_SECONDS):
                await publication.done.wait()
        except TimeoutError:
            raise RuntimeError(
                f"only {len(publication.receipts)} of {publication.expected} subscribers "
                f"received the event; unexpected messages: {self.unexpected[:3]}"
            ) from None
        await asyncio.sleep(0.05)  # stragglers (a second copy) would show up as extra receipts
        self.current = None
        if len(publication.receipts) != publication.expected:
            raise RuntimeError(f"{len(publication.receipts)} receipts for {publication.expected}")
        return responded, publication


async def open_graphql(url: str) -> ClientConnection:
    ws = await connect(
        url, subprotocols=[Subprotocol("graphql-transport-ws")], ping_interval=None, open_timeout=30
    )
    await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
    async with asyncio.timeout(30):
        ack = json.loads(await ws.recv())
    if ack.get("type") != "connection_ack":
        raise RuntimeError(f"no connection_ack: {ack}")
    subscribe = {"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIPTION}}
    await ws.send(json.dumps(subscribe))
    return ws


async def open_plain(url: str) -> ClientConnection:
    return await connect(url, ping_interval=None, open_timeout=30)


# -- the two systems, side by side -------------------------------------------------------------


@dataclass
class System:
    """One server process, its clients, and what was measured on it."""

    server: Server
    clients: Clients
    opener: Callable[[], Awaitable[ClientConnection]]
    publish: Callable[[], Awaitable[None]]
    first: list[float] = field(default_factory=list)  # response to first receipt, seconds
    last: list[float] = field(default_factory=list)  # response to last receipt, seconds
    rss_before: int = 0  # KiB, warmed up, no subscribers
    rss_after: int = 0  # KiB, N idle subscribers

    @property
    def name(self) -> str:
        return self.server.name

    @property
    def pid(self) -> int:
        return self.server.pid

    def kib_per_subscriber(self, subscribers: int) -> float:
        return (self.rss_after - self.rss_before) / subscribers

    async def warm_up(self) -> str:
        """One subscriber, one publication (imports, caches, query plans); the event it got."""
        await self.clients.open(1, self.opener)
        await settle(self.pid)
        await self.clients.expect(self.publish)
        await self.clients.close()
        await settle(self.pid)
        self.rss_before = rss_kib(self.pid)
        return self.clients.last_message

    async def connect(self, subscribers: int) -> None:
        await self.clients.open(subscribers, self.opener)
        await settle(self.pid)
        self.rss_after = rss_kib(self.pid)
        # An unmeasured publication proves that every subscription is live.
        await self.clients.expect(self.publish)

    async def publish_once(self) -> None:
        await settle(self.pid)
        responded, publication = await self.clients.expect(self.publish)
        self.first.append(min(publication.receipts) - responded)
        self.last.append(max(publication.receipts) - responded)


async def serve(
    stack: contextlib.AsyncExitStack,
    name: str,
    command: list[str],
    env: dict[str, str] | None = None,
    cwd: str | Path = ROOT,
) -> tuple[Server, httpx.AsyncClient]:
    """Start ``command`` (its output discarded), stopped when ``stack`` closes; once it is up,
    the server and an HTTP client for it."""
    server = start_server(name, command, env=env, cwd=cwd)
    stack.callback(server.stop)
    await server.wait_until_up()
    http = httpx.AsyncClient(base_url=server.url, timeout=STEP_SECONDS)
    return server, await stack.enter_async_context(http)


async def coordhub(
    stack: contextlib.AsyncExitStack, tmp: str, subscribers: int, publishes: int
) -> System:
    """Seed approved rebuttals, then serve them with ``coordhub serve``."""
    database_url = f"sqlite://{tmp}/bench.db"
    settings = Settings(database_url=database_url)
    await migrate(settings)
    async with database(settings, global_fallback=False):
        token, ids = await approved_rebuttals(settings, publishes + WARMUPS)
    env = {
        "COORDHUB_DATABASE_URL": database_url,
        "COORDHUB_EMBEDDED_WORKER": "false",
        "COORDHUB_SUBSCRIBER_BUFFER": "1024",
        # Room for every subscriber's socket beside the publisher's requests.
        "COORDHUB_MAX_CONNECTIONS": str(subscribers + 100),
        **UNLIMITED,
    }
    # In the temporary folder: no .env of the working tree applies.
    server, http = await serve(stack, "coordhub", [COORDHUB, "serve"], env=env, cwd=tmp)
    pending = iter(ids)

    async def publish() -> None:
        variables = {"input": {"rebuttalId": next(pending)}}
        response = await http.post(
            "/graphql",
            json={"query": PUBLISH, "variables": variables},
            headers={"Authorization": f"Bearer {token}"},
        )
        body: dict[str, Any] = response.json()
        payload = (body.get("data") or {}).get("publishRebuttal") or {}
        if response.status_code != 200 or payload.get("errors") != []:
            raise RuntimeError(f"publishRebuttal failed: {response.text}")

    clients = Clients(graphql=True)
    stack.push_async_callback(clients.close)
    ws_url = server.url.replace("http://", "ws://", 1) + "/graphql"
    return System(server, clients, lambda: open_graphql(ws_url), publish)


async def bare(stack: contextlib.AsyncExitStack, message: list[str]) -> System:
    """``bench.ws_reference`` under uvicorn, broadcasting ``message[0]`` (set later)."""
    command = [
        *(sys.executable, "-m", "uvicorn", "bench.ws_reference:app"),
        *("--host", "127.0.0.1", "--log-level", "info"),
    ]
    server, http = await serve(stack, "bare Starlette", command)

    async def publish() -> None:
        response = await http.post("/broadcast", content=message[0].encode())
        response.raise_for_status()

    clients = Clients(graphql=False)
    stack.push_async_callback(clients.close)
    ws_url = server.url.replace("http://", "ws://", 1) + "/ws"
    return System(server, clients, lambda: open_plain(ws_url), publish)


# -- report ------------------------------------------------------------------------------------


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def report(console: Console, ours: System, floor: System, subscribers: int) -> None:
    table = Table(
        title=f"One publication to {subscribers} idle subscribers ({len(ours.last)} publications)"
    )
    columns = ("server", "first p50 ms", "last p50 ms", "last p99 ms", "KiB / subscriber")
    for column in columns:
        table.add_column(column, justify="right")
    for system in (ours, floor):
        table.add_row(
            system.name,
            ms(percentile(system.first, 0.5)),
            ms(percentile(system.last, 0.5)),
            ms(percentile(system.last, 0.99)),
            f"{system.kib_per_subscriber(subscribers):.1f}",
        )
    table.add_row(
        "coordhub / bare",
        "",
        f"{percentile(ours.last, 0.5) / percentile(floor.last, 0.5):.1f}",
        f"{percentile(ours.last, 0.99) / percentile(floor.last, 0.99):.1f}",
        f"{ours.kib_per_subscriber(subscribers) / floor.kib_per_subscriber(subscribers):.1f}",
        style="bold",
    )
    console.print(table)
    for system in (ours, floor):
        console.print(
            f"{system.name}: server RSS {system.rss_before / 1024:.1f} MiB warmed up, "
            f"{system.rss_after / 1024:.1f} MiB with {subscribers} subscribers"
        )
        if system.clients.unexpected:
            unexpected = system.clients.unexpected
            console.print(f"  [yellow]{len(unexpected)} unexpected messages[/yellow], e.g.")
            console.print(f"  {unexpected[0]}", markup=False)


async def main(subscribers: int, publishes: int) -> None:
    console = console_for_output()
    limit = raise_open_files_limit()
    if 2 * subscribers + 64 > limit:
        raise SystemExit(f"{subscribers} subscribers per server need more than {limit} files")
    message: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        async with contextlib.AsyncExitStack() as stack:
            console.print(f"Seeding {publishes + WARMUPS} approved rebuttals, starting servers…")
            ours = await coordhub(stack, tmp, subscribers, publishes)
            floor = await bare(stack, message)
            message.append(await ours.warm_up())
            await floor.warm_up()
            console.print(
                f"Connecting {subscribers} subscribers to each; the event is "
                f"{len(message[0].encode())} bytes…"
            )
            for system in (ours, floor):
                await system.connect(subscribers)
            console.print(f"{publishes} publications on each, alternately…")
            for _ in range(publishes):
                for system in (ours, floor):
                    await system.publish_once()
            report(console, ours, floor, subscribers)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--subscribers", type=int, default=1000)
    parser.add_argument("--publishes", type=int, default=20)
    args = parser.parse_args()
    asyncio.run(main(args.subscribers, args.publishes))
