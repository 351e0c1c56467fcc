"""Revocation reaches open sockets: after ``coordhub token revoke`` a connection opened before
can neither query nor mutate nor subscribe, nothing is written, and it is closed with 4403.

Against real ``coordhub serve`` processes with websocket clients, on SQLite and PostgreSQL;
across two API processes on PostgreSQL.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import subprocess
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from coordhub.models import Event, EventType, Token
from coordhub.settings import Settings
from tests.flows import drafted_rebuttal
from tests.live import COORDHUB, LiveServer, Subscriber, free_port, spawn_server, wait_until_up
from tests.support import World, build_world, open_database

DRAFT = "query($id: ID!) { node(id: $id) { ... on Rebuttal { status headline { en } } } }"
UPDATE = (
    "mutation($input: UpdateRebuttalInput!) { updateRebuttal(input: $input) "
    "{ rebuttal { id } errors { code message } } }"
)
UPDATES = 'subscription { rebuttalUpdates(after: "ZXZlbnQ6MA==") { type cursor } }'
REVOKED_CLOSE = 4403


def update_input(rebuttal_id: str) -> dict[str, Any]:
    return {"rebuttalId": rebuttal_id, "headline": {"km": "ក", "en": "Written after revocation"}}


async def send(client: Subscriber, op_id: str, query: str, variables: dict[str, Any]) -> None:
    message = {
        "id": op_id,
        "type": "subscribe",
        "payload": {"query": query, "variables": variables},
    }
    await client.ws.send(json.dumps(message))


async def connected(url: str, token: str | None) -> Subscriber:
    client = await Subscriber.open(url)
    ack = await client.init(token)
    assert ack["type"] == "connection_ack", ack
    return client


async def until_closed(client: Subscriber, seconds: float = 10) -> tuple[list[dict[str, Any]], int]:
    """Every message up to the close, and the close code."""
    messages: list[dict[str, Any]] = []
    deadline = time.monotonic() + seconds
    with pytest.raises(ConnectionClosed) as closed:
        while True:
            messages.append(await client.message(max(deadline - time.monotonic(), 0.01)))
    assert closed.value.rcvd is not None, "closed without a close frame"
    return messages, closed.value.rcvd.code


def assert_all_refused(messages: list[dict[str, Any]]) -> None:
    """No operation ran: each message is an UNAUTHENTICATED error, none carries data."""
    for message in messages:
        assert message["type"] == "error", message
        assert message["payload"][0]["extensions"]["code"] == "UNAUTHENTICATED", message


async def log_after(database_url: str, seq: int) -> list[str]:
    async with open_database(Settings(database_url=database_url)):
        rows = await Event.filter(seq__gt=seq).order_by("seq").values_list("type", flat=True)
    return [str(row) for row in rows]


async def newest_seq(database_url: str) -> int:
    async with open_database(Settings(database_url=database_url)):
        newest = await Event.all().order_by("-seq").first()
    return newest.seq if newest else 0


async def works_before_revocation(client: Subscriber, rebuttal_id: str) -> None:
    """The editor's socket reads its institution's draft: what revocation must stop."""
    await send(client, "before", DRAFT, {"id": rebuttal_id})
    answer = await client.message()
    assert answer["type"] == "next", answer
    assert answer["payload"]["data"]["node"]["status"] == "DRAFT", answer
    assert (await client.message())["type"] == "complete"


async def test_after_revoke_an_open_socket_can_neither_query_nor_mutate_nor_subscribe(
    live: LiveServer,
) -> None:
    _, rebuttal_id = await drafted_rebuttal(live.gql)
    database_url = live.env["COORDHUB_DATABASE_URL"]
    token = live.gql.world.tokens["health_editor"]
    active = await connected(live.ws_url, token)
    idle = await connected(live.ws_url, token)
    subscribed = await connected(live.ws_url, token)
    await send(subscribed, "live", UPDATES, {})
    drafted = await subscribed.message()
    assert drafted["payload"]["data"]["rebuttalUpdates"]["type"] == "REBUTTAL_DRAFTED"
    await works_before_revocation(active, rebuttal_id)
    before = await newest_seq(database_url)

    live.cli("token", "revoke", str(live.gql.world.token_ids["health_editor"]))
    # At once, whether or not the server has read the revocation from its log yet (if it
    # has, the socket may be closed before these arrive): all three kinds.
    with contextlib.suppress(ConnectionClosed):
        await send(active, "q", DRAFT, {"id": rebuttal_id})
        await send(active, "m", UPDATE, {"input": update_input(rebuttal_id)})
        await send(active, "s", UPDATES, {})

    messages, code = await until_closed(active)
    assert_all_refused(messages)
    assert code == REVOKED_CLOSE
    # The sockets that sent nothing are closed too, and at once (the log tail's next read).
    for other in (idle, subscribed):
        messages, code = await until_closed(other, seconds=5)
        assert code == REVOKED_CLOSE
        assert not [m for m in messages if (m.get("payload") or {}).get("data")], messages
    assert await log_after(database_url, before) == [EventType.TOKEN_REVOKED.value]
    again = await Subscriber.open(live.ws_url)
    with pytest.raises(ConnectionClosed) as refused:
        await again.init(token)
    assert refused.value.rcvd is not None and refused.value.rcvd.code == REVOKED_CLOSE
    response = await live.gql.post(DRAFT, {"id": rebuttal_id}, as_="health_editor")
    assert response.status_code == 401


async def test_each_operation_rechecks_the_token_even_before_the_log_says_so(
    live: LiveServer,
) -> None:
    """The revocation is in the database but its event has not reached the server's log tail
    (here: written straight to the table, without an event): the next operation on each
    socket still sees it, whatever its kind."""
    _, rebuttal_id = await drafted_rebuttal(live.gql)
    database_url = live.env["COORDHUB_DATABASE_URL"]
    token = live.gql.world.tokens["health_editor"]
    operations = {
        "query": (DRAFT, {"id": rebuttal_id}),
        "mutation": (UPDATE, {"input": update_input(rebuttal_id)}),
        "subscription": (UPDATES, {}),
    }
    sockets = {kind: await connected(live.ws_url, token) for kind in operations}
    await works_before_revocation(sockets["query"], rebuttal_id)
    before = await newest_seq(database_url)
    async with open_database(Settings(database_url=database_url)):
        token_id = live.gql.world.token_ids["health_editor"]
        await Token.filter(id=token_id).update(revoked_at=datetime.now(UTC))

    for kind, (document, variables) in operations.items():
        await send(sockets[kind], kind, document, variables)
        messages, code = await until_closed(sockets[kind])
        assert [m["id"] for m in messages] == [kind]
        assert_all_refused(messages)
        assert code == REVOKED_CLOSE, kind
    assert await log_after(database_url, before) == []


async def test_other_tokens_sockets_stay_open(live: LiveServer) -> None:
    revoked = await connected(live.ws_url, live.gql.world.tokens["health_editor"])
    kept = await connected(live.ws_url, live.gql.world.tokens["health_editor2"])
    public = await connected(live.ws_url, None)
    live.cli("token", "revoke", str(live.gql.world.token_ids["health_editor"]))
    _, code = await until_closed(revoked)
    assert code == REVOKED_CLOSE
    for client, viewer in ((kept, {"name": "health_editor2"}), (public, None)):
        await send(client, "viewer", "{ viewer { name } }", {})
        answer = await client.message()
        assert answer["type"] == "next", answer
        assert answer["payload"]["data"]["viewer"] == viewer


async def test_a_socket_authenticated_by_its_upgrade_header_is_closed_too(
    live: LiveServer,
) -> None:
    token = live.gql.world.tokens["observer"]
    ws = await connect(
        live.ws_url,
        subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
        additional_headers={"authorization": f"Bearer {token}"},
    )
    client = Subscriber(ws)
    assert (await client.init())["type"] == "connection_ack"  # no token in the payload
    await send(client, "viewer", "{ viewer { name } }", {})
    assert (await client.message())["payload"]["data"]["viewer"] == {"name": "observer"}
    live.cli("token", "revoke", str(live.gql.world.token_ids["observer"]))
    _, code = await until_closed(client)
    assert code == REVOKED_CLOSE


@asynccontextmanager
async def api_processes(
    database_url: str, count: int, **env: str
) -> AsyncIterator[tuple[World, list[str]]]:
    """``count`` ``coordhub serve`` processes on one database; their URLs."""
    settings = Settings(database_url=database_url)
    async with open_database(settings):
        world = await build_world()
    shared = {
        "COORDHUB_DATABASE_URL": database_url,
        "COORDHUB_EMBEDDED_WORKER": "false",
        **env,
    }
    processes: list[subprocess.Popen[bytes]] = []
    urls: list[str] = []
    try:
        for _ in range(count):
            port = free_port()
            processes.append(spawn_server(port, shared))
            urls.append(f"http://127.0.0.1:{port}")
        for url, process in zip(urls, processes, strict=True):
            await wait_until_up(url, process)
        yield world, urls
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(10)


@pytest.mark.postgres_only
async def test_a_revocation_closes_the_tokens_sockets_on_every_api_process(
    database_url: str,
) -> None:
    """Two API processes that poll their log only every 60 s: the revocation (by the CLI, a
    third process) reaches both through PostgreSQL's NOTIFY, within a second."""
    async with api_processes(database_url, 2, COORDHUB_DELIVERY_POLL_SECONDS="60") as (
        world,
        urls,
    ):
        ws_urls = [url.replace("http://", "ws://") + "/graphql" for url in urls]
        token = world.tokens["observer"]
        sockets = [await connected(url, token) for url in ws_urls for _ in range(2)]
        kept = [await connected(url, world.tokens["coordinator"]) for url in ws_urls]
        env = {**os.environ, "COORDHUB_DATABASE_URL": database_url}
        cli = await asyncio.create_subprocess_exec(
            COORDHUB,
            "token",
            "revoke",
            str(world.token_ids["observer"]),
            env=env,
            stdout=asyncio.subprocess.DEVNULL,
        )
        assert await cli.wait() == 0
        revoked = time.monotonic()
        codes = await asyncio.gather(*(until_closed(s, seconds=5) for s in sockets))
        assert [code for _, code in codes] == [REVOKED_CLOSE] * 4
        assert time.monotonic() - revoked < 3, "closed by a poll, not by the wake-up"
        for client in kept:
            await send(client, "viewer", "{ viewer { name } }", {})
            answer = await client.message()
            assert answer["payload"]["data"]["viewer"]["name"] == "coordinator"
        async with httpx.AsyncClient(timeout=5) as http:
            for url in urls:
                response = await http.post(
                    f"{url}/graphql",
                    json={"query": "{ viewer { name } }"},
                    headers={"authorization": f"Bearer {token}"},
                )
                assert response.status_code == 401
