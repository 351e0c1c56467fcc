"""A real coordhub server process (uvicorn) and a real graphql-transport-ws client."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from websockets.asyncio.client import ClientConnection, connect

from coordhub.settings import Settings
from tests.support import GraphQLClient, World, build_world, open_database

COORDHUB = str(Path(sys.executable).parent / "coordhub")


#: The live server's metrics token (``LiveServer.metric``).
METRICS_TOKEN = "live-server-metrics-token"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LiveServer:
    """A server process, its database's environment, and a GraphQL client over HTTP."""

    url: str
    env: dict[str, str]
    gql: GraphQLClient
    process: subprocess.Popen[bytes]

    @property
    def ws_url(self) -> str:
        return self.url.replace("http://", "ws://") + "/graphql"

    async def metric(self, name: str, **labels: str) -> float:
        """A sample of the server's ``/metrics`` (0 if it has none yet)."""
        response = await self.gql.http.get(
            "/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}
        )
        response.raise_for_status()
        for family in text_string_to_metric_families(response.text):
            for sample in family.samples:
                if sample.name == name and sample.labels == labels:
                    return sample.value
        return 0.0

    def cli(self, *args: str) -> str:
        done = subprocess.run([COORDHUB, *args], env=self.env, capture_output=True, check=True)
        return done.stdout.decode()


def spawn_server(port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """``coordhub serve`` in its own process (``env`` on top of this process's)."""
    command = [COORDHUB, "serve", "--port", str(port)]
    return subprocess.Popen(
        command, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def spawn_worker(owner: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """``coordhub worker --owner OWNER`` in its own process (``env`` on top of this
    process's), its output on a pipe."""
    return subprocess.Popen(
        [COORDHUB, "worker", "--owner", owner],
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


async def running_worker(owner: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """``spawn_worker``, once the worker says it runs."""
    process = spawn_worker(owner, env)
    assert process.stdout is not None
    line = await asyncio.wait_for(asyncio.to_thread(process.stdout.readline), 30)
    assert b"running" in line, line
    return process


async def wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    """Until the server answers /healthz (fails if it exits or takes over 20 s)."""
    deadline = time.monotonic() + 20
    async with httpx.AsyncClient(base_url=url, timeout=2) as http:
        while True:
            try:
                if (await http.get("/healthz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            assert process.poll() is None, "the server exited"
            assert time.monotonic() < deadline, "the server did not start"
            await asyncio.sleep(0.1)


@pytest.fixture
async def live(database_url: str) -> AsyncIterator[LiveServer]:
    settings = Settings(database_url=database_url)
    async with open_database(settings):
        world: World = await build_world()
    port = free_port()
    env = {
        **os.environ,
        "COORDHUB_DATABASE_URL": settings.database_url,
        "COORDHUB_EMBEDDED_WORKER": "false",
        "COORDHUB_DELIVERY_POLL_SECONDS": "0.2",
        "COORDHUB_WS_PING_SECONDS": "0.5",
        "COORDHUB_WS_PONG_TIMEOUT_SECONDS": "2",
        "COORDHUB_SUBSCRIBER_BUFFER": "64",
        "COORDHUB_METRICS_TOKEN": METRICS_TOKEN,
    }
    process = spawn_server(port, env)
    url = f"http://127.0.0.1:{port}"
    await wait_until_up(url, process)
    async with httpx.AsyncClient(base_url=url, timeout=10) as http:
        yield LiveServer(url=url, env=env, gql=GraphQLClient(http, world), process=process)
    process.terminate()
    process.wait(10)


class Subscriber:
    """A graphql-transport-ws client that answers pings while it reads."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws

    @classmethod
    async def open(
        cls, url: str, token: str | None = None, protocol: str = "graphql-transport-ws"
    ) -> Subscriber:
        ws = await connect(url, subprotocols=[protocol], max_queue=4)  # type: ignore[list-item]
        return cls(ws)

    async def init(self, token: str | None = None) -> dict[str, Any]:
        payload = {"authorization": f"Bearer {token}"} if token else {}
        await self.ws.send(json.dumps({"type": "connection_init", "payload": payload}))
        return await self.message()

    async def subscribe(self, query: str, variables: dict[str, Any] | None = None) -> None:
        await self.ws.send(
            json.dumps(
                {
                    "id": "1",
                    "type": "subscribe",
                    "payload": {"query": query, "variables": variables or {}},
                }
            )
        )

    async def message(self, seconds: float = 10) -> dict[str, Any]:
        """The next message other than a ping (answered on the way)."""
        async with asyncio.timeout(seconds):
            while True:
                frame = await self.ws.recv()
                assert isinstance(frame, str), "messages must be text frames (graphql-ws, browsers)"
                message = json.loads(frame)
                if message["type"] != "ping":
                    return message
                await self.ws.send(json.dumps({"type": "pong"}))

    async def events(self, count: int) -> list[dict[str, Any]]:
        """The next ``count`` events' data."""
        found = []
        while len(found) < count:
            message = await self.message()
            assert message["type"] == "next", message
            assert "errors" not in message["payload"], message
            found.append(next(iter(message["payload"]["data"].values())))
        return found

    async def nothing_for(self, seconds: float) -> None:
        """Assert that no event arrives within ``seconds``."""
        try:
            message = await self.message(seconds)
        except TimeoutError:
            return
        raise AssertionError(f"unexpected message: {message}")

    async def close(self) -> None:
        await self.ws.close()
