"""Live, resumable subscriptions over graphql-transport-ws, against a real server process."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
import uvicorn
from websockets.exceptions import ConnectionClosed

from coordhub.app import create_app
from coordhub.models import Event
from coordhub.schema.pagination import encode_cursor
from coordhub.settings import Settings
from tests.flows import drafted_rebuttal, publish
from tests.live import LiveServer, Subscriber, free_port
from tests.support import GraphQLClient, World, open_database

REBUTTALS = """
subscription($after: String, $institutions: [String!]) {
  rebuttalUpdates(after: $after, institutions: $institutions) {
    cursor type institutions rebuttal { revision headline { en } institution { slug } }
  }
}
"""
PUBLISHED = "REBUTTAL_PUBLISHED"


#: The cursor before the first event (of every log epoch): the tests' databases start with an
#: empty log, so subscribing ``after`` it receives everything without racing the subscription's
#: start.
FROM_THE_START = "ZXZlbnQ6MA=="


async def subscriber(live: LiveServer, token: str | None = None, **variables: object) -> Subscriber:
    client = await Subscriber.open(live.ws_url)
    ack = await client.init(live.gql.world.tokens[token] if token else None)
    assert ack["type"] == "connection_ack"
    await client.subscribe(REBUTTALS, {"after": FROM_THE_START, **variables})
    return client


async def test_a_subscriber_receives_a_publish_made_elsewhere(live: LiveServer) -> None:
    client = await Subscriber.open(live.ws_url)
    await client.init()
    await client.subscribe(REBUTTALS)  # live only, from now on
    await asyncio.sleep(1.0)  # nothing tells a client its subscription has started
    rebuttal_id = await publish(live.gql, ["akp"])
    [event] = await client.events(1)
    assert event["type"] == PUBLISHED
    assert event["rebuttal"]["revision"] == 1
    assert event["rebuttal"]["headline"]["en"] == "The vaccine is safe"
    assert rebuttal_id
    await client.close()


async def test_staff_see_the_whole_review_but_the_public_only_publication(
    live: LiveServer,
) -> None:
    public = await subscriber(live)
    staff = await subscriber(live, "health_editor")
    await publish(live.gql, ["akp"])
    staff_types = [e["type"] for e in await staff.events(4)]
    assert staff_types == [
        "REBUTTAL_DRAFTED",
        "REBUTTAL_SUBMITTED",
        "REBUTTAL_APPROVED",
        PUBLISHED,
    ]
    assert [e["type"] for e in await public.events(1)] == [PUBLISHED]
    await public.nothing_for(0.5)


async def test_a_subscriber_filtered_to_one_institution_gets_only_its_events(
    live: LiveServer,
) -> None:
    client = await subscriber(live, "observer", institutions=["education"])
    await publish(live.gql, ["akp"])  # the health ministry's
    await client.nothing_for(1.0)
    await live.gql.execute("{ viewer { name } }", as_="observer")


async def test_a_reconnecting_subscriber_gets_exactly_what_it_missed_then_live(
    live: LiveServer,
) -> None:
    client = await subscriber(live)
    await publish(live.gql, ["akp"])
    [seen] = await client.events(1)
    await client.close()

    missed = [await publish(live.gql, ["akp"]) for _ in range(3)]

    again = await subscriber(live, after=seen["cursor"])
    replayed = await again.events(3)
    assert [e["type"] for e in replayed] == [PUBLISHED] * 3
    cursors = [e["cursor"] for e in replayed]
    assert len(set(cursors)) == 3 and cursors == sorted(cursors, key=_seq)
    await publish(live.gql, ["akp"])
    [live_event] = await again.events(1)
    assert _seq(live_event["cursor"]) > _seq(cursors[-1])
    await again.nothing_for(0.5)
    assert len(missed) == 3


def _seq(cursor: str) -> int:
    import base64

    return int(base64.urlsafe_b64decode(cursor).decode().split(":")[-1])  # event:EPOCH:SEQ


async def test_private_subscriptions_refuse_unauthenticated_connections(live: LiveServer) -> None:
    client = await Subscriber.open(live.ws_url)
    await client.init()
    await client.subscribe("subscription { deliveryUpdates { type } }")
    message = await client.message()
    assert message["type"] in ("error", "next")
    errors = message["payload"] if message["type"] == "error" else message["payload"]["errors"]
    assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_bad_token_in_connection_init_closes_with_4403(live: LiveServer) -> None:
    client = await Subscriber.open(live.ws_url)
    with pytest.raises(ConnectionClosed) as closed:
        await client.init("chub_not-a-real-token")
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403


@pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient`")
def test_a_token_that_cannot_be_checked_closes_with_1013(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The database is unreachable: the subscriber is told to try again later (1013), neither
    refused as forbidden nor served as public."""
    from starlette.testclient import TestClient
    from starlette.websockets import WebSocketDisconnect

    from coordhub.app import create_app

    async def unreachable(secret: str) -> None:
        raise ConnectionRefusedError("connection refused")

    monkeypatch.setattr("coordhub.web.websocket.actor_for_token", unreachable)
    client = TestClient(create_app(settings, manage_database=False))
    with client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws:
        init = {"type": "connection_init", "payload": {"authorization": "Bearer chub_x"}}
        ws.send_json(init)
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
    assert closed.value.code == 1013


async def test_a_revoked_token_stops_receiving(live: LiveServer) -> None:
    client = await subscriber(live, "observer")
    live.cli("token", "revoke", str(live.gql.world.token_ids["observer"]))
    with pytest.raises(ConnectionClosed) as closed:
        while True:
            await client.message(5)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403


async def test_the_legacy_protocol_is_refused(live: LiveServer) -> None:
    client = await Subscriber.open(live.ws_url, protocol="graphql-ws")
    with pytest.raises(ConnectionClosed) as closed:
        await client.ws.recv()
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4406


async def test_a_subscriber_that_never_reads_is_cut_off_while_others_keep_receiving(
    live: LiveServer,
) -> None:
    silent = await subscriber(live)
    reader = await subscriber(live)
    reading = asyncio.create_task(reader.events(1))  # reads, answering pings
    await asyncio.sleep(3.0)  # past the pong timeout (2 s): the silent one never answered
    await publish(live.gql, ["akp"])
    [event] = await reading
    assert event["type"] == PUBLISHED
    with pytest.raises(ConnectionClosed) as closed:
        while True:
            await silent.ws.recv()  # drain what was buffered, then see the close
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4408


async def test_a_cursor_older_than_the_log_asks_to_resynchronise(live: LiveServer) -> None:
    client = await subscriber(live)
    await publish(live.gql, ["akp"])
    [seen] = await client.events(1)
    await client.close()
    await publish(live.gql, ["akp"])
    async with open_database(Settings(database_url=live.env["COORDHUB_DATABASE_URL"])):
        await Event.filter(seq__lte=_seq(seen["cursor"]) + 1).delete()  # the log was pruned
    stale = await Subscriber.open(live.ws_url)
    await stale.init()
    await stale.subscribe(REBUTTALS, {"after": seen["cursor"]})
    message = await stale.message()
    errors = message["payload"] if message["type"] == "error" else message["payload"]["errors"]
    assert errors[0]["extensions"]["code"] == "CURSOR_EXPIRED"


@pytest.mark.parametrize("epoch", ["current", "other"])
async def test_a_cursor_ahead_of_the_log_or_of_another_epoch_asks_to_resynchronise(
    live: LiveServer, epoch: str
) -> None:
    current = live.cli("log", "epoch").strip()
    if epoch == "current":
        cursor = encode_cursor("event", 100000, current)
    else:  # the log's start, but in another life of the database (say, before a restore)
        cursor = encode_cursor("event", 0, "f" * len(current))
    client = await Subscriber.open(live.ws_url)
    await client.init()
    await client.subscribe(REBUTTALS, {"after": cursor})
    message = await client.message()
    errors = message["payload"] if message["type"] == "error" else message["payload"]["errors"]
    assert errors[0]["extensions"]["code"] == "CURSOR_EXPIRED"


# Limits on sockets: message size, subscriptions per connection, connections per token.


@asynccontextmanager
async def serving(settings: Settings) -> AsyncIterator[str]:
    """The app under a plain uvicorn in this process (its own websocket limits left at
    uvicorn's defaults: 16 MiB messages), with its log tail; the websocket URL."""
    app = create_app(settings, manage_database=False)
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, lifespan="off")
    server = uvicorn.Server(config)
    await app.state.tail.start()
    task = asyncio.create_task(server.serve())
    try:
        while not server.started:
            assert not task.done(), "uvicorn did not start"
            await asyncio.sleep(0.02)
        yield f"ws://127.0.0.1:{port}/graphql"
    finally:
        server.should_exit = True
        await task
        await app.state.tail.stop()


async def send(client: Subscriber, op_id: str, query: str, variables: dict[str, Any]) -> None:
    payload = {"query": query, "variables": variables}
    await client.ws.send(json.dumps({"id": op_id, "type": "subscribe", "payload": payload}))


async def answer_to(client: Subscriber, op_id: str) -> dict[str, Any]:
    """The next ``next`` or ``error`` message of operation ``op_id`` (others' are skipped)."""
    while True:
        message = await client.message()
        if message.get("id") == op_id and message["type"] in ("next", "error"):
            return message


def errors_of(message: dict[str, Any]) -> list[dict[str, Any]]:
    """The errors of an operation's ``error`` message, or of a ``next`` that carries some."""
    if message["type"] == "error":
        return list(message["payload"])
    return list(message["payload"].get("errors") or [])


async def close_code(client: Subscriber, seconds: float = 10) -> int:
    with pytest.raises(ConnectionClosed) as closed:
        while True:
            await client.message(seconds)
    assert closed.value.rcvd is not None, "closed without a close frame"
    return closed.value.rcvd.code


SEARCH = "query($text: String!) { claims(filter: {text: $text}) { edges { node { id } } } }"


async def test_a_message_over_the_body_limit_closes_with_1009_on_any_server(
    settings: Settings, world: World
) -> None:
    """The handler enforces ``max_body_bytes`` itself: here uvicorn would take 16 MiB."""
    limited = settings.model_copy(update={"max_body_bytes": 4096})
    async with serving(limited) as url:
        fits = await Subscriber.open(url)
        await fits.init()
        await send(fits, "1", SEARCH, {"text": "x" * 3000})
        assert await answer_to(fits, "1")  # answered, not closed

        khmer = "វ៉ាក់សាំង" * 200  # fewer characters than the limit, more bytes
        assert len(khmer) < 4096 < len(khmer.encode())
        for text in ("x" * 5000, khmer):
            client = await Subscriber.open(url)
            await client.init()
            await send(client, "1", SEARCH, {"text": text})
            assert await close_code(client) == 1009

        await send(fits, "2", "{ viewer { name } }", {})  # others are unaffected
        assert (await answer_to(fits, "2"))["payload"]["data"] == {"viewer": None}


async def test_coordhub_serve_refuses_a_megabyte_message_with_1009(live: LiveServer) -> None:
    """The message of issue 11 (a 1 MiB variable) and one byte over the 256 KiB limit."""
    for size in (1024 * 1024, 256 * 1024 + 1):
        client = await Subscriber.open(live.ws_url)
        await client.init()
        head = json.dumps({"id": "1", "type": "subscribe", "payload": {"query": SEARCH}})
        padding = size - len(head) - len(', "variables": {"text": ""}')
        message = head[:-2] + ', "variables": {"text": "' + "x" * padding + '"}}}'
        assert len(message) == size
        await client.ws.send(message)
        assert await close_code(client) == 1009
    fits = await Subscriber.open(live.ws_url)
    await fits.init()
    await send(fits, "1", "{ viewer { name } }", {"padding": "x" * 200_000})
    assert (await fits.message())["type"] == "next"


async def test_one_subscription_too_many_on_a_connection_is_refused_with_its_code(
    settings: Settings, gql: GraphQLClient
) -> None:
    await drafted_rebuttal(gql)  # one event for every subscription to replay
    capped = settings.model_copy(update={"ws_max_subscriptions": 2})
    async with serving(capped) as url:
        client = await Subscriber.open(url)
        await client.init(gql.world.tokens["observer"])
        for op_id in ("a", "b"):
            await send(client, op_id, REBUTTALS, {"after": FROM_THE_START})
        started = [await client.message() for _ in range(2)]
        assert sorted(m["id"] for m in started) == ["a", "b"]
        assert all(m["type"] == "next" and not errors_of(m) for m in started), started

        await send(client, "c", REBUTTALS, {"after": FROM_THE_START})
        refused = await answer_to(client, "c")
        [error] = errors_of(refused)
        assert error["extensions"] == {"code": "TOO_MANY_SUBSCRIPTIONS", "limit": 2}

        await client.ws.send(json.dumps({"id": "a", "type": "complete"}))
        for attempt in range(20):  # the finished subscription's slot frees within moments
            op_id = f"d{attempt}"
            await send(client, op_id, REBUTTALS, {"after": FROM_THE_START})
            answer = await answer_to(client, op_id)
            if not errors_of(answer):
                break
            await asyncio.sleep(0.05)
        else:
            raise AssertionError("the completed subscription's slot was not freed")


async def test_one_socket_too_many_for_a_token_closes_with_4429(
    settings: Settings, world: World
) -> None:
    capped = settings.model_copy(update={"ws_max_sockets_per_token": 2})
    async with serving(capped) as url:
        held = []
        for _ in range(2):
            client = await Subscriber.open(url)
            assert (await client.init(world.tokens["observer"]))["type"] == "connection_ack"
            held.append(client)
        extra = await Subscriber.open(url)
        with pytest.raises(ConnectionClosed) as closed:
            await extra.init(world.tokens["observer"])
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4429
        assert "2 connections per token" in closed.value.rcvd.reason

        for other in (world.tokens["coordinator"], None):  # counted per token
            client = await Subscriber.open(url)
            assert (await client.init(other))["type"] == "connection_ack"

        await held.pop().close()
        for _ in range(40):  # the server hears of the close within moments
            again = await Subscriber.open(url)
            try:
                ack = await again.init(world.tokens["observer"])
            except ConnectionClosed:
                await asyncio.sleep(0.05)
                continue
            assert ack["type"] == "connection_ack"
            break
        else:
            raise AssertionError("a closed connection still counted against its token")


async def test_subscribers_with_the_same_answer_share_one_execution_per_event(
    live: LiveServer,
) -> None:
    """An event is executed once per document, variables below the root field and answer class
    (what the caller may read, and its role); every other subscriber of the class gets that
    answer, whatever its root field's own arguments (they filter the stream, not the answer)."""
    answers = "coordhub_subscription_answers_total"
    executed = await live.metric(answers, source="executed")
    shared = await live.metric(answers, source="shared")
    public = [await subscriber(live) for _ in range(2)]
    public += [await subscriber(live, institutions=["health"]) for _ in range(2)]
    editors = [await subscriber(live, token) for token in ("health_editor", "health_editor2")]
    approver = await subscriber(live, "health_approver")

    await publish(live.gql, ["akp"])
    for client in public:
        [event] = await client.events(1)
        assert event["type"] == PUBLISHED
        assert event["rebuttal"]["headline"]["en"] == "The vaccine is safe"
    for client in [*editors, approver]:
        seen = await client.events(4)
        assert [e["type"] for e in seen][-1] == PUBLISHED
        assert seen[-1]["rebuttal"]["institution"]["slug"] == "health"
    # The public's one event once, the editors' four once, the approver's four once.
    assert await live.metric(answers, source="executed") - executed == 1 + 4 + 4
    assert await live.metric(answers, source="shared") - shared == 3 + 4


def test_only_variables_read_below_the_root_field_tell_answers_apart() -> None:
    from graphql import FragmentDefinitionNode, OperationDefinitionNode, parse

    from coordhub.schema.events.fanout import selection_variables

    document = parse(
        """
        subscription($after: String, $only: [String!], $on: Boolean!, $km: Boolean!, $n: Int) {
          rebuttalUpdates(after: $after, institutions: $only) @include(if: $on) {
            cursor ...More
            rebuttal { headline { en km @include(if: $km) } }
          }
        }
        fragment More on RebuttalEvent { claim { rebuttals(first: $n) { id } } ...More }
        """
    )
    [operation, fragment] = document.definitions
    assert isinstance(operation, OperationDefinitionNode)
    assert isinstance(fragment, FragmentDefinitionNode)
    names = selection_variables(operation, {"More": fragment})
    assert names == {"on", "km", "n"}
