"""Observer hooks fed from the durable event log, at least once and in order.

``coordhub_rebuttal_published`` is called for every REBUTTAL_PUBLISHED event, and
``coordhub_claim_triaged`` and ``coordhub_claim_overdue`` for every CLAIM_TRIAGED and
CLAIM_OVERDUE event, each family past a cursor of its own kept in the database. The cursor row
is locked while a batch is dispatched, so among several workers one dispatches at a time (the
others skip), and it only advances once the hooks returned: a crash means the batch is
dispatched again. Sequence numbers are commit-ordered, so reading ``seq > cursor`` never skips
an event committed late. Without observers a cursor still advances: a plugin installed later
hears what happens from then on, not the whole history.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from tortoise.expressions import Subquery
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from coordhub.connectors.items import build_claim_notice, build_item
from coordhub.connectors.manager import ConnectorRegistry
from coordhub.connectors.types import Action
from coordhub.models import Claim, Counter, Event, EventType, Rebuttal
from coordhub.settings import Settings

CURSOR = "hooks.published"
CLAIMS_CURSOR = "hooks.claims"
CLAIM_HOOKS = {
    EventType.CLAIM_TRIAGED: "coordhub_claim_triaged",
    EventType.CLAIM_OVERDUE: "coordhub_claim_overdue",
}

#: Calls the hook an event is for, with what it takes.
Dispatch = Callable[[Event], Awaitable[None]]


async def dispatch_observed(
    registry: ConnectorRegistry, settings: Settings, limit: int = 50
) -> int:
    """Call the observing hooks for the next events of the log; how many were dispatched."""
    return await dispatch_published(registry, settings, limit) + await dispatch_claims(
        registry, limit
    )


async def dispatch_published(
    registry: ConnectorRegistry, settings: Settings, limit: int = 50
) -> int:
    """Call ``coordhub_rebuttal_published`` for the next published revisions; how many."""

    async def published(event: Event) -> None:
        rebuttal = await Rebuttal.get(id=event.rebuttal_id)
        revision = int(event.payload["revision"])
        item = await build_item(
            rebuttal,
            Action.UPDATE if revision > 1 else Action.PUBLISH,
            base_url=settings.public_base_url,
            revision_number=revision,
        )
        await registry.broadcast("coordhub_rebuttal_published", item=item)

    hooks = ["coordhub_rebuttal_published"]
    types = [EventType.REBUTTAL_PUBLISHED]
    return await _dispatch(registry, CURSOR, types, hooks, published, limit)


async def dispatch_claims(registry: ConnectorRegistry, limit: int = 50) -> int:
    """Call ``coordhub_claim_triaged`` and ``coordhub_claim_overdue`` for the next claims
    triaged and overdue; how many."""

    async def notice(event: Event) -> None:
        claim = await Claim.get(id=event.claim_id)
        hook = CLAIM_HOOKS[event.type]
        await registry.broadcast(hook, claim=await build_claim_notice(claim, event.seq))

    hooks = list(CLAIM_HOOKS.values())
    return await _dispatch(registry, CLAIMS_CURSOR, list(CLAIM_HOOKS), hooks, notice, limit)


def past_cursor(cursor_name: str, types: list[EventType]) -> QuerySet[Event]:
    """The events of ``types`` past the cursor, read along the index on (type, seq) of
    migration 0026, so the read costs the same however many other events came since."""
    cursor_value = Subquery(Counter.filter(name=cursor_name).values("value"))
    return Event.filter(seq__gt=cursor_value, type__in=types)


async def _dispatch(
    registry: ConnectorRegistry,
    cursor_name: str,
    types: list[EventType],
    hooks: list[str],
    dispatch: Dispatch,
    limit: int,
) -> int:
    """Dispatch the events of ``types`` past the cursor, if any plugin implements ``hooks``."""
    caller: Any = registry.manager.hook
    observing = any(getattr(caller, hook).get_hookimpls() for hook in hooks)
    if not await past_cursor(cursor_name, types).exists():
        return 0  # the usual round: one read, no transaction and no lock
    async with in_transaction():
        cursor = await Counter.filter(name=cursor_name).select_for_update(skip_locked=True).first()
        if cursor is None:  # another worker is dispatching
            return 0
        events = (
            await Event.filter(seq__gt=cursor.value, type__in=types).order_by("seq").limit(limit)
        )
        for event in events if observing else []:
            await dispatch(event)
        if events:
            await Counter.filter(name=cursor_name).update(value=events[-1].seq)
    return len(events) if observing else 0
