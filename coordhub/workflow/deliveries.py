"""Operating deliveries: replaying failed ones, one by one or by range, and re-enabling outlets."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

from tortoise.transactions import in_transaction

from coordhub.actor import Actor
from coordhub.connectors.types import RebuttalItem
from coordhub.events.log import append, committed
from coordhub.models import (
    ConnectorState,
    Delivery,
    DeliveryAction,
    DeliveryStatus,
    EventType,
    Rebuttal,
    RebuttalStatus,
    Role,
)
from coordhub.workflow.errors import invalid_transition, not_found
from coordhub.workflow.permissions import require_role


async def _requeue(delivery: Delivery, actor: Actor | None) -> Delivery:
    """Make a FAILED delivery due now, unless something newer made it pointless."""
    if delivery.status != DeliveryStatus.FAILED:
        raise invalid_transition(f"A {delivery.status.value} delivery cannot be retried.")
    newer = Delivery.filter(
        rebuttal_id=delivery.rebuttal_id, connector=delivery.connector, id__gt=delivery.id
    ).exclude(status=DeliveryStatus.SUPERSEDED)
    if await newer.exists():
        raise invalid_transition("A newer delivery to this outlet supersedes this one.")
    rebuttal = await Rebuttal.get(id=delivery.rebuttal_id)
    if rebuttal.status == RebuttalStatus.RETRACTED and delivery.action != DeliveryAction.RETRACT:
        raise invalid_transition("The rebuttal was retracted: only its retraction may be sent.")
    previous_attempts = delivery.attempts
    delivery.status = DeliveryStatus.PENDING
    delivery.attempts = 0  # a fresh retry schedule; the event keeps the history
    delivery.next_attempt_at = datetime.now(UTC)
    await delivery.save(update_fields=["status", "attempts", "next_attempt_at", "updated_at"])
    item = RebuttalItem.model_validate(delivery.item)
    await append(
        EventType.DELIVERY_REQUEUED,
        actor=actor,
        rebuttal_id=delivery.rebuttal_id,
        delivery_id=delivery.id,
        institutions=[item.institution.slug],
        payload={
            "connector": delivery.connector,
            "action": delivery.action.value,
            "previousAttempts": previous_attempts,
            "lastError": delivery.last_error,
        },
    )
    return delivery


async def retry_delivery(actor: Actor | None, delivery_id: int) -> Delivery:
    """Replay one failed delivery with its frozen payload (coordinator only)."""
    actor = require_role(actor, (Role.COORDINATOR,), "retry deliveries")
    async with in_transaction():
        delivery = await Delivery.filter(id=delivery_id).select_for_update().first()
        if delivery is None:
            raise not_found("delivery", "deliveryId")
        delivery = await _requeue(delivery, actor)
    await committed()
    return delivery


async def retry_failed(connector: str, since: datetime) -> AsyncIterator[tuple[Delivery, str]]:
    """Replay every failed delivery to ``connector`` created since ``since`` (an operator's
    command after an outage). Yields each delivery with ``requeued`` or why it was skipped."""
    ids = (
        await Delivery.filter(
            connector=connector, status=DeliveryStatus.FAILED, created_at__gte=since
        )
        .order_by("id")
        .values_list("id", flat=True)
    )
    for delivery_id in ids:
        try:
            async with in_transaction():
                delivery = await Delivery.filter(id=delivery_id).select_for_update().get()
                await _requeue(delivery, None)
            outcome = "requeued"
        except Exception as exc:  # a WorkflowError says why; anything else is reported too
            delivery = await Delivery.get(id=delivery_id)
            outcome = f"skipped: {getattr(exc, 'message', exc)}"
        yield delivery, outcome
    await committed()


async def enable_connector(name: str) -> bool:
    """Re-enable a connector the core disabled (after a 410). True if it was disabled.

    Logged as ``CONNECTOR_ENABLED``; on PostgreSQL the event's notification wakes the workers
    of every process, not only this one's."""
    async with in_transaction():
        changed = await ConnectorState.filter(name=name, disabled_at__isnull=False).update(
            disabled_at=None, disabled_reason=None
        )
        if changed:
            await append(EventType.CONNECTOR_ENABLED, actor=None, payload={"connector": name})
    await committed()
    return bool(changed)
