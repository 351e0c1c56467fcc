"""Wake-ups: tell waiting workers (and, later, subscribers) that the event log has grown.

A wake-up carries no data: whoever wakes reads the durable log or the outbox. Missing one is
harmless because every waiter also polls at an interval.
"""

from __future__ import annotations

import asyncio


class MemoryBus:
    """Wake-ups within one process (the embedded default)."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        """Wake everyone waiting now."""
        self._event.set()
        self._event.clear()

    async def wait(self, seconds: float) -> bool:
        """Wait for the next wake-up, at most ``seconds``. True if woken."""
        try:
            async with asyncio.timeout(seconds):
                await self._event.wait()
        except TimeoutError:
            return False
        return True


_bus = MemoryBus()


def bus() -> MemoryBus:
    """The process's wake-up bus."""
    return _bus


def announce() -> None:
    """Called after a transaction that appended events has committed."""
    _bus.notify()
