"""A restore from a backup on PostgreSQL: the restore step's new log epoch refuses every cursor
of the database's earlier life with CURSOR_EXPIRED (HTTP lists and websocket subscriptions),
and no delivery queued after it reuses an idempotency key, although the rebuttal ids, revisions
and event numbers handed out after the backup are handed out again."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests import pg
from tests.flows import correct, publish
from tests.live import COORDHUB, Subscriber, free_port, spawn_server, wait_until_up
from tests.support import GraphQLClient

pytestmark = pytest.mark.postgres_only

EVENTS = (
    "query($a: String) { events(first: 100, after: $a) { edges { cursor node { seq } } "
    "pageInfo { endCursor } } }"
)
DELIVERIES = (
    "{ deliveries(first: 100) { edges { node { idempotencyKey connector action "
    "rebuttal { id } revision } } } }"
)
UPDATES = "subscription($a: String) { rebuttalUpdates(after: $a) { cursor seq type } }"
EXPIRED = {"code": "CURSOR_EXPIRED", "field": "after"}


@pytest.fixture
def restored_url() -> Iterator[str]:
    """An empty database to restore the backup into, dropped after the test."""
    server = pg.server()
    url = server.create(migrated=False)
    try:
        yield url
    finally:
        server.drop(url)


def run(*command: str, database_url: str | None = None) -> str:
    env = {**os.environ, **({"COORDHUB_DATABASE_URL": database_url} if database_url else {})}
    done = subprocess.run(command, env=env, capture_output=True, check=False, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


async def last_cursor(gql: GraphQLClient) -> str:
    cursor = None
    while True:  # page to the end of the log
        page = (await gql.execute(EVENTS, {"a": cursor}, as_="observer"))["events"]
        if page["pageInfo"]["endCursor"] is None:
            assert cursor is not None
            return cursor
        cursor = page["pageInfo"]["endCursor"]


async def deliveries(gql: GraphQLClient) -> list[dict[str, Any]]:
    data = await gql.execute(DELIVERIES, as_="coordinator")
    return [edge["node"] for edge in data["deliveries"]["edges"]]


def sequence_numbers(rows: list[dict[str, Any]]) -> set[tuple[str, int, str, str]]:
    return {(d["rebuttal"]["id"], d["revision"], d["action"], d["connector"]) for d in rows}


async def refused(gql: GraphQLClient, ws_url: str, cursor: str) -> list[dict[str, Any]]:
    """The extensions of the errors for ``cursor``: the events list, then a subscription."""
    body = (await gql.post(EVENTS, {"a": cursor}, as_="observer")).json()
    over_http = [error["extensions"] for error in body.get("errors", [])]
    client = await Subscriber.open(ws_url)
    try:
        await client.init(gql.world.tokens["observer"])
        await client.subscribe(UPDATES, {"a": cursor})
        message = await client.message()
    finally:
        await client.close()
    payload = message["payload"]
    errors = payload if message["type"] == "error" else payload.get("errors", [])
    return [*over_http, *(error.get("extensions") for error in errors)]


async def test_after_a_restore_old_cursors_expire_and_no_key_repeats(
    gql: GraphQLClient, database_url: str, restored_url: str, tmp_path: Path
) -> None:
    first = await publish(gql, ["akp", "tvk"])
    before_backup = await last_cursor(gql)
    backup = tmp_path / "coordhub.dump"
    run("pg_dump", "--format=custom", f"--file={backup}", f"--dbname={database_url}")

    # Written after the backup, so lost by the restore: a new rebuttal and a correction.
    lost = await publish(gql, ["akp", "tvk"])
    await correct(gql, first, "A corrected headline")
    after_backup = await last_cursor(gql)
    issued = await deliveries(gql)
    lost_numbers = sequence_numbers([d for d in issued if d["rebuttal"]["id"] == lost])
    lost_numbers |= sequence_numbers([d for d in issued if d["revision"] == 2])

    run("pg_restore", "--no-owner", "--exit-on-error", f"--dbname={restored_url}", str(backup))
    run(COORDHUB, "migrate", database_url=restored_url)
    said = run(COORDHUB, "log", "new-epoch", database_url=restored_url)
    assert "CURSOR_EXPIRED" in said

    port = free_port()
    env = {
        "COORDHUB_DATABASE_URL": restored_url,
        "COORDHUB_EMBEDDED_WORKER": "false",
    }
    process = spawn_server(port, env)
    url = f"http://127.0.0.1:{port}"
    try:
        await wait_until_up(url, process)
        async with httpx.AsyncClient(base_url=url, timeout=10) as http:
            restored = GraphQLClient(http, gql.world)
            ws_url = url.replace("http://", "ws://") + "/graphql"
            # Every cursor of the earlier life is refused, over HTTP and on a websocket: the one
            # taken after the backup (whose numbers the restored log hands out again) as well
            # as the one from before it.
            assert await refused(restored, ws_url, after_backup) == [EXPIRED, EXPIRED]
            assert await refused(restored, ws_url, before_backup) == [EXPIRED, EXPIRED]

            # Publish again: the restored sequences repeat the lost rebuttal id and revision...
            again = await publish(restored, ["akp", "tvk"])
            await correct(restored, first, "Corrected once more")
            assert again == lost
            now = await deliveries(restored)
            old_keys = {d["idempotencyKey"] for d in issued}
            new = [d for d in now if d["idempotencyKey"] not in old_keys]
            assert sequence_numbers(new) == lost_numbers
            # ... and the keys do not: none equals a key issued before the restore.
            assert len(new) == len(lost_numbers) == len({d["idempotencyKey"] for d in new})
            # The same event numbers come again, under cursors that differ and work.
            fresh = await last_cursor(restored)
            assert fresh != after_backup
            body = (await restored.post(EVENTS, {"a": fresh}, as_="observer")).json()
            assert "errors" not in body, body
    finally:
        process.terminate()
        process.wait(10)
