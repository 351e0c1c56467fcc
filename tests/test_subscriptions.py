"""Live, resumable subscriptions over graphql-transport-ws, against a real server process."""

from __future__ import annotations

import asyncio

import pytest
from websockets.exceptions import ConnectionClosed

from coordhub.models import Event
from coordhub.settings import Settings
from tests.flows import publish
from tests.live import LiveServer, Subscriber
from tests.support import open_database

REBUTTALS = """
subscription($after: String, $institutions: [String!]) {
  rebuttalUpdates(after: $after, institutions: $institutions) {
    cursor type institutions rebuttal { revision headline { en } institution { slug } }
  }
}
"""
PUBLISHED = "REBUTTAL_PUBLISHED"


#: The cursor before the first event: the tests' databases start with an empty log, so
#: subscribing ``after`` it receives everything without racing the subscription's start.
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

    return int(base64.urlsafe_b64decode(cursor).decode().split(":")[1])


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


async def test_a_cursor_ahead_of_the_log_asks_to_resynchronise(live: LiveServer) -> None:
    client = await Subscriber.open(live.ws_url)
    await client.init()
    await client.subscribe(REBUTTALS, {"after": "ZXZlbnQ6MTAwMDAw"})  # event 100000
    message = await client.message()
    errors = message["payload"] if message["type"] == "error" else message["payload"]["errors"]
    assert errors[0]["extensions"]["code"] == "CURSOR_EXPIRED"
