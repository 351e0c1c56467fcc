"""Whether the response being computed may be cached: resolvers say so while they run.

The public response cache (``coordhub.web.response_cache``) stores an answer until the event log
moves. A resolver whose answer also depends on the clock or the outside world says so here,
and the cache honours it. Outside a tracked request both calls do nothing.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime


@dataclass(slots=True)
class Cacheability:
    cacheable: bool = True
    #: The response changes at this moment (unix time) without any write, e.g. a claim turning
    #: overdue.
    expires: float = math.inf


_CURRENT: ContextVar[Cacheability | None] = ContextVar("coordhub_response_cacheability")


def mark_volatile() -> None:
    """Declare that the response being computed must not be cached: it depends on the clock or
    on the outside world, not only on stored records, or it carries errors."""
    current = _CURRENT.get(None)
    if current is not None:
        current.cacheable = False


def valid_until(moment: datetime) -> None:
    """Declare that the response being computed changes at ``moment`` with time alone (for
    example a claim turning overdue): a stored copy is not served from then on."""
    current = _CURRENT.get(None)
    if current is not None:
        current.expires = min(current.expires, moment.timestamp())


@contextlib.contextmanager
def tracking() -> Iterator[Cacheability]:
    """Track what the resolvers of the block declare about the response they compute."""
    state = Cacheability()
    token = _CURRENT.set(state)
    try:
        yield state
    finally:
        _CURRENT.reset(token)
