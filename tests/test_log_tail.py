"""The process's log tail: one read per wake-up, fanned out to bounded subscriber queues."""

from __future__ import annotations

import asyncio

from coordhub.db import count_statements
from coordhub.events.tail import LogTail
from coordhub.models import Event
from coordhub.settings import Settings
from tests.flows import reported_claim
from tests.support import GraphQLClient


async def test_one_read_per_wake_up_whatever_the_number_of_subscribers(
    gql: GraphQLClient, settings: Settings
) -> None:
    tail = LogTail(settings.model_copy(update={"subscriber_buffer": 10}))
    await tail.start()
    subscribers = [tail.subscribe(lambda event: True, on_overflow=lambda: None) for _ in range(50)]
    with count_statements() as counter:
        await reported_claim(gql)
        await asyncio.wait_for(subscribers[-1].queue.get(), 5)
    reads = [s for s in counter.statements if 'FROM "event"' in s and "seq" in s]
    assert len(reads) <= 2  # the wake-up's read (and perhaps one poll), not one per subscriber
    assert all(s.queue.qsize() == 1 for s in subscribers[:-1])
    await tail.stop()


async def test_a_subscriber_that_falls_behind_its_buffer_is_cut_off_and_others_are_not(
    gql: GraphQLClient, settings: Settings
) -> None:
    tail = LogTail(settings.model_copy(update={"subscriber_buffer": 2}))
    await tail.start()
    cut_off: list[str] = []
    slow = tail.subscribe(lambda event: True, on_overflow=lambda: cut_off.append("slow"))
    keeping_up = tail.subscribe(lambda event: True, on_overflow=lambda: cut_off.append("fast"))
    received: list[Event] = []

    async def drain() -> None:
        while True:
            received.append(await keeping_up.queue.get())

    draining = asyncio.create_task(drain())
    for n in range(4):
        await reported_claim(gql, en=f"claim {n}")
    for _ in range(50):
        if len(received) == 4:
            break
        await asyncio.sleep(0.05)
    draining.cancel()
    assert cut_off == ["slow"] and slow.overflowed
    assert [e.seq for e in received] == [1, 2, 3, 4]
    await tail.stop()
