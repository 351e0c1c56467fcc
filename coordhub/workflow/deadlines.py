"""Telling the institutions of a claim that its due-by comes near, and that it passed.

Triage sets a claim's ``next_alert_at`` to the moment three quarters of the time allowed
have gone (``claims.first_alert_at``). When it comes, a worker writes CLAIM_DUE_SOON and moves
it to the due-by; when that comes, CLAIM_OVERDUE, and clears it. A claim closed meanwhile
(rebutted, dismissed, merged) is cleared without an event; a retraction that reopens it sets it
again. Each claim is taken under a row lock that skips what another worker holds, and its time
moves in the same transaction as its event, so every alert is written once however many
workers run.
"""

from __future__ import annotations

from datetime import UTC, datetime

from tortoise.transactions import in_transaction

from coordhub.events.log import append, committed
from coordhub.models import Claim, ClaimStatus, EventType
from coordhub.workflow.claims import claim_institution_slugs

#: Claims someone still owes an answer.
AWAITING_ANSWER = (ClaimStatus.TRIAGED, ClaimStatus.IN_PROGRESS)


async def alert_due(limit: int = 100) -> int:
    """Write the due-soon and overdue events whose time has come; how many claims were seen."""
    now = datetime.now(UTC)
    async with in_transaction():
        claims = (
            await Claim.filter(next_alert_at__lte=now)
            .order_by("next_alert_at", "id")
            .limit(limit)
            .select_for_update(skip_locked=True)
        )
        for claim in claims:
            await _alert(claim, now)
    await committed()
    return len(claims)


async def next_alert_at() -> datetime | None:
    """When the earliest claim alert is due, if any."""
    claim = await Claim.filter(next_alert_at__isnull=False).order_by("next_alert_at").first()
    return claim.next_alert_at if claim else None


async def _alert(claim: Claim, now: datetime) -> None:
    if claim.status not in AWAITING_ANSWER or claim.due_at is None:
        await Claim.filter(id=claim.id).update(next_alert_at=None)
        return
    overdue = claim.due_at <= now  # a due-soon time missed while no worker ran is skipped
    await Claim.filter(id=claim.id).update(next_alert_at=None if overdue else claim.due_at)
    await append(
        EventType.CLAIM_OVERDUE if overdue else EventType.CLAIM_DUE_SOON,
        actor=None,
        claim_id=claim.id,
        institutions=await claim_institution_slugs(claim),
        payload={
            "claimStatus": claim.status.value,
            "priority": claim.priority.value,
            "dueAt": claim.due_at.isoformat(),
        },
    )
