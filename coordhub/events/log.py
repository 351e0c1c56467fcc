"""Appending to the event log with a commit-ordered sequence.

A plain auto-increment can commit out of order: transaction A takes 7, B takes 8, B commits,
a reader sees 8 and moves its cursor past 7 before A commits. Here every writer increments one
counter row inside its own transaction. The row lock is held until commit, so writers are
serialised on it and sequence order is commit order; a reader polling ``seq > cursor`` never
skips a row.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from tortoise import connections

from coordhub.actor import Actor
from coordhub.models import Event, EventType

_NEXT_SEQ = "UPDATE counter SET value = value + 1 WHERE name = 'events' RETURNING value"
#: On PostgreSQL the same, plus a notification delivered to every listening process when (and
#: only if) the writer commits; one statement, as the row lock is held from here to the commit.
_NEXT_SEQ_AND_NOTIFY = (
    "WITH next AS (UPDATE counter SET value = value + 1 WHERE name = 'events' RETURNING value) "
    "SELECT value, pg_notify('coordhub_events', value::text) FROM next"
)


async def next_sequence() -> int:
    """Take the next event sequence number. Must run inside the writing transaction.

    On PostgreSQL this also queues a notification carrying the number, sent at commit.
    """
    connection = connections.get("default")
    postgres = connection.capabilities.dialect == "postgres"
    rows = await connection.execute_query_dict(_NEXT_SEQ_AND_NOTIFY if postgres else _NEXT_SEQ)
    return int(rows[0]["value"])


_CURRENT_SEQ = "SELECT value FROM counter WHERE name = 'events'"


async def current_sequence() -> int:
    """The sequence of the newest committed event (0 before the first): a version number of
    every stored record, as each change is written with its event."""
    rows = await connections.get("default").execute_query_dict(_CURRENT_SEQ)
    return int(rows[0]["value"]) if rows else 0


def scope_of(slugs: Iterable[str | None]) -> str:
    """Encode institution slugs for ``Event.scope`` (``|a|b|``), so ``LIKE '%|a|%'`` filters."""
    unique = sorted({slug for slug in slugs if slug})
    return "|" + "".join(f"{slug}|" for slug in unique)


async def append(
    type_: EventType,
    *,
    actor: Actor | None,
    claim_id: int | None = None,
    rebuttal_id: int | None = None,
    delivery_id: int | None = None,
    institutions: Iterable[str | None] = (),
    public: bool = False,
    payload: dict[str, Any] | None = None,
) -> Event:
    """Write one event in the current transaction and return it."""
    return await Event.create(
        seq=await next_sequence(),
        type=type_,
        claim_id=claim_id,
        rebuttal_id=rebuttal_id,
        delivery_id=delivery_id,
        scope=scope_of(institutions),
        actor_id=actor.account_id if actor else None,
        actor_role=actor.role.value if actor else None,
        actor_institution=actor.institution_slug if actor else None,
        public=public,
        at=datetime.now(UTC),
        payload=payload or {},
    )
