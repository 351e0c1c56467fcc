"""What happens at a set time rather than on a request: scheduled publications, and the
alerts of claims coming due and overdue.

Every process that runs a delivery worker (``coordhub worker``, and ``coordhub serve`` with
its embedded worker) runs these too. Each due item is taken under a row lock that skips what
another process holds and is checked again under it, so it happens once however many run.
Between items the loop sleeps until the earliest one is due, a commit anywhere wakes it (a new
schedule may be earlier; a burst of commits wakes it once per ``SETTLE_SECONDS``), and it looks
again at least every ``delivery_poll_seconds``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime

from coordhub.events.bus import SETTLE_SECONDS, bus
from coordhub.settings import Settings
from coordhub.workflow.deadlines import alert_due, next_alert_at
from coordhub.workflow.rebuttals import next_publication_at, publish_due

log = logging.getLogger("coordhub.timers")


class Timers:
    """Fires what is due; ``run`` loops until stopped, ``run_once`` fires what is due now."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    async def run_once(self) -> int:
        """Publish the scheduled rebuttals and write the claim alerts that are due; returns how
        many were handled."""
        return await publish_due(self.settings) + await alert_due()

    async def seconds_to_next(self) -> float:
        """How long the loop may sleep: until the next item is due, at most the poll interval."""
        poll = self.settings.delivery_poll_seconds
        due = [at for at in (await next_publication_at(), await next_alert_at()) if at]
        if not due:
            return poll
        return min(poll, max(0.0, (min(due) - datetime.now(UTC)).total_seconds()))

    async def run(self, stop: asyncio.Event) -> None:
        loop = asyncio.get_running_loop()
        due = loop.time()  # when the earliest item is due, as last read
        while not stop.is_set():
            seen = bus().version
            try:
                # A task per round, as the delivery worker does: a transaction that failed on a
                # lost connection must not leave its connection context behind in this loop.
                if loop.time() >= due and await asyncio.create_task(self.run_once()):
                    continue
                # Woken before then, only the next time is read again: a commit may have
                # scheduled something earlier, but most commits schedule nothing.
                sleep = await asyncio.create_task(self.seconds_to_next())
            except Exception:
                log.exception("timed transitions failed; trying again after the poll interval")
                sleep = self.settings.delivery_poll_seconds
            due = loop.time() + sleep
            await asyncio.sleep(min(SETTLE_SECONDS, sleep))
            waiters = [
                asyncio.ensure_future(bus().wait(due - loop.time(), seen)),
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
