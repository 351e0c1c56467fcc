"""Appending to the event log with a commit-ordered sequence, without serialising writers.

A plain auto-increment can commit out of order: transaction A takes 7, B takes 8, B commits,
a reader sees 8 and moves its cursor past 7 before A commits. So numbers are given only to
committed events, by one numbering transaction at a time:

- on PostgreSQL a writer puts its events in ``pending_event`` (its transaction touches no
  shared row, so writers commit side by side); after its commit it calls ``committed()``,
  which moves every committed pending event into ``event`` with the next numbers, in one
  short transaction that holds the counter row, and notifies every process. Writers that
  commit together are numbered together by whichever of them gets there first; the others
  find their events already numbered (a read, no commit to flush). The writer returns once
  its events are numbered, so it reads its own writes. Each process's log tail also numbers
  what is pending when it polls, in case a writer died between its commit and the numbering;
- on SQLite, a single writer, the event takes its number from the counter row in the
  writer's own transaction.

Either way ``seq`` order is the order in which events became visible, and a reader polling
``seq > cursor`` never skips one.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tortoise import connections
from tortoise.backends.base.client import TransactionalDBClient

from coordhub.actor import Actor
from coordhub.db import placeholders
from coordhub.events.bus import announce
from coordhub.models import EventType, PendingEvent

#: Takes the next ? event numbers (SQLite, in the writing transaction); returns the last.
_NEXT_SEQS = "UPDATE counter SET value = value + ? WHERE name = 'events' RETURNING value"
_COLUMNS = (
    "type, claim_id, rebuttal_id, delivery_id, scope, actor_id, actor_role, actor_institution, "
    "public, at, payload"
)
#: Numbers every committed pending event, oldest first, and notifies every listening process
#: at commit. Taking the pending rows FOR UPDATE (not SKIP LOCKED) makes a second numbering
#: wait for the first, so that a writer's call returns only once its events are numbered;
#: with nothing pending it writes nothing.
_NUMBER_PENDING = f"""
WITH moved AS (
    DELETE FROM pending_event
    WHERE id IN (SELECT id FROM pending_event ORDER BY id LIMIT $1 FOR UPDATE)
    RETURNING *
), counted AS (
    SELECT count(*) AS n FROM moved
), counter_after AS (
    UPDATE counter SET value = value + counted.n
    FROM counted WHERE name = 'events' AND counted.n > 0
    RETURNING value - counted.n AS first_before, value AS last
), inserted AS (
    INSERT INTO event (seq, {_COLUMNS})
    SELECT counter_after.first_before + row_number() OVER (ORDER BY moved.id), {_COLUMNS}
    FROM moved, counter_after
    RETURNING seq
)
SELECT last, last - first_before AS numbered, pg_notify('coordhub_events', last::text)
FROM counter_after
"""
#: Events numbered by one numbering transaction at most (the rest wait for the next).
NUMBERING_BATCH = 10_000


def _postgres() -> bool:
    return connections.get("default").capabilities.dialect == "postgres"


async def number_pending() -> int | None:
    """Number the committed pending events (PostgreSQL); the last number given, if any."""
    if not _postgres():
        return None
    last: int | None = None
    while True:
        rows = await connections.get("default").execute_query_dict(
            _NUMBER_PENDING, [NUMBERING_BATCH]
        )
        if not rows:
            return last
        last = int(rows[0]["last"])
        if int(rows[0]["numbered"]) < NUMBERING_BATCH:
            return last


class _Numbering:
    """One numbering at a time per process, shared by the writers that wait for it.

    A writer that has committed waits for the next numbering that starts after it asked:
    that one sees its events. Writers that ask while a numbering runs share the one after it,
    so a burst of commits costs two numberings, not one each.
    """

    def __init__(self) -> None:
        self._lock = asyncio.Lock()
        self._next: asyncio.Future[None] | None = None

    async def after_commit(self) -> None:
        if self._next is None:
            self._next = asyncio.get_running_loop().create_future()
            asyncio.get_running_loop().create_task(self._run())
        await asyncio.shield(self._next)

    async def _run(self) -> None:
        async with self._lock:
            waiting, self._next = self._next, None  # later writers wait for the next run
            assert waiting is not None
            try:
                await number_pending()
            except Exception as exc:  # the writers see it; the log tail numbers them later
                waiting.set_exception(exc)
            else:
                waiting.set_result(None)


#: One per event loop (a process has one; a test suite a new one per test).
_numberings: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Numbering] = (
    weakref.WeakKeyDictionary()
)


async def committed() -> None:
    """Call after a transaction that appended events has committed: number them (PostgreSQL),
    then wake this process's waiters (the numbering notifies the other processes)."""
    connection = connections.get("default")
    if isinstance(connection, TransactionalDBClient):
        return  # still inside an outer transaction: its owner calls this after the commit
    if _postgres():
        loop = asyncio.get_running_loop()
        numbering = _numberings.get(loop) or _numberings.setdefault(loop, _Numbering())
        await numbering.after_commit()
    announce()


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


@dataclass(frozen=True, slots=True)
class NewEvent:
    """An event to write: what happened, who did it, to what, and who may see it."""

    type: EventType
    actor: Actor | None = None
    claim_id: int | None = None
    rebuttal_id: int | None = None
    delivery_id: int | None = None
    institutions: tuple[str | None, ...] = ()
    public: bool = False
    payload: dict[str, Any] = field(default_factory=dict)

    def values(self, at: datetime) -> tuple[Any, ...]:
        """The values of its columns (``_NEW_EVENT_FIELDS``), written at ``at``."""
        actor = self.actor
        return (
            self.type,
            self.claim_id,
            self.rebuttal_id,
            self.delivery_id,
            scope_of(self.institutions),
            actor.account_id if actor else None,
            actor.role.value if actor else None,
            actor.institution_slug if actor else None,
            self.public,
            at,
            self.payload,
        )


#: The columns a new event writes, as its model's fields (which encode the values).
_NEW_EVENT_FIELDS = {
    name: PendingEvent._meta.fields_map[name]
    for name in (
        "type",
        "claim_id",
        "rebuttal_id",
        "delivery_id",
        "scope",
        "actor_id",
        "actor_role",
        "actor_institution",
        "public",
        "at",
        "payload",
    )
}


def _insert(table: str, dialect: str, seq: bool) -> str:
    names = (["seq"] if seq else []) + list(_NEW_EVENT_FIELDS)
    marks = placeholders(dialect, len(names))
    return f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join(marks)})"


#: A fixed text each (Tortoise's bulk_create builds the INSERT and a model per row).
_INSERT_PENDING = _insert("pending_event", "postgres", seq=False)
_INSERT_NUMBERED = _insert("event", "sqlite", seq=True)


async def append_many(events: Sequence[NewEvent]) -> None:
    """Write events in the current transaction, in this order, with one ``executemany`` (and
    on SQLite one statement for their numbers); call ``committed()`` after the commit.

    On PostgreSQL the events wait in ``pending_event`` until then; on SQLite they are
    numbered at once.
    """
    if not events:
        return
    at = datetime.now(UTC)
    rows = [
        [
            field.to_db_value(value, PendingEvent)
            for field, value in zip(_NEW_EVENT_FIELDS.values(), event.values(at), strict=True)
        ]
        for event in events
    ]
    connection = connections.get("default")
    if _postgres():
        await connection.execute_many(_INSERT_PENDING, rows)
        return
    numbered = await connection.execute_query_dict(_NEXT_SEQS, [len(events)])
    first = int(numbered[0]["value"]) - len(events) + 1
    await connection.execute_many(
        _INSERT_NUMBERED, [[first + i, *row] for i, row in enumerate(rows)]
    )


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
) -> None:
    """Write one event in the current transaction; call ``committed()`` after the commit."""
    await append_many(
        [
            NewEvent(
                type_,
                actor=actor,
                claim_id=claim_id,
                rebuttal_id=rebuttal_id,
                delivery_id=delivery_id,
                institutions=tuple(institutions),
                public=public,
                payload=payload or {},
            )
        ]
    )
