"""Claims coming due: the worker's timers write CLAIM_DUE_SOON when a quarter of the time
allowed is left and CLAIM_OVERDUE when the due-by passes, once each (also with two worker
processes on PostgreSQL); observer plugins hear triage and overdue claims
(``coordhub_claim_triaged``, ``coordhub_claim_overdue``); and the desks subscribe to what
concerns their institution (``claimUpdates``)."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta

import pytest

from coordhub.connectors import ClaimNotice, hookimpl
from coordhub.connectors.manager import load_registry
from coordhub.connectors.worker import DeliveryWorker
from coordhub.models import Claim, Event, EventType
from coordhub.settings import Settings
from coordhub.workflow.timers import Timers
from tests.flows import ok, published_rebuttal, reported_claim
from tests.live import LiveServer, Subscriber, running_worker
from tests.support import GraphQLClient, number, open_database

ALERTS = (EventType.CLAIM_DUE_SOON, EventType.CLAIM_OVERDUE)


def later(seconds: float) -> str:
    return (datetime.now(UTC) + timedelta(seconds=seconds)).isoformat()


async def triage(
    gql: GraphQLClient, claim_id: str, due_in: float, lead: str = "health", **extra: object
) -> None:
    triage = {"claimId": claim_id, "lead": lead, "priority": "HIGH", "dueAt": later(due_in)}
    await ok(gql, "triageClaim", {**triage, **extra}, as_="coordinator")


async def alerts(claim_id: str | None = None) -> list[tuple[EventType, int]]:
    rows = Event.filter(type__in=ALERTS).order_by("seq")
    if claim_id is not None:
        rows = rows.filter(claim_id=number(claim_id))
    return [(e.type, e.claim_id) for e in await rows]


async def time_passes(claim_id: str) -> None:
    """Bring the claim's next alert to now, as the clock would."""
    claim = await Claim.get(id=number(claim_id))
    assert claim.next_alert_at is not None
    await Claim.filter(id=claim.id).update(
        next_alert_at=datetime.now(UTC) - timedelta(milliseconds=1)
    )
    if claim.due_at and claim.next_alert_at >= claim.due_at:  # the overdue alert: due by now
        await Claim.filter(id=claim.id).update(due_at=datetime.now(UTC) - timedelta(seconds=1))


async def test_a_claim_is_due_soon_at_three_quarters_of_its_time_then_overdue_once(
    gql: GraphQLClient, settings: Settings
) -> None:
    timers = Timers(settings)
    claim_id = await reported_claim(gql)
    await triage(gql, claim_id, due_in=4 * 3600)
    claim = await Claim.get(id=number(claim_id))
    assert claim.due_at and claim.triaged_at and claim.next_alert_at
    assert (
        abs(
            (
                claim.next_alert_at - (claim.due_at - (claim.due_at - claim.triaged_at) / 4)
            ).total_seconds()
        )
        < 0.01
    )  # three hours in, one left
    assert await timers.run_once() == 0
    assert await alerts() == []

    await time_passes(claim_id)
    assert await timers.run_once() == 1
    assert await timers.run_once() == 0
    pk = number(claim_id)
    assert await alerts() == [(EventType.CLAIM_DUE_SOON, pk)]
    claim = await Claim.get(id=pk)
    assert claim.next_alert_at == claim.due_at

    await time_passes(claim_id)
    assert await timers.run_once() == 1
    assert await timers.run_once() == 0
    assert await alerts() == [(EventType.CLAIM_DUE_SOON, pk), (EventType.CLAIM_OVERDUE, pk)]
    assert (await Claim.get(id=pk)).next_alert_at is None

    overdue = await Event.filter(type=EventType.CLAIM_OVERDUE).get()
    assert overdue.institutions == ["health"]
    assert not overdue.public
    assert overdue.actor_id is None  # the system, not an account
    assert overdue.payload["priority"] == "HIGH"


async def test_a_claim_rebutted_in_time_raises_no_alert_until_a_retraction_reopens_it(
    gql: GraphQLClient, settings: Settings
) -> None:
    timers = Timers(settings)
    claim_id, rebuttal_id = await published_rebuttal(gql)
    await time_passes(claim_id)
    assert await timers.run_once() == 1  # the claim is seen, and cleared
    assert await alerts(claim_id) == []
    assert (await Claim.get(id=number(claim_id))).next_alert_at is None

    retraction = {
        "rebuttalId": rebuttal_id,
        "reason": {"km": "តួលេខខុស។", "en": "The figures were wrong."},
    }
    await ok(gql, "retractRebuttal", retraction, as_="health_approver")
    await Claim.filter(id=number(claim_id)).update(due_at=datetime.now(UTC) - timedelta(hours=1))
    await Claim.filter(id=number(claim_id)).update(next_alert_at=datetime.now(UTC))
    assert await timers.run_once() == 1
    assert await alerts(claim_id) == [(EventType.CLAIM_OVERDUE, number(claim_id))]


async def test_triage_again_to_a_new_due_by_starts_the_alerts_again(
    gql: GraphQLClient, settings: Settings
) -> None:
    timers = Timers(settings)
    claim_id = await reported_claim(gql)
    await triage(gql, claim_id, due_in=3600)
    await time_passes(claim_id)
    await timers.run_once()
    await time_passes(claim_id)
    await timers.run_once()
    assert len(await alerts(claim_id)) == 2
    await triage(gql, claim_id, due_in=8 * 3600, supporting=["education"])
    claim = await Claim.get(id=number(claim_id))
    assert claim.next_alert_at is not None and claim.next_alert_at > datetime.now(UTC)
    await time_passes(claim_id)
    await timers.run_once()
    *_, again = await Event.filter(claim_id=claim.id, type__in=ALERTS).order_by("seq")
    assert again.type == EventType.CLAIM_DUE_SOON
    assert sorted(again.institutions) == ["education", "health"]


class Desk:
    """A plugin alerting the desks: it hears triaged and overdue claims."""

    def __init__(self) -> None:
        self.heard: list[tuple[str, str, str | None, list[str], int]] = []

    @hookimpl
    async def coordhub_claim_triaged(self, claim: ClaimNotice) -> None:
        lead = claim.lead.slug if claim.lead else None
        self.heard.append(
            ("triaged", claim.id, lead, [s.slug for s in claim.supporting], claim.seq)
        )

    @hookimpl
    def coordhub_claim_overdue(self, claim: ClaimNotice) -> None:
        lead = claim.lead.slug if claim.lead else None
        self.heard.append(
            ("overdue", claim.id, lead, [s.slug for s in claim.supporting], claim.seq)
        )


async def test_plugins_hear_each_claim_triaged_and_overdue_once(
    gql: GraphQLClient, delivery_settings: Settings
) -> None:
    desk = Desk()
    worker = DeliveryWorker(delivery_settings, load_registry(delivery_settings, plugins=[desk]))
    claim_id = await reported_claim(gql)
    await triage(gql, claim_id, due_in=3600, supporting=["education"])
    await worker.run_once()
    await time_passes(claim_id)
    await Timers(delivery_settings).run_once()  # due soon: not a hook
    await time_passes(claim_id)
    await Timers(delivery_settings).run_once()
    await worker.run_once()
    await worker.run_once()  # nothing twice
    await worker.http.aclose()
    seqs = [
        e.seq
        for e in await Event.filter(
            type__in=[EventType.CLAIM_TRIAGED, EventType.CLAIM_OVERDUE]
        ).order_by("seq")
    ]
    assert desk.heard == [
        ("triaged", claim_id, "health", ["education"], seqs[0]),
        ("overdue", claim_id, "health", ["education"], seqs[1]),
    ]


# -- claimUpdates ---------------------------------------------------------------------------

CLAIM_UPDATES = """
subscription($after: String, $institutions: [String!]) {
  claimUpdates(after: $after, institutions: $institutions) {
    cursor type institutions claim { id status }
  }
}
"""
FROM_THE_START = "ZXZlbnQ6MA=="


async def claim_subscriber(live: LiveServer, token: str, **variables: object) -> Subscriber:
    client = await Subscriber.open(live.ws_url)
    ack = await client.init(live.gql.world.tokens[token])
    assert ack["type"] == "connection_ack"
    await client.subscribe(CLAIM_UPDATES, {"after": FROM_THE_START, **variables})
    return client


async def test_a_desk_hears_what_concerns_its_institution_and_resumes(live: LiveServer) -> None:
    gql = live.gql
    ours = await reported_claim(gql)
    theirs = await reported_claim(gql)
    desk = await claim_subscriber(live, "health_editor")
    coordinator = await claim_subscriber(live, "coordinator", institutions=["interior"])
    await triage(gql, theirs, due_in=3600, lead="interior")
    await triage(gql, ours, due_in=3600)
    [triaged] = await desk.events(1)
    assert (triaged["type"], triaged["claim"]["id"]) == ("CLAIM_TRIAGED", ours)

    settings = Settings(database_url=live.env["COORDHUB_DATABASE_URL"])
    async with open_database(settings):
        await time_passes(ours)
        await Timers(settings).run_once()
    [due_soon] = await desk.events(1)
    assert (due_soon["type"], due_soon["claim"]["id"]) == ("CLAIM_DUE_SOON", ours)
    note = {"km": "មិនមែនជាព័ត៌មាន", "en": "Not news."}
    dismissal = {"claimId": ours, "reason": "NOT_NEWS", "note": note}
    await ok(gql, "dismissClaim", dismissal, as_="coordinator")
    [dismissed] = await desk.events(1)
    assert dismissed["type"] == "CLAIM_DISMISSED"
    await desk.nothing_for(0.5)  # nothing of the interior ministry's claim
    await desk.close()

    [interior] = await coordinator.events(1)
    assert (interior["type"], interior["claim"]["id"]) == ("CLAIM_TRIAGED", theirs)
    await coordinator.nothing_for(0.3)
    await coordinator.close()

    again = await claim_subscriber(live, "health_editor", after=triaged["cursor"])
    assert [e["type"] for e in await again.events(2)] == ["CLAIM_DUE_SOON", "CLAIM_DISMISSED"]
    await again.close()


@pytest.mark.parametrize(
    ("token", "institutions", "code"),
    [
        (None, None, "UNAUTHENTICATED"),
        ("reporter", None, "FORBIDDEN"),
        ("service", None, "FORBIDDEN"),
        ("health_editor", ["interior"], "FORBIDDEN"),
    ],
)
async def test_claim_updates_are_for_the_desks(
    live: LiveServer, token: str | None, institutions: list[str] | None, code: str
) -> None:
    client = await Subscriber.open(live.ws_url)
    await client.init(live.gql.world.tokens[token] if token else None)
    await client.subscribe(CLAIM_UPDATES, {"institutions": institutions})
    message = await client.message()
    errors = message["payload"] if message["type"] == "error" else message["payload"]["errors"]
    assert errors[0]["extensions"]["code"] == code
    await client.close()


# -- two worker processes on PostgreSQL -----------------------------------------------------

CLAIMS = 4


@pytest.mark.postgres_only
async def test_two_worker_processes_alert_each_claim_once_at_its_time(
    gql: GraphQLClient, settings: Settings
) -> None:
    claims = [await reported_claim(gql) for _ in range(CLAIMS)]
    env = {
        "COORDHUB_DATABASE_URL": settings.database_url,
        "COORDHUB_DELIVERY_POLL_SECONDS": "30",  # the timers sleep until what is due
    }
    workers = [await running_worker(f"w{n}", env) for n in range(2)]
    try:
        for claim_id in claims:
            await triage(gql, claim_id, due_in=2.0)  # due soon at 1.5 s, overdue at 2 s
        deadline = time.monotonic() + 20
        while len(await alerts()) < 2 * CLAIMS:
            assert time.monotonic() < deadline, "the workers did not alert in time"
            await asyncio.sleep(0.1)
        await asyncio.sleep(1.0)  # a second alert would have come by now
    finally:
        for process in workers:
            process.terminate()
        for process in workers:
            process.wait(timeout=20)
    written = await Event.filter(type__in=ALERTS).order_by("seq")
    assert sorted((e.claim_id, e.type) for e in written) == sorted(
        (number(c), t) for c in claims for t in ALERTS
    )
    for event in written:
        claim = await Claim.get(id=event.claim_id)
        assert claim.due_at and claim.triaged_at
        when = (
            claim.due_at
            if event.type == EventType.CLAIM_OVERDUE
            else (claim.due_at - (claim.due_at - claim.triaged_at) / 4)
        )
        assert 0 <= (event.at - when).total_seconds() < 5  # not before its time
