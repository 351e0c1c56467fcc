"""Public pages and feeds, kept in memory until the event log moves.

The same reasoning as the public GraphQL cache (``coordhub.web.response_cache``): every change
to a public record is written with an event in its transaction, so the log's sequence is a
version number of everything public, and a page rendered at sequence *s* stays right until the
sequence moves past *s*. The caller reads the sequence first (one primary-key read), and then
either finds the page stored for that sequence or renders it. The sequence (with a tag of the
templates, so a new release is never answered with an old page) is also the page's ``ETag``.

Only complete pages (status 200) are stored; concurrent misses for the same page at the same
sequence render once, the others wait for it. The store is an LRU of ``size`` pages (0: off).
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

#: Larger pages are served but not kept. The largest page is the sitemap: up to 24,000
#: rebuttals in two languages, about 19 MB (6.2 MB for the 8,000 of bench's 20,000 claims),
#: which takes a second to render; a sitemap file may hold 50 MB.
MAX_ENTRY_BYTES = 32 * 1024 * 1024

Key = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Rendered:
    """A rendered page or feed: status, bytes and media type."""

    status: int
    body: bytes
    media_type: str
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Entry:
    seq: int
    page: Rendered


class PageCache:
    """An LRU of rendered pages, each tagged with the event sequence it was rendered at."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[Key, Entry] = OrderedDict()
        self._pending: dict[tuple[Key, int], asyncio.Future[Rendered | None]] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Key, seq: int) -> Rendered | None:
        """The page stored for ``key`` at exactly ``seq``, if any."""
        entry = self._entries.get(key)
        if entry is None or entry.seq != seq:
            return None
        self._entries.move_to_end(key)
        return entry.page

    def put(self, key: Key, seq: int, page: Rendered) -> None:
        if self.size <= 0 or page.status != 200 or len(page.body) > MAX_ENTRY_BYTES:
            return
        current = self._entries.get(key)
        if current is not None and current.seq > seq:
            return  # a newer page is already stored
        self._entries[key] = Entry(seq, page)
        self._entries.move_to_end(key)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)

    async def fetch(
        self, key: Key, seq: int, render: Callable[[], Awaitable[Rendered]]
    ) -> Rendered:
        """The page for ``key`` at ``seq``: stored, being rendered by another request (then
        awaited), or rendered now and stored."""
        stored = self.get(key, seq)
        if stored is not None:
            return stored
        pending = self._pending.get((key, seq))
        if pending is not None:
            page = await asyncio.shield(pending)
            return page if page is not None else await render()
        future: asyncio.Future[Rendered | None] = asyncio.get_running_loop().create_future()
        self._pending[key, seq] = future
        try:
            page = await render()
            self.put(key, seq, page)
            future.set_result(page)
            return page
        finally:
            del self._pending[key, seq]
            if not future.done():
                future.set_result(None)  # the render failed: waiters render for themselves
