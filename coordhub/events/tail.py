"""One reader of the event log per process, fanning new events out to live subscribers.

Each wake-up (or poll) costs one query, whatever the number of subscribers. A subscriber gets a
bounded queue; one that falls behind by more than its queue is cut off rather than buffered
without bound. Subscribers replay what they missed from the log themselves, then take live
events from their queue, skipping any they already replayed (see
``coordhub.schema.events.subscriptions``), so the switch from replay to live has neither a gap
nor a duplicate.

Listeners (``LogTail.listen``) see every event the tail reads, whoever it is for: the
websocket layer learns of revoked tokens this way, in every process, as every process tails the
same log.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from coordhub.events.bus import bus
from coordhub.events.log import number_pending
from coordhub.models import Event
from coordhub.settings import Settings

log = logging.getLogger("coordhub.events")
PAGE = 500
#: Longest wait before reading the log again after a failed read.
RETRY_SECONDS = 1.0


@dataclass(eq=False)
class Subscriber:
    """A live subscriber's bounded queue and what to do when it overflows."""

    queue: asyncio.Queue[Event]
    on_overflow: Callable[[], None] = lambda: None
    overflowed: bool = False
    accepts: Callable[[Event], bool] = field(default=lambda event: True)

    def offer(self, event: Event) -> None:
        if self.overflowed or not self.accepts(event):
            return
        try:
            self.queue.put_nowait(event)
        except asyncio.QueueFull:
            self.overflowed = True
            self.on_overflow()


class LogTail:
    """Follows the event log from its end and hands each new event to every subscriber."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.position = 0
        self.subscribers: set[Subscriber] = set()
        self._listeners: list[Callable[[Event], None]] = []
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self.position = await last_sequence()
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def subscribe(
        self, accepts: Callable[[Event], bool], on_overflow: Callable[[], None]
    ) -> Subscriber:
        subscriber = Subscriber(
            queue=asyncio.Queue(self.settings.subscriber_buffer),
            on_overflow=on_overflow,
            accepts=accepts,
        )
        self.subscribers.add(subscriber)
        return subscriber

    def unsubscribe(self, subscriber: Subscriber) -> None:
        self.subscribers.discard(subscriber)

    def listen(self, listener: Callable[[Event], None]) -> Callable[[], None]:
        """Call ``listener`` with every event read, before the subscribers get it; it must
        not block. Returns a function that stops it."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    async def _run(self) -> None:
        failing = False
        while True:
            seen = bus().version
            try:
                events = await Event.filter(seq__gt=self.position).order_by("seq").limit(PAGE)
            except Exception as exc:
                # The database is unreachable (say, restarting): try again every second at
                # most, or as soon as the wake-up listener is back, and log the outage once.
                if not failing:
                    log.exception("reading the event log failed; retrying")
                else:
                    log.debug("reading the event log failed again: %r", exc)
                failing = True
                await bus().wait(min(self.settings.delivery_poll_seconds, RETRY_SECONDS), seen)
                continue
            if failing:
                log.info("reading the event log again")
                failing = False
            for event in events:
                self.position = event.seq
                for listener in list(self._listeners):
                    try:
                        listener(event)
                    except Exception:
                        log.exception("a log tail listener failed on event %s", event.seq)
                for subscriber in list(self.subscribers):
                    subscriber.offer(event)
            if len(events) < PAGE:
                await bus().wait(self.settings.delivery_poll_seconds, seen)
                if bus().version == seen:
                    await _number_leftovers()


async def last_sequence() -> int:
    """The newest event's sequence number (0 for an empty log)."""
    newest = await Event.all().order_by("-seq").only("seq").first()
    return newest.seq if newest else 0


async def first_sequence() -> int | None:
    """The oldest event still in the log, or None if it is empty."""
    oldest = await Event.all().order_by("seq").only("seq").first()
    return oldest.seq if oldest else None


async def _number_leftovers() -> None:
    """Number events a writer committed but did not number (it died in between), on a poll
    that no wake-up interrupted (PostgreSQL; nothing to do on SQLite)."""
    try:
        await number_pending()
    except Exception as exc:  # the database is unreachable: the next read says so
        log.debug("numbering pending events failed: %r", exc)
