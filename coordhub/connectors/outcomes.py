"""What became of a delivery attempt, and writing a batch of outcomes in one transaction.

A worker's concurrent sends end at about the same time; writing each outcome in its own
transaction would cost a commit (a WAL flush) per delivery. ``OutcomeRecorder`` writes every
outcome that arrives while the previous batch is being written as one batch: one statement
finds which leases are still held, one writes the rows, one the events, then one commit.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise.transactions import in_transaction

from coordhub.db import placeholders
from coordhub.events.log import NewEvent, append_many, committed
from coordhub.models import ConnectorState, Delivery, DeliveryStatus, EventType

log = logging.getLogger("coordhub.worker")

#: The columns an outcome sets (it also clears the lease), then the row's id.
_WRITTEN = ("status", "external_id", "delivered_at", "last_error", "next_attempt_at", "updated_at")


def _update(dialect: str) -> str:
    """One outcome's UPDATE, run for the whole batch as one ``executemany`` (a fixed text:
    building it with Tortoise's ``bulk_update`` cost more than the database's work)."""
    marks = placeholders(dialect, len(_WRITTEN) + 1)
    assigned = ", ".join(f"{c} = {mark}" for c, mark in zip(_WRITTEN, marks, strict=False))
    return (
        f"UPDATE delivery SET {assigned}, lease_owner = NULL, lease_expires_at = NULL "
        f"WHERE id = {marks[-1]}"
    )


_UPDATES = {dialect: _update(dialect) for dialect in ("postgres", "sqlite")}
_EVENTS = {
    DeliveryStatus.DELIVERED: EventType.DELIVERY_DELIVERED,
    DeliveryStatus.RETRYING: EventType.DELIVERY_RETRYING,
    DeliveryStatus.FAILED: EventType.DELIVERY_FAILED,
}


@dataclass(frozen=True, slots=True)
class Outcome:
    """How one attempt ended.

    ``DELIVERED`` with the outlet's receipt; ``RETRYING`` at ``next_attempt_at`` (written as
    ``SUPERSEDED``, without an event, when a newer delivery of the rebuttal to the same outlet
    exists: the outlet gets that one instead); or ``FAILED``, which with ``disable`` also
    disables the connector (the outlet said it is gone).
    """

    delivery: Delivery
    status: DeliveryStatus
    error: str | None = None
    external_id: str | None = None
    next_attempt_at: datetime | None = None
    disable: bool = False

    def events(self) -> list[NewEvent]:
        """The events of this outcome, once written as ``self.delivery.status``."""
        delivery = self.delivery
        if delivery.status is DeliveryStatus.SUPERSEDED:
            return []
        details: dict[str, object] = {}
        if delivery.status is DeliveryStatus.DELIVERED:
            details["externalId"] = self.external_id
        elif delivery.status is DeliveryStatus.RETRYING:
            details["error"] = self.error
            details["nextAttemptAt"] = delivery.next_attempt_at.isoformat()
        else:
            details["error"] = self.error
        events = [self._event(_EVENTS[delivery.status], details, institutions_of(delivery))]
        if self.disable:
            events.append(self._event(EventType.CONNECTOR_DISABLED, {"reason": self.error}, ()))
        return events

    def _event(
        self, type_: EventType, details: dict[str, object], institutions: tuple[str, ...]
    ) -> NewEvent:
        delivery = self.delivery
        return NewEvent(
            type_,
            rebuttal_id=delivery.rebuttal_id,
            delivery_id=delivery.id,
            institutions=institutions,
            payload={
                "connector": delivery.connector,
                "action": delivery.action.value,
                "revision": delivery.revision,
                "attempts": delivery.attempts,
                **details,
            },
        )


def institutions_of(delivery: Delivery) -> tuple[str, ...]:
    """Who a delivery's events concern: the rebuttal's institution (from its frozen item)."""
    return (delivery.item["institution"]["slug"],)


async def write_outcomes(owner: str, outcomes: list[Outcome]) -> list[Outcome]:
    """Write the outcomes whose lease ``owner`` still holds, in the current transaction, and
    return them, each delivery's fields set to what was written. A delivery whose lease was
    lost (it expired and another worker claimed it) is left alone."""
    by_id = {outcome.delivery.id: outcome for outcome in outcomes}
    held = await (
        Delivery.filter(id__in=by_id, lease_owner=owner, status=DeliveryStatus.DELIVERING)
        .select_for_update()
        .values_list("id", flat=True)
    )
    kept = [by_id[delivery_id] for delivery_id in sorted(held)]
    if not kept:
        return []
    superseded = await _superseded(
        [o.delivery for o in kept if o.status is DeliveryStatus.RETRYING]
    )
    now = datetime.now(UTC)
    for outcome in kept:
        delivery = outcome.delivery
        delivery.status = DeliveryStatus.SUPERSEDED if delivery.id in superseded else outcome.status
        delivery.last_error = outcome.error
        delivery.lease_owner = None
        delivery.lease_expires_at = None
        if outcome.status is DeliveryStatus.DELIVERED:
            delivery.external_id = outcome.external_id
            delivery.delivered_at = now
        if outcome.next_attempt_at is not None:
            delivery.next_attempt_at = outcome.next_attempt_at
        delivery.updated_at = now
    db = Delivery._choose_db(for_write=True)
    await db.execute_many(
        _UPDATES[db.capabilities.dialect],
        [[*(_value(o.delivery, column) for column in _WRITTEN), o.delivery.id] for o in kept],
    )
    for outcome in kept:
        if outcome.disable:
            await ConnectorState.update_or_create(
                name=outcome.delivery.connector,
                defaults={"disabled_at": now, "disabled_reason": outcome.error},
            )
    await append_many([event for outcome in kept for event in outcome.events()])
    return kept


def _value(delivery: Delivery, column: str) -> object:
    value = getattr(delivery, column)
    return value.value if isinstance(value, DeliveryStatus) else value


async def _superseded(retrying: list[Delivery]) -> set[int]:
    """Which of these deliveries have a newer delivery of their rebuttal to their outlet."""
    if not retrying:
        return set()
    newest: dict[tuple[int, str], int] = {}
    for delivery_id, rebuttal_id, connector in await Delivery.filter(
        rebuttal_id__in={d.rebuttal_id for d in retrying},
        id__gt=min(d.id for d in retrying),
    ).values_list("id", "rebuttal_id", "connector"):
        key = (rebuttal_id, connector)
        newest[key] = max(delivery_id, newest.get(key, delivery_id))
    return {d.id for d in retrying if newest.get((d.rebuttal_id, d.connector), d.id) > d.id}


class OutcomeRecorder:
    """Writes the outcomes of a worker's concurrent sends in batches, one transaction each.

    Outcomes that arrive while a batch is being written wait for the next one. If a batch
    fails to write, none of it is written: every delivery in it keeps its lease until the
    lease expires and is then sent again (at least once). After the commit the batch's
    events are numbered and announced once.
    """

    def __init__(self, owner: str) -> None:
        self.owner = owner
        self._queue: list[tuple[Outcome, asyncio.Future[DeliveryStatus | None]]] = []
        self._lock = asyncio.Lock()
        self._scheduled = False
        self._flushing: asyncio.Task[None] | None = None  # held: the loop keeps weak references

    async def record(self, outcome: Outcome) -> DeliveryStatus | None:
        """Write ``outcome`` with the next batch: the status written once it has committed,
        or None if the worker no longer held the delivery's lease."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[DeliveryStatus | None] = loop.create_future()
        self._queue.append((outcome, future))
        if not self._scheduled:
            self._scheduled = True
            self._flushing = loop.create_task(self._flush())
        return await asyncio.shield(future)

    async def _flush(self) -> None:
        async with self._lock:
            self._scheduled = False
            batch, self._queue = self._queue, []
            try:
                async with in_transaction():
                    kept = await write_outcomes(self.owner, [outcome for outcome, _ in batch])
            except Exception as exc:  # nothing of the batch was written
                for _, future in batch:
                    future.set_exception(exc)
                return
            written = {outcome.delivery.id: outcome.delivery.status for outcome in kept}
            if written:
                try:
                    await committed()
                except Exception:
                    log.exception("numbering the events of recorded deliveries failed")
            for outcome, future in batch:
                future.set_result(written.get(outcome.delivery.id))
