"""Scheduled publication: ``publishRebuttal(input: {publishAt})`` keeps an approved rebuttal
SCHEDULED, out of every public surface and undelivered, until the worker's timers publish it
at that time, once, as the account that scheduled it. Until then it may be scheduled again,
published now or unscheduled; a claim closed meanwhile sends it back to APPROVED."""

from __future__ import annotations

import asyncio
import json
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from coordhub.models import (
    Account,
    Delivery,
    Event,
    EventType,
    Rebuttal,
    RebuttalRevision,
    Role,
)
from coordhub.settings import Settings
from coordhub.workflow.timers import Timers
from tests.delivery import Outlets, connector_settings
from tests.flows import approve, approved_rebuttal, draft_input, ok, published_rebuttal
from tests.live import running_worker
from tests.support import GraphQLClient, number

SCHEDULED = """
query($id: ID!) { node(id: $id) { ... on Rebuttal {
  status revision headline { en } draft { publishAt headline { en } } claim { status }
} } }
"""
PUBLIC_LISTS = "{ rebuttals(first: 50) { edges { node { id } } } }"


def later(seconds: float) -> str:
    return (datetime.now(UTC) + timedelta(seconds=seconds)).isoformat()


async def schedule(
    gql: GraphQLClient, rebuttal_id: str, at: str, *, as_: str = "health_editor"
) -> dict[str, Any]:
    payload = await gql.mutate(
        "publishRebuttal",
        {"rebuttalId": rebuttal_id, "publishAt": at},
        as_=as_,
        select="id status draft { publishAt }",
    )
    return payload


async def come_due(rebuttal_id: str) -> None:
    """Move the rebuttal's time to publish into the past, as the clock would."""
    past = datetime.now(UTC) - timedelta(seconds=1)
    await Rebuttal.filter(id=number(rebuttal_id)).update(publish_at=past)


async def public_surfaces(http: httpx.AsyncClient, gql: GraphQLClient, rebuttal_id: str) -> dict:
    """What the public sees of the rebuttal: its node, the list, its page, the feed."""
    node = await gql.execute("query($id: ID!) { node(id: $id) { id } }", {"id": rebuttal_id})
    listed = await gql.execute(PUBLIC_LISTS)
    page = await http.get(f"/en/rebuttals/{number(rebuttal_id)}")
    feed = await http.get("/en/feed.atom")
    return {
        "node": node["node"],
        "listed": rebuttal_id in [e["node"]["id"] for e in listed["rebuttals"]["edges"]],
        "page": page.status_code,
        "in feed": f"/rebuttals/{number(rebuttal_id)}" in feed.text,
    }


async def test_a_scheduled_rebuttal_is_public_and_delivered_at_its_time_and_not_before(
    gql: GraphQLClient, http: httpx.AsyncClient, settings: Settings
) -> None:
    claim_id, rebuttal_id = await approved_rebuttal(gql)
    at = later(3600)
    payload = await schedule(gql, rebuttal_id, at)
    assert payload["errors"] == []
    assert payload["rebuttal"]["status"] == "SCHEDULED"
    assert datetime.fromisoformat(payload["rebuttal"]["draft"]["publishAt"]) == (
        datetime.fromisoformat(at)
    )

    timers = Timers(settings)
    assert await timers.run_once() == 0  # not yet
    hidden = {"node": None, "listed": False, "page": 404, "in feed": False}
    assert await public_surfaces(http, gql, rebuttal_id) == hidden
    assert not await Delivery.exists()
    assert not await RebuttalRevision.exists()
    assert 0 < await timers.seconds_to_next() <= settings.delivery_poll_seconds

    await come_due(rebuttal_id)
    assert await timers.seconds_to_next() == 0
    assert await timers.run_once() == 1
    assert await timers.run_once() == 0  # once

    seen = await gql.execute(SCHEDULED, {"id": rebuttal_id}, as_="health_editor")
    assert seen["node"]["status"] == "PUBLISHED"
    assert seen["node"]["revision"] == 1
    assert seen["node"]["draft"] is None
    assert seen["node"]["claim"]["status"] == "REBUTTED"
    shown = await public_surfaces(http, gql, rebuttal_id)
    assert shown == {"node": {"id": rebuttal_id}, "listed": True, "page": 200, "in feed": True}
    assert await Delivery.filter(rebuttal_id=number(rebuttal_id)).count() == len(
        draft_input(claim_id)["channels"]
    )

    events = await Event.filter(rebuttal_id=number(rebuttal_id)).order_by("seq")
    kinds = [(e.type, e.public) for e in events]
    assert (EventType.REBUTTAL_SCHEDULED, False) in kinds
    published = next(e for e in events if e.type == EventType.REBUTTAL_PUBLISHED)
    assert published.public
    assert published.payload["scheduled"] is True
    editor = await Account.get(name="health_editor")
    assert published.actor_id == editor.id  # the account that scheduled it
    revision = await RebuttalRevision.get(rebuttal_id=number(rebuttal_id))
    assert revision.published_by_id == editor.id


async def test_until_then_it_may_be_rescheduled_published_now_or_unscheduled(
    gql: GraphQLClient, settings: Settings
) -> None:
    timers = Timers(settings)
    _, moved = await approved_rebuttal(gql)
    await schedule(gql, moved, later(3600))
    again = await schedule(gql, moved, later(7200), as_="health_approver")
    assert again["errors"] == [] and again["rebuttal"]["status"] == "SCHEDULED"
    row = await Rebuttal.get(id=number(moved))
    assert row.publish_at is not None
    assert row.publish_at > datetime.now(UTC) + timedelta(seconds=7000)
    assert row.scheduled_by_id == (await Account.get(name="health_approver")).id

    _, hurried = await approved_rebuttal(gql)
    await schedule(gql, hurried, later(3600))
    now = await ok(gql, "publishRebuttal", {"rebuttalId": hurried}, as_="health_editor")
    assert now["status"] == "PUBLISHED"
    assert (await Rebuttal.get(id=number(hurried))).publish_at is None

    _, held = await approved_rebuttal(gql)
    await schedule(gql, held, later(3600))
    back = await ok(gql, "unscheduleRebuttal", {"rebuttalId": held}, as_="health_editor")
    assert back["status"] == "APPROVED"
    await Rebuttal.filter(id=number(held)).update(publish_at=datetime.now(UTC))  # a stale time
    assert await timers.run_once() == 0
    assert (await Rebuttal.get(id=number(held))).status == "APPROVED"
    twice = await gql.mutate("unscheduleRebuttal", {"rebuttalId": held}, as_="health_editor")
    assert [e["code"] for e in twice["errors"]] == ["INVALID_TRANSITION"]

    types = [
        e.type
        for e in await Event.filter(rebuttal_id=number(held)).order_by("seq")
        if e.type in (EventType.REBUTTAL_SCHEDULED, EventType.REBUTTAL_UNSCHEDULED)
    ]
    assert types == [EventType.REBUTTAL_SCHEDULED, EventType.REBUTTAL_UNSCHEDULED]
    assert await timers.run_once() == 0  # the one rescheduled is not due for two hours


@pytest.mark.parametrize(
    ("at", "as_", "code", "field"),
    [
        ("past", "health_editor", "INVALID", "publishAt"),
        ("naive", "health_editor", "INVALID", "publishAt"),
        ("in two years", "health_editor", "INVALID", "publishAt"),
        ("in an hour", "interior_editor", "NOT_FOUND", "rebuttalId"),
        ("in an hour", "reporter", "NOT_FOUND", "rebuttalId"),
        ("in an hour", "coordinator", "FORBIDDEN", None),
        ("in an hour", None, "UNAUTHENTICATED", None),
    ],
)
async def test_a_bad_schedule_is_explained_and_changes_nothing(
    gql: GraphQLClient, at: str, as_: str | None, code: str, field: str | None
) -> None:
    _, rebuttal_id = await approved_rebuttal(gql)
    times = {
        "past": later(-60),
        "naive": (datetime.now(UTC) + timedelta(hours=1)).replace(tzinfo=None).isoformat(),
        "in two years": later(2 * 366 * 86400),
        "in an hour": later(3600),
    }
    payload = await gql.mutate(
        "publishRebuttal", {"rebuttalId": rebuttal_id, "publishAt": times[at]}, as_=as_
    )
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [(code, field)]
    assert payload["errors"][0]["message"]
    row = await Rebuttal.get(id=number(rebuttal_id))
    assert (row.status, row.publish_at) == ("APPROVED", None)


async def test_only_an_approved_copy_may_be_scheduled(gql: GraphQLClient) -> None:
    _, rebuttal_id = await approved_rebuttal(gql)
    await ok(gql, "publishRebuttal", {"rebuttalId": rebuttal_id}, as_="health_editor")
    await ok(gql, "reviseRebuttal", {"rebuttalId": rebuttal_id}, as_="health_editor")
    payload = await schedule(gql, rebuttal_id, later(3600))  # a DRAFT correction
    assert [e["code"] for e in payload["errors"]] == ["INVALID_TRANSITION"]


async def test_a_scheduled_correction_leaves_the_live_revision_until_its_time(
    gql: GraphQLClient, http: httpx.AsyncClient, settings: Settings
) -> None:
    _, rebuttal_id = await published_rebuttal(gql)
    await ok(gql, "reviseRebuttal", {"rebuttalId": rebuttal_id}, as_="health_editor")
    change = {"rebuttalId": rebuttal_id, "headline": {"km": "កែ", "en": "Corrected headline"}}
    await ok(gql, "updateRebuttal", change, as_="health_editor")
    await approve(gql, rebuttal_id)
    await schedule(gql, rebuttal_id, later(3600))

    public = await gql.execute(SCHEDULED, {"id": rebuttal_id})
    assert public["node"]["status"] == "PUBLISHED"  # the schedule is the desk's business
    assert public["node"]["draft"] is None
    assert public["node"]["headline"]["en"] != "Corrected headline"
    desk = await gql.execute(SCHEDULED, {"id": rebuttal_id}, as_="health_editor")
    assert desk["node"]["status"] == "SCHEDULED"
    assert desk["node"]["draft"]["headline"]["en"] == "Corrected headline"
    page = await http.get(f"/en/rebuttals/{number(rebuttal_id)}")
    assert "Corrected headline" not in page.text
    deliveries = await Delivery.filter(rebuttal_id=number(rebuttal_id)).count()

    await come_due(rebuttal_id)
    assert await Timers(settings).run_once() == 1
    public = await gql.execute(SCHEDULED, {"id": rebuttal_id})
    assert (public["node"]["revision"], public["node"]["headline"]["en"]) == (
        2,
        "Corrected headline",
    )
    assert await Delivery.filter(rebuttal_id=number(rebuttal_id)).count() > deliveries
    page = await http.get(f"/en/rebuttals/{number(rebuttal_id)}")
    assert "Corrected headline" in page.text


async def test_a_retraction_takes_a_scheduled_correction_with_it(
    gql: GraphQLClient, settings: Settings
) -> None:
    _, rebuttal_id = await published_rebuttal(gql)
    await ok(gql, "reviseRebuttal", {"rebuttalId": rebuttal_id}, as_="health_editor")
    await approve(gql, rebuttal_id)
    await schedule(gql, rebuttal_id, later(3600))
    retraction = {
        "rebuttalId": rebuttal_id,
        "reason": {"km": "ក្រសួងបានដកតួលេខវិញ។", "en": "The ministry withdrew the figures."},
    }
    await ok(gql, "retractRebuttal", retraction, as_="health_approver")
    row = await Rebuttal.get(id=number(rebuttal_id))
    assert (row.status, row.live_revision, row.publish_at) == ("RETRACTED", 1, None)
    await come_due(rebuttal_id)  # even with a time left behind, a retracted one stays so
    assert await Timers(settings).run_once() == 0
    assert await RebuttalRevision.filter(rebuttal_id=number(rebuttal_id)).count() == 1


async def test_a_claim_closed_meanwhile_sends_the_rebuttal_back_to_approved(
    gql: GraphQLClient, settings: Settings
) -> None:
    claim_id, rebuttal_id = await approved_rebuttal(gql)
    await schedule(gql, rebuttal_id, later(3600))
    note = {"km": "មិនមែនជាព័ត៌មាន", "en": "Not news."}
    dismissal = {"claimId": claim_id, "reason": "NOT_NEWS", "note": note}
    await ok(gql, "dismissClaim", dismissal, as_="coordinator")
    await come_due(rebuttal_id)
    assert await Timers(settings).run_once() == 1
    row = await Rebuttal.get(id=number(rebuttal_id))
    assert (row.status, row.live_revision, row.publish_at) == ("APPROVED", None, None)
    event = await Event.filter(type=EventType.REBUTTAL_UNSCHEDULED).get()
    assert event.payload["reason"] == "The claim is DISMISSED."
    assert not event.public
    assert not await Delivery.exists()


async def test_a_scheduler_who_may_no_longer_publish_publishes_nothing(
    gql: GraphQLClient, settings: Settings
) -> None:
    _, rebuttal_id = await approved_rebuttal(gql)
    await schedule(gql, rebuttal_id, later(3600))
    await Account.filter(name="health_editor").update(role=Role.REPORTER)
    await come_due(rebuttal_id)
    assert await Timers(settings).run_once() == 1
    assert (await Rebuttal.get(id=number(rebuttal_id))).status == "APPROVED"
    event = await Event.filter(type=EventType.REBUTTAL_UNSCHEDULED).get()
    assert "may no longer publish" in event.payload["reason"]


# -- two worker processes on PostgreSQL ----------------------------------------------------------

REBUTTALS = 4


def worker_env(settings: Settings, outlets: Outlets) -> dict[str, str]:
    return {
        "COORDHUB_DATABASE_URL": settings.database_url,
        "COORDHUB_CONNECTORS": json.dumps(connector_settings(outlets.base)),
        "COORDHUB_DELIVERY_POLL_SECONDS": "30",  # the timers sleep until what is due
    }


@pytest.mark.postgres_only
async def test_two_worker_processes_publish_each_scheduled_rebuttal_once_at_its_time(
    gql: GraphQLClient, outlets: Outlets, delivery_settings: Settings
) -> None:
    rebuttals = [(await approved_rebuttal(gql))[1] for _ in range(REBUTTALS)]
    env = worker_env(delivery_settings, outlets)
    workers = [await running_worker(f"w{n}", env) for n in range(2)]
    try:
        due = {}
        for n, rebuttal_id in enumerate(rebuttals):
            at = datetime.now(UTC) + timedelta(seconds=1.5 + 0.2 * n)
            await schedule(gql, rebuttal_id, at.isoformat())
            due[number(rebuttal_id)] = at
        deadline = time.monotonic() + 20
        pks = list(due)
        while await RebuttalRevision.filter(rebuttal_id__in=pks).count() < REBUTTALS:
            assert time.monotonic() < deadline, "the workers did not publish in time"
            await asyncio.sleep(0.1)
        await asyncio.sleep(1.0)  # a second publication would have come by now
    finally:
        for process in workers:
            process.terminate()
        for process in workers:
            process.wait(timeout=20)
    revisions = await RebuttalRevision.filter(rebuttal_id__in=pks)
    assert sorted(r.rebuttal_id for r in revisions) == sorted(pks)  # each once
    for revision in revisions:
        late = (revision.published_at - due[revision.rebuttal_id]).total_seconds()
        assert 0 <= late < 5, late  # not before its time, and soon after it
    published = await Event.filter(type=EventType.REBUTTAL_PUBLISHED, rebuttal_id__in=pks)
    assert len(published) == REBUTTALS
    assert all(e.payload.get("scheduled") for e in published)
