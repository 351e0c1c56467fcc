"""Wake-ups: tell waiting workers and log tails that the event log has grown.

A wake-up carries no data: whoever wakes reads the durable log or the outbox. Missing one is
harmless because every waiter also polls at an interval.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable


class MemoryBus:
    """Wake-ups within one process (the embedded default)."""

    def __init__(self) -> None:
        self._event: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        #: Counts wake-ups, so that one sent while nobody waited is not lost.
        self.version = 0

    def _event_of_this_loop(self) -> asyncio.Event:
        """The event waiters of the running loop share (a process normally has one loop)."""
        loop = asyncio.get_running_loop()
        if self._event is None or self._loop is not loop:
            self._loop, self._event = loop, asyncio.Event()
        return self._event

    def notify(self) -> None:
        """Wake everyone waiting now."""
        self.version += 1
        try:
            event = self._event_of_this_loop()
        except RuntimeError:  # no running loop: nobody can be waiting
            return
        event.set()
        event.clear()

    async def wait(self, seconds: float, seen: int | None = None) -> bool:
        """Wait for a wake-up after version ``seen`` (default: from now), at most ``seconds``.

        Returns at once if one already came after ``seen``. True if woken.
        """
        if seen is not None and self.version != seen:
            return True
        try:
            async with asyncio.timeout(seconds):
                await self._event_of_this_loop().wait()
        except TimeoutError:
            return False
        return True


#: Seconds a background loop (timers, observer hooks) lets pass after a round before a wake-up
#: may start the next: every commit wakes the bus (each batch of deliveries recorded is one),
#: and a burst of commits then costs such a loop one round, not one each.
SETTLE_SECONDS = 0.1

_bus = MemoryBus()
#: Called on every local commit, to pass the wake-up on to other processes (e.g. Redis).
_relays: list[Callable[[], None]] = []


def bus() -> MemoryBus:
    """The process's wake-up bus."""
    return _bus


def add_relay(relay: Callable[[], None]) -> Callable[[], None]:
    """Pass every local commit's wake-up to ``relay`` too; returns a function that stops it."""
    _relays.append(relay)
    return lambda: _relays.remove(relay)


def announce() -> None:
    """Called after a transaction that appended events has committed."""
    _bus.notify()
    for relay in list(_relays):
        relay()
