"""Observer hooks fed from the durable event log, at least once and in order.

``coordhub_rebuttal_published`` is called for every REBUTTAL_PUBLISHED event past a cursor kept
in the database. The cursor row is locked while a batch is dispatched, so among several workers
one dispatches at a time (the others skip), and it only advances once the hooks returned: a
crash means the batch is dispatched again. Sequence numbers are commit-ordered, so reading
``seq > cursor`` never skips an event committed late.
"""

from __future__ import annotations

from tortoise.transactions import in_transaction

from coordhub.connectors.items import build_item
from coordhub.connectors.manager import ConnectorRegistry
from coordhub.connectors.types import Action
from coordhub.models import Counter, Event, EventType, Rebuttal
from coordhub.settings import Settings

CURSOR = "hooks.published"


async def dispatch_published(
    registry: ConnectorRegistry, settings: Settings, limit: int = 50
) -> int:
    """Call ``coordhub_rebuttal_published`` for the next published revisions; how many.

    Without observers the cursor still advances: a plugin installed later hears what is
    published from then on, not the whole history.
    """
    observing = bool(registry.manager.hook.coordhub_rebuttal_published.get_hookimpls())
    async with in_transaction():
        cursor = await Counter.filter(name=CURSOR).select_for_update(skip_locked=True).first()
        if cursor is None:  # another worker is dispatching
            return 0
        events = (
            await Event.filter(seq__gt=cursor.value, type=EventType.REBUTTAL_PUBLISHED)
            .order_by("seq")
            .limit(limit)
        )
        for event in events if observing else []:
            rebuttal = await Rebuttal.get(id=event.rebuttal_id)
            revision = int(event.payload["revision"])
            item = await build_item(
                rebuttal,
                Action.UPDATE if revision > 1 else Action.PUBLISH,
                base_url=settings.public_base_url,
                revision_number=revision,
            )
            await registry.broadcast("coordhub_rebuttal_published", item=item)
        if events:
            await Counter.filter(name=CURSOR).update(value=events[-1].seq)
    return len(events) if observing else 0
