"""Transitions that happen at a set time rather than on a request: scheduled publications.

Every process that runs a delivery worker (``coordhub worker``, and ``coordhub serve`` with
its embedded worker) runs these too. Each due item is taken under a row lock that skips what
another process holds and is checked again under it, so it happens once however many run.
Between items the loop sleeps until the earliest one is due, a commit anywhere wakes it (a new
schedule may be earlier), and it looks again at least every ``delivery_poll_seconds``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime

from coordhub.events.bus import bus
from coordhub.settings import Settings
from coordhub.workflow.rebuttals import next_publication_at, publish_due

log = logging.getLogger("coordhub.timers")


class Timers:
    """Fires what is due; ``run`` loops until stopped, ``run_once`` fires what is due now."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    async def run_once(self) -> int:
        """Publish the scheduled rebuttals that are due; returns how many were handled."""
        return await publish_due(self.settings)

    async def seconds_to_next(self) -> float:
        """How long the loop may sleep: until the next item is due, at most the poll interval."""
        poll = self.settings.delivery_poll_seconds
        due = await next_publication_at()
        if due is None:
            return poll
        return min(poll, max(0.0, (due - datetime.now(UTC)).total_seconds()))

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            seen = bus().version
            try:
                # A task per round, as the delivery worker does: a transaction that failed on a
                # lost connection must not leave its connection context behind in this loop.
                if await asyncio.create_task(self.run_once()):
                    continue
                sleep = await asyncio.create_task(self.seconds_to_next())
            except Exception:
                log.exception("timed transitions failed; trying again after the poll interval")
                sleep = self.settings.delivery_poll_seconds
            waiters = [
                asyncio.ensure_future(bus().wait(sleep, seen)),
                asyncio.ensure_future(stop.wait()),
            ]
            _, pending = await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
            for waiter in pending:
                waiter.cancel()


@contextlib.asynccontextmanager
async def running_timers(settings: Settings, *, enabled: bool = True) -> AsyncIterator[None]:
    """Run the timed transitions in the background while the block runs (if ``enabled``)."""
    if not enabled:
        yield
        return
    stop = asyncio.Event()
    task = asyncio.create_task(Timers(settings).run(stop))
    try:
        yield
    finally:
        stop.set()
        await task
