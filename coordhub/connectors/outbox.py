"""The outbox: delivery rows written in the same transaction as a publish or a retraction.

Per (rebuttal, connector), deliveries are ordered and only the newest matters: a newer revision
supersedes a pending older one, and a retraction supersedes everything pending and goes to every
connector that received (or may be receiving) the rebuttal.
"""

from __future__ import annotations

from datetime import UTC, datetime

from coordhub.connectors.items import build_item
from coordhub.connectors.types import Action
from coordhub.events.epoch import current_epoch
from coordhub.models import (
    Claim,
    Delivery,
    DeliveryAction,
    DeliveryStatus,
    Rebuttal,
    RebuttalRevision,
)
from coordhub.settings import Settings

PENDING_STATES = (DeliveryStatus.PENDING, DeliveryStatus.RETRYING)
REACHED_STATES = (DeliveryStatus.DELIVERED, DeliveryStatus.DELIVERING)


def idempotency_key(
    epoch: str, rebuttal_id: int, revision: int, action: Action, connector: str
) -> str:
    """Stable for one (revision, action, connector): retries and replays reuse it (it is stored
    on the delivery). The log epoch in it (``coordhub.events.epoch``) keeps it unique across a
    restore from a backup, after which rebuttal ids and revisions are handed out again."""
    action_name = action.value.lower()
    return f"coordhub.{epoch}.rebuttal-{rebuttal_id}.r{revision}.{action_name}.{connector}"


async def _supersede_pending(rebuttal_id: int, reason: str) -> None:
    await Delivery.filter(rebuttal_id=rebuttal_id, status__in=PENDING_STATES).update(
        status=DeliveryStatus.SUPERSEDED, last_error=reason, lease_owner=None
    )


async def _connectors_reached(rebuttal_id: int) -> set[str]:
    """Outlets that have, or may have, the rebuttal: any attempt may have landed even if its
    answer was lost (a timeout), so only never-attempted deliveries count as not reached."""
    reached, _ = await _connectors_of(rebuttal_id)
    return reached


async def _connectors_of(rebuttal_id: int) -> tuple[set[str], set[str]]:
    """(the outlets the rebuttal reached or may have reached, as ``_connectors_reached``; the
    outlets it has a delivery to that was not superseded), read in one statement."""
    rows = await Delivery.filter(rebuttal_id=rebuttal_id).values_list(
        "connector", "status", "attempts"
    )
    reached = {c for c, status, attempts in rows if status in REACHED_STATES or attempts > 0}
    had = {c for c, status, _ in rows if status != DeliveryStatus.SUPERSEDED}
    return reached, had


async def _queue(
    rebuttal: Rebuttal,
    targets: dict[str, Action],
    settings: Settings,
    revision: RebuttalRevision | None = None,
    claim: Claim | None = None,
) -> list[Delivery]:
    now = datetime.now(UTC)
    epoch = await current_epoch()
    base = await build_item(
        rebuttal, Action.PUBLISH, base_url=settings.public_base_url, revision=revision, claim=claim
    )
    deliveries = [
        Delivery(
            rebuttal_id=rebuttal.id,
            revision=base.revision,
            connector=connector,
            action=DeliveryAction(action.value),
            idempotency_key=idempotency_key(epoch, rebuttal.id, base.revision, action, connector),
            status=DeliveryStatus.PENDING,
            next_attempt_at=now,
            item=base.model_copy(update={"action": action}).model_dump(mode="json"),
        )
        for connector, action in sorted(targets.items())
    ]
    await Delivery.bulk_create(deliveries)  # in this order: per outlet, ids order deliveries
    return deliveries


async def enqueue_publication(
    rebuttal: Rebuttal,
    settings: Settings,
    *,
    revision: RebuttalRevision | None = None,
    claim: Claim | None = None,
) -> list[Delivery]:
    """Queue the live revision for its channels and for every outlet that had the rebuttal
    (``revision`` is the live one and ``claim`` the rebuttal's, when the caller holds them)."""
    if revision is None:
        revision = await RebuttalRevision.get(
            rebuttal_id=rebuttal.id, number=rebuttal.live_revision
        )
    await _supersede_pending(rebuttal.id, f"superseded by revision {revision.number}")
    reached, had = await _connectors_of(rebuttal.id)
    targets = {
        connector: Action.UPDATE if connector in reached else Action.PUBLISH
        for connector in set(revision.channels) | had
    }
    return await _queue(rebuttal, targets, settings, revision, claim)


async def enqueue_retraction(rebuttal: Rebuttal, settings: Settings) -> list[Delivery]:
    """Queue the retraction for every connector the rebuttal reached or may be reaching."""
    await _supersede_pending(rebuttal.id, "superseded by the retraction")
    targets = dict.fromkeys(await _connectors_reached(rebuttal.id), Action.RETRACT)
    return await _queue(rebuttal, targets, settings)
