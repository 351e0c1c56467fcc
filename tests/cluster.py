"""A private PostgreSQL server that a test may stop and restart, and a production-shaped
deployment on it: API processes, delivery workers and the outlet simulators, each a real process.

The machine's PostgreSQL is shared with other test runs, so fault tests never restart it: they
``initdb`` a throwaway cluster of their own on a free port instead. Without the server binaries
the test is skipped, and under ``CI=true`` it fails (the same policy as ``tests.pg``).
"""

from __future__ import annotations

import asyncio
import contextlib
import glob
import json
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake

from coordhub.demo.scenario import Scenario, numbered
from coordhub.settings import Settings
from tests.delivery import connector_settings
from tests.flows import desks
from tests.live import free_port
from tests.support import World

COORDHUB = str(Path(sys.executable).parent / "coordhub")
OS_USER = "postgres"


def unavailable(reason: str) -> None:
    """Skip the test, or fail it under CI=true, where fault tests may not skip."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"the PostgreSQL fault tests need {reason} under CI=true")
    pytest.skip(f"no private PostgreSQL server: {reason}")


def server_binaries() -> Path | None:
    """The directory of ``initdb``, ``pg_ctl`` and ``postgres``: ``COORDHUB_TEST_PG_BIN``,
    else ``pg_config --bindir``, else the newest ``/usr/lib/postgresql/*/bin``, else PATH."""
    candidates: list[str] = []
    if os.environ.get("COORDHUB_TEST_PG_BIN"):
        candidates.append(os.environ["COORDHUB_TEST_PG_BIN"])
    if pg_config := shutil.which("pg_config"):
        with contextlib.suppress(OSError, subprocess.CalledProcessError):
            done = subprocess.run([pg_config, "--bindir"], capture_output=True, check=True)
            candidates.append(done.stdout.decode().strip())
    versions = glob.glob("/usr/lib/postgresql/*/bin")
    candidates += sorted(versions, key=lambda p: int(Path(p).parent.name), reverse=True)
    if initdb := shutil.which("initdb"):
        candidates.append(str(Path(initdb).parent))
    for candidate in candidates:
        path = Path(candidate)
        if all((path / tool).is_file() for tool in ("initdb", "pg_ctl", "postgres")):
            return path
    return None


class PrivateServer:
    """A PostgreSQL cluster in a temporary directory, on a free loopback port, that only this
    test uses: it may be stopped, restarted or killed at will.

    As root the server runs as the ``postgres`` OS user (``initdb`` refuses root); the socket
    goes to the cluster's own directory, so no system directory is needed.
    """

    def __init__(self, bindir: Path, root: Path, port: int) -> None:
        self.bindir = bindir
        self.root = root
        self.data = root / "data"
        self.log = root / "server.log"
        self.port = port

    @classmethod
    @contextlib.asynccontextmanager
    async def running(cls) -> AsyncIterator[PrivateServer]:
        """A fresh cluster, started; stopped and removed afterwards."""
        bindir = server_binaries()
        if bindir is None:
            unavailable("initdb and pg_ctl (install PostgreSQL or set COORDHUB_TEST_PG_BIN)")
        assert bindir is not None
        if os.geteuid() == 0:
            try:
                pwd.getpwnam(OS_USER)
            except KeyError:
                unavailable(f"an OS user '{OS_USER}' to run the server as (initdb refuses root)")
        root = Path(tempfile.mkdtemp(prefix="coordhub-pg-"))
        if os.geteuid() == 0:
            shutil.chown(root, OS_USER, OS_USER)
        server = cls(bindir, root, free_port())
        try:
            await server._run(
                "initdb",
                "-D",
                str(server.data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-sync",
                "--no-instructions",
            )
            await server.start()
            yield server
        finally:
            with contextlib.suppress(Exception):
                await server.stop("immediate")
            shutil.rmtree(root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    async def _run(self, tool: str, *args: str) -> None:
        command = [str(self.bindir / tool), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", OS_USER, "--", *command]
        process = await asyncio.create_subprocess_exec(
            *command, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
        )
        output, _ = await process.communicate()
        if process.returncode != 0:
            log = self.log.read_text() if self.log.exists() else ""
            raise RuntimeError(f"{tool} failed ({process.returncode}):\n{output.decode()}\n{log}")

    async def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        await self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-o",
            options,
            "-w",
            "-t",
            "30",
            "start",
        )

    async def stop(self, mode: str = "fast") -> None:
        """Stop the server: ``fast`` (clients are disconnected, as a service restart does) or
        ``immediate`` (a crash, recovered from the WAL at the next start)."""
        await self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "30", "stop")

    async def restart(self, down_seconds: float, mode: str = "fast") -> None:
        """Stop, stay down for ``down_seconds`` (clients meet refused connections), start."""
        await self.stop(mode)
        await asyncio.sleep(down_seconds)
        await self.start()

    async def create_database(self, name: str) -> str:
        admin = await asyncpg.connect(self.url(), timeout=10)
        try:
            await admin.execute(f'CREATE DATABASE "{name}"')
        finally:
            await admin.close()
        return self.url(name)


async def seed_approved(
    settings: Settings, world: World, channel_sets: list[list[str]]
) -> list[int]:
    """One claim per entry of ``channel_sets``, triaged and answered, its rebuttal approved
    (through the workflow, in this process) and ready to publish to those channels."""
    scenario = Scenario(await desks(world), settings)

    async def one(n: int, channels: list[str]) -> int:
        return (await scenario.rebuttal("APPROVED", story=numbered(n, channels))).id

    ids: list[int] = []
    batch = 8  # a few at once: the pool has the connections, the event counter serialises
    for start in range(0, len(channel_sets), batch):
        chunk = channel_sets[start : start + batch]
        ids += await asyncio.gather(*(one(start + i, c) for i, c in enumerate(chunk)))
    return ids


async def publish_seeded(settings: Settings, world: World, ids: list[int]) -> None:
    """Publish approved rebuttals through the workflow, as their institution's editor."""
    scenario = Scenario(await desks(world), settings)
    for rebuttal_id in ids:
        await scenario.publish(rebuttal_id)


@dataclass
class Process:
    """A ``coordhub`` command running on its own, its output in a log file."""

    name: str
    popen: subprocess.Popen[bytes]
    log: Path

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def tail(self, lines: int = 40) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self, seconds: float = 15) -> int | None:
        """SIGTERM, then SIGKILL if it does not exit within ``seconds``; the exit status."""
        if self.alive():
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(seconds)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(5)
        return self.popen.returncode


def spawn(name: str, args: list[str], env: dict[str, str], logs: Path) -> Process:
    log = logs / f"{name}.log"
    with log.open("wb") as out:
        popen = subprocess.Popen(
            [COORDHUB, *args], env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT
        )
    return Process(name, popen, log)


async def wait_for_http(url: str, process: Process, seconds: float = 30) -> None:
    """Until ``url`` answers 200 (fails if the process exits first or it takes too long)."""
    deadline = time.monotonic() + seconds
    async with httpx.AsyncClient(timeout=2) as http:
        while True:
            with contextlib.suppress(httpx.TransportError):
                if (await http.get(url)).status_code == 200:
                    return
            assert process.alive(), f"{process.name} exited:\n{process.tail()}"
            assert time.monotonic() < deadline, f"{process.name} did not start:\n{process.tail()}"
            await asyncio.sleep(0.1)


def deployment_env(database_url: str, outlets: str, **overrides: str) -> dict[str, str]:
    """The environment every process of the deployment shares: fast polls and retries, a
    short lease (so a killed worker's deliveries are taken over within seconds)."""
    return {
        "COORDHUB_DATABASE_URL": database_url,
        "COORDHUB_EMBEDDED_WORKER": "false",
        "COORDHUB_CONNECTORS": json.dumps(connector_settings(outlets)),
        "COORDHUB_DELIVERY_LEASE_SECONDS": "3",
        "COORDHUB_DELIVERY_POLL_SECONDS": "0.2",
        "COORDHUB_DELIVERY_BACKOFF_SECONDS": json.dumps([0.2] * 14),
        "COORDHUB_DELIVERY_JITTER": "0",
        "COORDHUB_DELIVERY_BATCH": "8",
        "COORDHUB_DELIVERY_CONCURRENCY": "8",
        "COORDHUB_SUBSCRIBER_BUFFER": "4096",
        "COORDHUB_DB_POOL_MAX": "10",
        "COORDHUB_LOG_FORMAT": "text",
        "COORDHUB_LOG_LEVEL": "info",
        **overrides,
    }


@dataclass
class Deployment:
    """Two API processes, delivery workers and the outlet simulators, on one database."""

    database_url: str
    outlets: str
    env: dict[str, str]
    logs: Path
    processes: dict[str, Process] = field(default_factory=dict)

    async def start_simulators(self) -> None:
        port = int(self.outlets.rsplit(":", 1)[1])
        process = self._spawn("simulators", ["simulate-outlets", "--port", str(port)])
        await wait_for_http(f"{self.outlets}/healthz", process)

    async def start_api(self, name: str, **env: str) -> str:
        """``coordhub serve`` (no embedded worker) on a free port; its URL once it is ready."""
        port = free_port()
        process = self._spawn(name, ["serve", "--port", str(port)], env)
        url = f"http://127.0.0.1:{port}"
        await wait_for_http(f"{url}/readyz", process)
        return url

    def start_worker(self, name: str, **env: str) -> Process:
        """``coordhub worker --owner NAME``."""
        return self._spawn(name, ["worker", "--owner", name], env)

    def _spawn(self, name: str, args: list[str], env: dict[str, str] | None = None) -> Process:
        process = spawn(name, args, {**self.env, **(env or {})}, self.logs)
        self.processes[name] = process
        return process

    def report(self) -> str:
        """Each process's state and the end of its log, for a failing test's output."""
        parts = []
        for process in self.processes.values():
            state = "running" if process.alive() else f"exited {process.popen.returncode}"
            parts.append(f"----- {process.name} (pid {process.pid}, {state}) -----")
            parts.append(process.tail())
        return "\n".join(parts)

    def stop(self) -> None:
        for process in self.processes.values():
            process.stop()


async def query(url: str, sql: str, *args: Any, seconds: float = 30) -> list[asyncpg.Record]:
    """Run ``sql`` on a connection of its own, retrying while the server is unreachable."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            connection = await asyncpg.connect(url, timeout=5)
            try:
                return await connection.fetch(sql, *args)
            finally:
                await connection.close()
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.2)


async def eventually(
    check: Callable[[], Awaitable[bool]], what: str, seconds: float, every: float = 0.1
) -> None:
    """Wait until ``check()`` holds, or fail saying ``what`` did not happen."""
    deadline = time.monotonic() + seconds
    while not await check():
        assert time.monotonic() < deadline, f"{what} did not happen within {seconds}s"
        await asyncio.sleep(every)


class ResumingSubscriber:
    """A subscriber that keeps one subscription going whatever happens: when its connection
    drops, or the server sends an error, it reconnects and resumes after the last cursor it
    received, as the API guide tells clients to. Keeps every event's data in order."""

    def __init__(self, ws_url: str, token: str | None, document: str) -> None:
        self.ws_url = ws_url
        self.token = token
        self.document = document
        self.cursor = "ZXZlbnQ6MA=="  # the log's start: nothing can slip past
        self.events: list[dict[str, Any]] = []
        self.reconnects = 0
        self.problems: list[str] = []
        self._task: asyncio.Task[None] | None = None
        self._changed = asyncio.Event()

    def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    @property
    def seqs(self) -> list[int]:
        return [int(event["seq"]) for event in self.events]

    async def wait_for(self, check: Callable[[list[dict[str, Any]]], bool], seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not check(self.events):
            remaining = deadline - time.monotonic()
            assert remaining > 0, (
                f"the subscriber did not get there in {seconds}s: {len(self.events)} events, "
                f"{self.reconnects} reconnects, problems: {self.problems[-5:]}"
            )
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(min(remaining, 1)):
                    await self._changed.wait()

    async def _run(self) -> None:
        first = True
        while True:
            if not first:
                self.reconnects += 1
                await asyncio.sleep(0.3)
            first = False
            try:
                await self._follow()
            except asyncio.CancelledError:
                raise
            except (OSError, TimeoutError, ConnectionClosed, InvalidHandshake) as exc:
                self.problems.append(f"{type(exc).__name__}: {exc}")

    async def _follow(self) -> None:
        async with connect(self.ws_url, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
            init = {"authorization": f"Bearer {self.token}"} if self.token else {}
            await ws.send(json.dumps({"type": "connection_init", "payload": init}))
            variables = {"after": self.cursor}
            payload = {"query": self.document, "variables": variables}
            acked = False
            while True:
                async with asyncio.timeout(30):
                    message = json.loads(await ws.recv())
                kind = message["type"]
                if kind == "ping":
                    await ws.send(json.dumps({"type": "pong"}))
                elif kind == "connection_ack" and not acked:
                    acked = True
                    await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
                elif kind == "next" and not message["payload"].get("errors"):
                    data = next(iter(message["payload"]["data"].values()))
                    self.events.append(data)
                    self.cursor = data["cursor"]
                    self._changed.set()
                else:  # an error, a completion, or an event the server could not resolve
                    self.problems.append(json.dumps(message)[:300])
                    return
