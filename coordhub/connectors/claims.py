"""Claiming due deliveries under a lease: one statement, whichever the database.

A delivery is claimable when it is due (``PENDING`` or ``RETRYING`` at or after its
``next_attempt_at``, or ``DELIVERING`` with an expired lease), its connector is not disabled,
and no older delivery of the same rebuttal to the same outlet is still open: deliveries to one
outlet for one rebuttal go out strictly in order. Claiming sets ``DELIVERING``, the lease and
one more attempt, and returns the rows.

On PostgreSQL the due rows are locked ``FOR UPDATE SKIP LOCKED``, so several workers never
claim the same row; SQLite has one writer at a time and no row locks (run one worker).
"""

from __future__ import annotations

from datetime import datetime

from tortoise import connections

from coordhub.models import Delivery

#: Whether the delivery ``d`` may go now: its connector is enabled and no older delivery of
#: its rebuttal to its outlet is still open.
_MAY_GO = """
    NOT EXISTS (
        SELECT 1 FROM connector_state c WHERE c.name = d.connector AND c.disabled_at IS NOT NULL
    )
    AND NOT EXISTS (
        SELECT 1 FROM delivery o
        WHERE o.rebuttal_id = d.rebuttal_id AND o.connector = d.connector AND o.id < d.id
          AND o.status IN ('PENDING', 'RETRYING', 'DELIVERING')
    )
"""
#: The oldest due waiting deliveries, the first ``LOOKAHEAD`` times the batch, read along the
#: partial index of migration 0025 (the limit inside keeps the planner from testing every
#: waiting row against ``_MAY_GO`` and sorting them all: its cost would grow with the backlog).
_OLDEST = """
    SELECT id FROM delivery
    WHERE status IN ('PENDING', 'RETRYING') AND next_attempt_at <= {now}
    ORDER BY next_attempt_at, id
    LIMIT {lookahead}
"""
#: Tested again on the locked row itself: when another claim commits between this statement's
#: snapshot and its lock, PostgreSQL re-checks the newer row version against the conditions on
#: ``d`` only, and the ids read by ``_OLDEST`` are from the snapshot. Without this, a row just
#: claimed by another worker would be claimed a second time (and sent twice).
_STILL_WAITING = "d.status IN ('PENDING', 'RETRYING') AND d.next_attempt_at <= $1"
#: How many more of the oldest due rows than the batch a claim looks at: those whose older
#: delivery is still being sent are passed over.
LOOKAHEAD = 4
#: The ids to claim: the oldest due waiting deliveries that may go, then the deliveries whose
#: lease expired (a worker died or hung).
_DUE = {
    "postgres": f"""
WITH waiting AS (
    SELECT d.id FROM delivery d
    WHERE d.id IN ({_OLDEST.format(now="$1", lookahead="$5")}) AND {_STILL_WAITING} AND {_MAY_GO}
    ORDER BY d.next_attempt_at, d.id
    LIMIT $2
    FOR UPDATE OF d SKIP LOCKED
), expired AS (
    SELECT d.id FROM delivery d
    WHERE d.status = 'DELIVERING' AND d.lease_expires_at < $1 AND {_MAY_GO}
    ORDER BY d.id
    LIMIT $2
    FOR UPDATE OF d SKIP LOCKED
), due AS (
    SELECT id FROM waiting UNION ALL SELECT id FROM expired
)""",
    "sqlite": f"""
WITH due AS (
    SELECT id FROM (
        SELECT d.id FROM delivery d
        WHERE d.id IN ({_OLDEST.format(now="?1", lookahead="?5")}) AND {_MAY_GO}
        ORDER BY d.next_attempt_at, d.id
        LIMIT ?2
    )
    UNION ALL
    SELECT id FROM (
        SELECT d.id FROM delivery d
        WHERE d.status = 'DELIVERING' AND d.lease_expires_at < ?1 AND {_MAY_GO}
        ORDER BY d.id
        LIMIT ?2
    )
)""",
}
_LEASE = {
    "postgres": "lease_owner = $3, lease_expires_at = $4, updated_at = $1",
    "sqlite": "lease_owner = ?3, lease_expires_at = ?4, updated_at = ?1",
}
_CLAIM = {
    dialect: f"""{_DUE[dialect]}
UPDATE delivery SET status = 'DELIVERING', attempts = attempts + 1, {_LEASE[dialect]}
WHERE id IN (SELECT id FROM due)
RETURNING *
"""
    for dialect in ("postgres", "sqlite")
}


async def claim_due(owner: str, now: datetime, until: datetime, limit: int) -> list[Delivery]:
    """Lease claimable deliveries to ``owner`` until ``until``: up to ``limit`` waiting ones,
    oldest due first, and up to ``limit`` whose lease expired; in the current transaction, if
    any. Returns them in id order."""
    db = connections.get("default")
    parameters = [now, limit, owner, until, limit * LOOKAHEAD]
    _, rows = await db.execute_query(_CLAIM[db.capabilities.dialect], parameters)
    return sorted((Delivery._init_from_db(**dict(row)) for row in rows), key=lambda d: d.id)
