"""Publishing reaches the outlets over real HTTP, in order, exactly once in effect."""

from __future__ import annotations

import asyncio
import time

import httpx
import orjson
from pydantic import SecretStr
from tortoise.transactions import in_transaction

from coordhub.app import create_app
from coordhub.connectors import FailedDelivery, RebuttalItem, hookimpl
from coordhub.connectors.manager import load_registry
from coordhub.connectors.outcomes import Outcome, OutcomeRecorder, write_outcomes
from coordhub.connectors.worker import DeliveryWorker
from coordhub.db import count_statements
from coordhub.events.log import committed
from coordhub.models import ConnectorState, Delivery, DeliveryStatus, Event, EventType
from coordhub.workflow.deliveries import enable_connector
from tests.delivery import Outlets, drain
from tests.flows import correct, draft_input, ok, publish, triaged_claim
from tests.standards import assert_valid
from tests.support import GraphQLClient

DELIVERIES = """
query($f: DeliveryFilter) {
  deliveries(first: 100, filter: $f) { edges { node {
    connector action revision status attempts lastError externalId payload
  } } }
}
"""


async def deliveries(gql: GraphQLClient, **filter: object) -> list[dict]:
    data = await gql.execute(DELIVERIES, {"f": filter or None}, as_="coordinator")
    return [e["node"] for e in data["deliveries"]["edges"]]


async def test_a_publish_reaches_every_chosen_outlet_with_valid_payloads(
    gql: GraphQLClient, worker: DeliveryWorker, outlets: Outlets, ninjs_validators: dict
) -> None:
    await publish(gql, ["akp", "tvk", "ministry-app", "webhook"])
    await drain(worker)

    akp = await outlets.received("akp")
    tvk = await outlets.received("tvk")
    app = await outlets.received("ministry-app")
    hook = await outlets.received("webhook")
    assert [len(akp), len(tvk), len(app), len(hook)] == [1, 1, 1, 1]
    assert_valid(ninjs_validators, "2.1", akp[0]["payload"])
    assert akp[0]["payload"]["pubstatus"] == "usable"
    assert tvk[0]["payload"]["ticker"]["en"] == "The vaccine is safe"
    assert app[0]["payload"]["action"] == "PUBLISH"
    assert hook[0]["payload"]["type"] == "rebuttal.published"

    rows = await deliveries(gql)
    assert {r["status"] for r in rows} == {"DELIVERED"}
    assert all(r["externalId"] for r in rows if r["connector"] != "webhook")
    assert all(r["payload"]["body"] for r in rows)  # the frozen payload, for the coordinator


async def test_an_outlet_down_receives_the_final_state_of_each_rebuttal_in_order(
    gql: GraphQLClient, worker: DeliveryWorker, outlets: Outlets
) -> None:
    await outlets.mode("akp", "down")
    first = await publish(gql, ["akp"])
    second = await publish(gql, ["akp"], claim_id=await triaged_claim(gql))
    third = await publish(gql, ["akp"], claim_id=await triaged_claim(gql))
    await drain(worker, until=lambda: _attempted_all())
    await correct(gql, second, "Corrected headline")
    retract = {"rebuttalId": third, "reason": {"km": "ការសិក្សាខុស។", "en": "Wrong study."}}
    await ok(gql, "retractRebuttal", retract, as_="health_approver")
    await drain(worker, until=lambda: _attempted_all())

    await outlets.mode("akp", "ok")
    await drain(worker)

    received = await outlets.received("akp")
    by_uri: dict[str, list[tuple[str, str]]] = {}
    for entry in received:
        payload = entry["payload"]
        by_uri.setdefault(payload["uri"], []).append((payload["version"], payload["pubstatus"]))
    finals = {uri: versions[-1] for uri, versions in by_uri.items()}
    assert sorted(finals.values()) == [("1", "canceled"), ("1", "usable"), ("2", "usable")]
    assert len(received) == 3, "superseded revisions are never sent"
    rows = await deliveries(gql, connector="akp")
    assert {r["status"] for r in rows} == {"DELIVERED", "SUPERSEDED"}
    assert all(r["externalId"] for r in rows if r["status"] == "DELIVERED")
    assert first


async def _attempted_all() -> bool:
    return not await Delivery.filter(status=DeliveryStatus.PENDING).exists()


async def test_a_rejected_delivery_fails_at_once_with_the_outlets_error(
    gql: GraphQLClient, worker: DeliveryWorker, outlets: Outlets
) -> None:
    await outlets.mode("tvk", "reject")
    await publish(gql, ["tvk"])
    await drain(worker)
    [row] = await deliveries(gql, connector="tvk")
    assert row["status"] == "FAILED"
    assert row["attempts"] == 1
    assert "rejected by simulator" in row["lastError"]


async def test_throttling_is_retried_after_retry_after(
    gql: GraphQLClient, worker: DeliveryWorker, outlets: Outlets
) -> None:
    await outlets.mode("ministry-app", "throttle", retry_after=1, times=1)
    await publish(gql, ["ministry-app"])
    started = time.monotonic()
    await drain(worker)
    elapsed = time.monotonic() - started
    [row] = await deliveries(gql, connector="ministry-app")
    assert row["status"] == "DELIVERED"
    assert row["attempts"] == 2
    assert elapsed >= 1.0, "the retry honoured Retry-After (1 s), not the 0.05 s backoff"


async def test_server_errors_retry_until_the_schedule_ends_then_fail(
    gql: GraphQLClient, worker: DeliveryWorker, outlets: Outlets
) -> None:
    await outlets.mode("akp", "error")
    await publish(gql, ["akp"])
    await drain(worker)
    [row] = await deliveries(gql, connector="akp")
    assert row["status"] == "FAILED"
    assert row["attempts"] == len(worker.settings.delivery_backoff_seconds) + 1
    assert "gave up after" in row["lastError"]


async def test_gone_disables_the_connector_and_holds_its_deliveries(
    gql: GraphQLClient, worker: DeliveryWorker, outlets: Outlets
) -> None:
    await outlets.mode("webhook", "gone")
    await publish(gql, ["webhook"])
    await drain(worker)
    assert (await ConnectorState.get(name="webhook")).disabled_at is not None
    await publish(gql, ["webhook"], claim_id=await triaged_claim(gql))
    assert await worker.run_once() == 0  # held: not claimed while disabled
    data = await gql.execute(
        "{ connectors { name plugin enabled disabledReason } }", as_="observer"
    )
    webhook = next(c for c in data["connectors"] if c["name"] == "webhook")
    assert webhook["enabled"] is False and "410" in webhook["disabledReason"]
    assert webhook["plugin"] == "coordhub"
    assert {"akp", "tvk", "ministry-app"} <= {c["name"] for c in data["connectors"]}

    await outlets.mode("webhook", "ok")
    assert await enable_connector("webhook") is True
    assert await enable_connector("webhook") is False  # already enabled: nothing logged
    enabled = await Event.filter(type=EventType.CONNECTOR_ENABLED).values_list("payload", flat=True)
    assert enabled == [{"connector": "webhook"}]
    await drain(worker)
    assert await Delivery.filter(connector="webhook", status="DELIVERED").count() == 1


async def test_a_failed_delivery_can_be_replayed_with_identical_bytes(
    gql: GraphQLClient, worker: DeliveryWorker, outlets: Outlets
) -> None:
    await outlets.mode("akp", "reject")
    await publish(gql, ["akp"])
    await drain(worker)
    delivery_id = (await gql.execute("{ deliveries { edges { node { id } } } }", as_="observer"))[
        "deliveries"
    ]["edges"][0]["node"]["id"]
    frozen = (await Delivery.get()).payload

    await outlets.mode("akp", "ok")
    refused = await gql.execute(
        "mutation($i: DeliveryIdInput!) { retryDelivery(input: $i) { errors { code } } }",
        {"i": {"deliveryId": delivery_id}},
        as_="health_editor",
    )
    assert refused["retryDelivery"]["errors"] == [{"code": "FORBIDDEN"}]
    retried = await gql.execute(
        "mutation($i: DeliveryIdInput!) { retryDelivery(input: $i) { "
        "delivery { status } errors { code } } }",
        {"i": {"deliveryId": delivery_id}},
        as_="coordinator",
    )
    assert retried["retryDelivery"] == {"delivery": {"status": "PENDING"}, "errors": []}
    await drain(worker)
    [entry] = await outlets.received("akp")
    assert orjson.loads(frozen["body"]) == entry["payload"]
    assert (await Delivery.get()).status == DeliveryStatus.DELIVERED


async def test_an_expired_lease_is_reclaimed_by_another_worker(
    gql: GraphQLClient, worker: DeliveryWorker, outlets: Outlets
) -> None:
    await publish(gql, ["akp"])
    crashed = DeliveryWorker(worker.settings, worker.registry, owner="crashed")
    [claimed] = await crashed.claim()  # leased, then the worker "dies" before sending
    assert await worker.run_once() == 0  # the lease still holds
    await Delivery.filter(id=claimed.id).update(lease_expires_at=claimed.created_at)
    await drain(worker)
    row = await Delivery.get(id=claimed.id)
    assert row.status == DeliveryStatus.DELIVERED and row.attempts == 2
    assert len(await outlets.received("akp")) == 1
    await crashed.http.aclose()


async def test_a_batch_is_claimed_and_recorded_in_as_many_statements_for_one_as_for_four(
    gql: GraphQLClient, worker: DeliveryWorker
) -> None:
    async def statements(channels: list[str]) -> tuple[int, int]:
        await publish(gql, channels)
        with count_statements() as claiming:
            claimed = await worker.claim()
        assert len(claimed) == len(channels)
        outcomes = [Outcome(d, DeliveryStatus.DELIVERED, external_id="x") for d in claimed]
        with count_statements() as recording:
            async with in_transaction():
                assert await write_outcomes(worker.owner, outcomes) == outcomes
        await committed()  # numbers the events (PostgreSQL)
        return len(claiming.statements), len(recording.statements)

    one = await statements(["akp"])
    four = await statements(["akp", "tvk", "ministry-app", "webhook"])
    assert one == four
    assert await Delivery.filter(status=DeliveryStatus.DELIVERED).count() == 5
    events = await Event.filter(type=EventType.DELIVERY_DELIVERED).values_list("seq", flat=True)
    assert len(events) == 5


async def test_a_claim_passes_over_deliveries_waiting_for_an_older_one(
    gql: GraphQLClient, worker: DeliveryWorker
) -> None:
    """Deliveries held back by an older one still being sent do not fill the batch: a claim
    takes what may go from further down the queue."""
    small = DeliveryWorker(
        worker.settings.model_copy(update={"delivery_batch": 3}), worker.registry, owner="small"
    )
    rebuttals = [await publish(gql, ["akp"]) for _ in range(3)]
    sending = await small.claim()  # three PUBLISHes, being sent
    for rebuttal_id in rebuttals:  # an UPDATE behind each, the oldest due deliveries now
        await correct(gql, rebuttal_id, "Corrected")
    assert await small.claim() == []
    await publish(gql, ["akp"])
    [later] = await small.claim()
    assert later.action.value == "PUBLISH"
    assert later.rebuttal_id not in {d.rebuttal_id for d in sending}
    await small.http.aclose()


async def test_one_drain_delivers_what_is_due_and_what_was_held_back_behind_it(
    gql: GraphQLClient, worker: DeliveryWorker, outlets: Outlets, monkeypatch
) -> None:
    """``drain`` claims more as sends end, before their outcomes are recorded (the fifth
    PUBLISH goes out while the first four wait to be recorded), and a correction held back
    behind a PUBLISH being sent goes out in the same call once the PUBLISH is recorded, and
    after it."""
    small = DeliveryWorker(
        worker.settings.model_copy(update={"delivery_batch": 4, "delivery_concurrency": 2}),
        worker.registry,
        owner="small",
    )
    rebuttals = [await publish(gql, ["akp"]) for _ in range(5)]
    recording = _held_outcomes(monkeypatch)
    draining = asyncio.create_task(small.drain())
    await _until_received(outlets, 5)  # more than a batch sent, no outcome written yet
    for rebuttal_id in rebuttals:  # each behind its PUBLISH, still being sent
        await correct(gql, rebuttal_id, "Corrected")
    recording.set()
    assert await asyncio.wait_for(draining, 10) == 5 + 5
    assert await Delivery.filter(status=DeliveryStatus.DELIVERED).count() == 10
    versions: dict[str, list[str]] = {}
    for entry in await outlets.received("akp"):
        versions.setdefault(entry["payload"]["uri"], []).append(entry["payload"]["version"])
    assert sorted(versions.values()) == [["1", "2"]] * 5
    await small.http.aclose()


def _held_outcomes(monkeypatch) -> asyncio.Event:  # type: ignore[no-untyped-def]
    """Hold every outcome before it is recorded, until the returned event is set."""
    writable = asyncio.Event()
    record = OutcomeRecorder.record

    async def held(self: OutcomeRecorder, outcome: Outcome) -> DeliveryStatus | None:
        await writable.wait()
        return await record(self, outcome)

    monkeypatch.setattr(OutcomeRecorder, "record", held)
    return writable


async def _until_received(outlets: Outlets, count: int) -> None:
    deadline = time.monotonic() + 5
    while len(await outlets.received("akp")) < count:
        assert time.monotonic() < deadline, f"AKP did not receive {count} deliveries"
        await asyncio.sleep(0.02)


async def test_a_send_does_not_wait_for_the_outcome_before_it_to_be_recorded(
    gql: GraphQLClient, worker: DeliveryWorker, outlets: Outlets, monkeypatch
) -> None:
    """With one send at a time, the second delivery goes out while the first one's outcome is
    still waiting to be written: a send slot is free once the outlet has answered."""
    one_at_a_time = DeliveryWorker(
        worker.settings.model_copy(update={"delivery_concurrency": 1}), worker.registry
    )
    for _ in range(2):
        await publish(gql, ["akp"])
    writable = _held_outcomes(monkeypatch)
    draining = asyncio.create_task(one_at_a_time.drain())
    await _until_received(outlets, 2)  # the second sent before the first is recorded
    assert not await Delivery.filter(status=DeliveryStatus.DELIVERED).exists()
    writable.set()
    assert await asyncio.wait_for(draining, 5) == 2
    assert await Delivery.filter(status=DeliveryStatus.DELIVERED).count() == 2
    await one_at_a_time.http.aclose()


async def test_the_worker_runs_in_the_background_and_wakes_on_publish(
    gql: GraphQLClient, worker: DeliveryWorker, outlets: Outlets
) -> None:
    stop = asyncio.Event()
    slow_poll = worker.settings.model_copy(update={"delivery_poll_seconds": 30.0})
    background = DeliveryWorker(slow_poll, worker.registry)
    task = asyncio.create_task(background.run(stop))
    await asyncio.sleep(0.1)
    await publish(gql, ["akp"])
    deadline = time.monotonic() + 5
    while not await outlets.received("akp"):
        assert time.monotonic() < deadline, "the wake-up did not reach the worker"
        await asyncio.sleep(0.02)
    stop.set()
    await asyncio.wait_for(task, 5)
    await background.http.aclose()


class Observer:
    """A plugin that only observes."""

    def __init__(self) -> None:
        self.published: list[tuple[str, int]] = []
        self.failed: list[str] = []

    @hookimpl
    async def coordhub_rebuttal_published(self, item: RebuttalItem) -> None:
        self.published.append((item.id, item.revision))

    @hookimpl
    def coordhub_delivery_failed(self, failure: FailedDelivery) -> None:
        self.failed.append(failure.error)


async def test_observer_hooks_hear_publications_once_each_and_failures(
    gql: GraphQLClient, delivery_settings, outlets: Outlets
) -> None:
    observer = Observer()
    registry = load_registry(delivery_settings, plugins=[observer])
    observing = DeliveryWorker(delivery_settings, registry)
    await outlets.mode("akp", "reject")
    rebuttal_id = await publish(gql, ["akp"])
    await correct(gql, rebuttal_id, "Corrected")
    await drain(observing)
    await drain(observing)  # nothing is dispatched twice
    assert observer.published == [(rebuttal_id, 1), (rebuttal_id, 2)]
    assert len(observer.failed) == 1 and "rejected" in observer.failed[0]
    await observing.http.aclose()


async def test_connector_health_reflects_the_outlet(
    gql: GraphQLClient, outlets: Outlets, delivery_settings
) -> None:
    app = create_app(delivery_settings, manage_database=False)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://coordhub.test"
    ) as http:
        client = GraphQLClient(http, gql.world)
        await outlets.mode("tvk", "down")
        data = await client.execute("{ connectors { name health { ok detail } } }", as_="observer")
        public = await client.execute("{ connectors { name } }")
    health = {c["name"]: c["health"] for c in data["connectors"]}
    assert health["akp"] == {"ok": True, "detail": "HTTP 200"}
    assert health["tvk"] == {"ok": False, "detail": "HTTP 503"}
    assert public["connectors"] == []


async def test_channels_must_name_installed_connectors(gql: GraphQLClient) -> None:
    claim_id = await triaged_claim(gql)
    payload = await gql.mutate(
        "draftRebuttal", draft_input(claim_id, channels=["akp", "apk"]), as_="health_editor"
    )
    assert payload["errors"][0]["code"] == "INVALID"
    assert payload["errors"][0]["field"] == "channels.1"
    assert "akp" in payload["errors"][0]["message"]  # lists what is installed


async def test_an_unconfigured_connector_waits_without_using_up_attempts(
    gql: GraphQLClient, worker: DeliveryWorker
) -> None:
    unconfigured = worker.settings.model_copy(update={"connectors": {}})
    waiting = DeliveryWorker(unconfigured, worker.registry)
    await publish(gql, ["akp"])
    assert await waiting.run_once() == 1
    row = await Delivery.get()
    assert row.status == DeliveryStatus.RETRYING and row.attempts == 0
    assert "no settings" in row.last_error
    await waiting.http.aclose()


async def test_metrics_show_requests_deliveries_and_latencies(
    gql: GraphQLClient, worker: DeliveryWorker, outlets: Outlets, delivery_settings
) -> None:
    await publish(gql, ["akp", "tvk"])
    await outlets.mode("tvk", "down")
    await drain(worker, until=lambda: _attempted_all())
    # In production /metrics needs its token; the counters are the process's, whichever app.
    scrape = delivery_settings.model_copy(update={"metrics_token": SecretStr("t" * 16)})
    app = create_app(scrape, manage_database=False)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://coordhub.test"
    ) as http:
        text = (await http.get("/metrics", headers={"authorization": "Bearer " + "t" * 16})).text
    assert 'coordhub_deliveries{connector="akp",status="DELIVERED"} 1.0' in text
    assert 'coordhub_delivery_queue_depth{connector="tvk"} 1.0' in text
    assert (
        'coordhub_graphql_requests_total{operation="anonymous",outcome="ok",type="mutation"}'
        in text
    )
    assert "coordhub_delivery_latency_seconds_count" in text
    assert "coordhub_report_to_published_rebuttal_seconds_count" in text
