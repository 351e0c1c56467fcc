"""The log epoch: every cursor and idempotency key carries it; a new one expires the old."""

from __future__ import annotations

import base64

import pytest
from typer.testing import CliRunner

from coordhub.cli import app
from coordhub.events.epoch import current_epoch, new_epoch
from tests.flows import publish, reported_claim
from tests.support import GraphQLClient

EXPIRED = {"code": "CURSOR_EXPIRED", "field": "after"}
EVENTS = "query($a: String) { events(first: 50, after: $a) { edges { cursor node { seq } } } }"
CLAIMS = (
    "query($a: String) { claims(first: 1, after: $a) { edges { node { id } } "
    "pageInfo { endCursor } } }"
)
KEYS = "{ deliveries(first: 50) { edges { node { idempotencyKey } } } }"


def parts(cursor: str) -> list[str]:
    return base64.urlsafe_b64decode(cursor).decode().split(":")


def forged(kind: str, *rest: object) -> str:
    return base64.urlsafe_b64encode(":".join([kind, *map(str, rest)]).encode()).decode()


async def errors_of(gql: GraphQLClient, query: str, after: str) -> list[dict[str, object]]:
    body = (await gql.post(query, {"a": after}, as_="observer")).json()
    return [error["extensions"] for error in body.get("errors", [])]


async def test_cursors_carry_the_epoch_and_one_of_another_epoch_is_expired(
    gql: GraphQLClient,
) -> None:
    await reported_claim(gql)
    await reported_claim(gql)
    epoch = await current_epoch()
    data = await gql.execute(CLAIMS, {"a": None}, as_="observer")
    cursor = data["claims"]["pageInfo"]["endCursor"]
    kind, in_cursor, key = parts(cursor)
    assert (kind, in_cursor) == ("claim", epoch)
    assert await errors_of(gql, CLAIMS, cursor) == []  # the current epoch's: the next page

    other = "0" * len(epoch)
    assert await errors_of(gql, CLAIMS, forged("claim", other, key)) == [EXPIRED]
    assert await errors_of(gql, CLAIMS, forged("claim", key)) == [EXPIRED]  # before epochs
    assert await errors_of(gql, CLAIMS, forged("claim", epoch, "x")) == [
        {"code": "INVALID", "field": "after"}
    ]


async def test_the_log_start_cursor_belongs_to_every_epoch(gql: GraphQLClient) -> None:
    await reported_claim(gql)
    everything = await gql.execute(EVENTS, {"a": None}, as_="observer")
    await new_epoch()
    start = base64.urlsafe_b64encode(b"event:0").decode()
    again = await gql.execute(EVENTS, {"a": start}, as_="observer")
    seqs = [edge["node"]["seq"] for edge in again["events"]["edges"]]
    assert seqs == [edge["node"]["seq"] for edge in everything["events"]["edges"]]


async def test_a_new_epoch_expires_earlier_cursors_and_changes_new_keys(
    gql: GraphQLClient,
) -> None:
    await publish(gql, ["akp", "tvk"])
    before = await gql.execute(EVENTS, {"a": None}, as_="observer")
    old_cursor = before["events"]["edges"][-1]["cursor"]
    old_keys = {
        edge["node"]["idempotencyKey"]
        for edge in (await gql.execute(KEYS, as_="coordinator"))["deliveries"]["edges"]
    }
    old, new = await new_epoch()
    assert old != new and all(old in key for key in old_keys)

    assert await errors_of(gql, EVENTS, old_cursor) == [EXPIRED]
    await publish(gql, ["akp", "tvk"])
    after = await gql.execute(EVENTS, {"a": None}, as_="observer")
    assert all(parts(edge["cursor"])[1] == new for edge in after["events"]["edges"])
    assert await errors_of(gql, EVENTS, after["events"]["edges"][0]["cursor"]) == []
    keys = {
        edge["node"]["idempotencyKey"]
        for edge in (await gql.execute(KEYS, as_="coordinator"))["deliveries"]["edges"]
    }
    new_keys = keys - old_keys
    assert len(new_keys) == 2 and all(new in key for key in new_keys)


def test_the_restore_step_draws_a_new_epoch_and_says_what_it_did(
    empty_database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    monkeypatch.setenv("COORDHUB_DATABASE_URL", empty_database_url)
    assert runner.invoke(app, ["migrate"]).exit_code == 0
    shown = runner.invoke(app, ["log", "epoch"])
    assert shown.exit_code == 0, shown.output
    old = shown.output.strip()
    assert len(old) == 12

    changed = runner.invoke(app, ["log", "new-epoch"])
    assert changed.exit_code == 0, changed.output
    new = runner.invoke(app, ["log", "epoch"]).output.strip()
    message = " ".join(changed.output.split())
    assert new != old and f"Log epoch {old} -> {new}." in message
    assert "CURSOR_EXPIRED" in message
