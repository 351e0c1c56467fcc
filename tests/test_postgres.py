"""The workflow on PostgreSQL: same migrations, and locking under concurrent calls."""

from __future__ import annotations

import asyncio

import pytest

from coordhub.connectors.worker import DeliveryWorker
from coordhub.models import Delivery, DeliveryStatus, Event
from tests.flows import approved_rebuttal, ok, publish, report_input
from tests.support import GraphQLClient

# conftest's fixtures give these tests PostgreSQL in every run (tests/databases.py).
pytestmark = pytest.mark.postgres_only


async def test_a_rebuttal_is_published_once_when_two_editors_race(gql: GraphQLClient) -> None:
    _, rebuttal_id = await approved_rebuttal(gql)
    publish = {"rebuttalId": rebuttal_id}

    results = await asyncio.gather(
        gql.mutate("publishRebuttal", publish, as_="health_editor"),
        gql.mutate("publishRebuttal", publish, as_="health_editor2"),
    )

    succeeded = [r for r in results if not r["errors"]]
    refused = [r for r in results if r["errors"]]
    assert len(succeeded) == 1
    assert refused[0]["errors"][0]["code"] == "INVALID_TRANSITION"
    data = await gql.execute(
        "query($id: ID!) { node(id: $id) { ... on Rebuttal { revisions { number } } } }",
        {"id": rebuttal_id},
    )
    assert data["node"]["revisions"] == [{"number": 1}]


async def test_concurrent_writers_get_gapless_commit_ordered_event_numbers(
    gql: GraphQLClient,
) -> None:
    await asyncio.gather(
        *(ok(gql, "reportClaim", report_input(en=f"claim {i}"), as_="reporter") for i in range(20))
    )
    seqs = [e.seq for e in await Event.all().order_by("seq")]
    assert seqs == list(range(1, 21))


async def test_khmer_search_works_on_postgres(gql: GraphQLClient) -> None:
    await ok(gql, "reportClaim", report_input(), as_="reporter")
    data = await gql.execute(
        '{ claims(filter: { text: "វ៉ាក់សាំងបង្ក" }) { edges { node { status } } } }',
        as_="observer",
    )
    assert data["claims"]["edges"] == [{"node": {"status": "REPORTED"}}]


async def test_a_tailing_reader_sees_every_event_once_in_order_while_writers_race(
    db: None,
) -> None:
    """Writers commit side by side (no shared row); numbering after commit keeps the log
    gapless for a reader polling ``seq > cursor``: every event once, each writer's in order."""
    from tortoise.transactions import in_transaction

    from coordhub.events.log import append, committed
    from coordhub.models import EventType, PendingEvent

    writers, writes = 8, 25
    finished = asyncio.Event()
    seen: list[Event] = []

    async def write(writer: int) -> None:
        for i in range(writes):
            async with in_transaction():
                for part in (0, 1):  # two events in one transaction, numbered in order
                    payload = {"writer": writer, "i": i, "part": part}
                    await append(EventType.INSTITUTION_ADDED, actor=None, payload=payload)
            await committed()

    async def tail() -> None:
        cursor = 0
        while True:
            done = finished.is_set()
            rows = await Event.filter(seq__gt=cursor).order_by("seq").limit(50)
            seen.extend(rows)
            cursor = rows[-1].seq if rows else cursor
            if done and not rows:
                return
            await asyncio.sleep(0.001)

    reader = asyncio.create_task(tail())
    await asyncio.gather(*(write(w) for w in range(writers)))
    finished.set()
    await reader

    assert [e.seq for e in seen] == list(range(1, 2 * writers * writes + 1))
    for writer in range(writers):
        mine = [(e.payload["i"], e.payload["part"]) for e in seen if e.payload["writer"] == writer]
        assert mine == [(i, part) for i in range(writes) for part in (0, 1)]
    assert await PendingEvent.all().count() == 0


async def test_racing_workers_never_claim_the_same_delivery(
    gql: GraphQLClient, worker: DeliveryWorker
) -> None:
    """Claims that run side by side each lease rows no other claim holds, even when a claim
    reads a row as due just before another claim's commit makes it DELIVERING: the lock's
    re-check of the newer row version must see that it is no longer waiting."""
    await publish(gql, ["akp"])
    [template] = await Delivery.all()
    copies = 400
    await Delivery.bulk_create(
        [
            Delivery(
                rebuttal_id=template.rebuttal_id,
                revision=template.revision,
                connector=f"outlet-{n}",  # one outlet each: no copy waits behind another
                action=template.action,
                idempotency_key=f"{template.idempotency_key}-{n}",
                status=DeliveryStatus.PENDING,
                next_attempt_at=template.next_attempt_at,
                item=template.item,
            )
            for n in range(copies)
        ]
    )
    claimers = [
        DeliveryWorker(worker.settings, worker.registry, owner=f"racer-{n}") for n in range(8)
    ]

    async def claim_all(claimer: DeliveryWorker) -> list[int]:
        mine: list[int] = []
        while claimed := await claimer.claim(limit=2):
            mine.extend(d.id for d in claimed)
        return mine

    claims = [i for ids in await asyncio.gather(*map(claim_all, claimers)) for i in ids]
    assert sorted(claims) == sorted(await Delivery.all().values_list("id", flat=True))
    assert not await Delivery.exclude(attempts=1).exists()
    for claimer in claimers:
        await claimer.http.aclose()


async def test_an_observer_cursor_reads_its_events_along_an_index_not_the_whole_log(
    db: None,
) -> None:
    """While no event an observer cursor follows comes, the log grows with others (deliveries):
    the cursor's read must not walk all of them (migration 0026)."""
    from tortoise import connections

    from coordhub.connectors.observers import CURSOR, past_cursor
    from coordhub.models import Counter, EventType

    await connections.get("default").execute_script(
        "INSERT INTO event (seq, type, scope, public, at, payload)"
        " SELECT g, 'DELIVERY_DELIVERED', '|', false, now(), '{}'"
        " FROM generate_series(1, 50000) g; ANALYZE event"
    )
    await Counter.update_or_create(name=CURSOR, defaults={"value": 0})
    query = past_cursor(CURSOR, [EventType.REBUTTAL_PUBLISHED]).limit(1)
    # Tortoise inlines every parameter but the cursor subquery's name (and its explain()
    # passes none), so the name goes as $1.
    explain = f"EXPLAIN (ANALYZE, FORMAT JSON) {query.sql(params_inline=True)}"
    _, rows = await connections.get("default").execute_query(explain, [CURSOR])
    plan = str(rows[0][0])
    assert "event_type_seq" in plan, plan  # found by type and seq,
    assert "Rows Removed by Filter" not in plan, plan  # not by testing each event past it
