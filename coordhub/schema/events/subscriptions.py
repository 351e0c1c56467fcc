"""Subscriptions: rebuttal, claim and delivery updates, replayed from the log then streamed
live.

A subscriber passes ``after`` (the ``cursor`` of the last event it saw) to resume: the server
replays every later event from the log, then switches to live events from the process's log
tail without a gap or a duplicate, because live events at or below the last replayed sequence
number are skipped. Visibility is checked for every event; a revoked token ends the stream
(before the next event, also in the middle of a replay). A connection runs at most
``Settings.ws_max_subscriptions`` subscriptions at once; one more is refused with
``TOO_MANY_SUBSCRIPTIONS``.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import AsyncGenerator, Callable

import strawberry
from graphql import GraphQLError
from tortoise.expressions import Q

from coordhub.actor import Actor
from coordhub.events.tail import first_sequence, last_sequence
from coordhub.models import Event as EventRow
from coordhub.models import EventType, Role
from coordhub.schema.context import Info
from coordhub.schema.events.types import ClaimEvent, DeliveryEvent, RebuttalEvent
from coordhub.schema.loaders import Loaders, visibility_key
from coordhub.schema.pagination import resolve_cursor
from coordhub.workflow.errors import ErrorCode, WorkflowError, forbidden, unauthenticated
from coordhub.workflow.visibility import can_read_event, events_filter

REPLAY_PAGE = 200
REBUTTAL_EVENTS = frozenset(t for t in EventType if t.value.startswith("REBUTTAL_"))
CLAIM_EVENTS = frozenset(
    {
        EventType.CLAIM_TRIAGED,
        EventType.CLAIM_DUE_SOON,
        EventType.CLAIM_OVERDUE,
        EventType.CLAIM_MERGED,
        EventType.CLAIM_DISMISSED,
    }
)
DELIVERY_EVENTS = frozenset(t for t in EventType if t.value.startswith(("DELIVERY_", "CONNECTOR_")))
#: ``extensions.code`` of a subscription refused because its connection runs the most it may.
TOO_MANY_SUBSCRIPTIONS = "TOO_MANY_SUBSCRIPTIONS"


def too_many_subscriptions(limit: int) -> GraphQLError:
    return GraphQLError(
        f"A connection may run at most {limit} subscriptions at once: complete one first, "
        "or open another connection.",
        extensions={"code": TOO_MANY_SUBSCRIPTIONS, "limit": limit},
    )


async def _follow(
    info: Info,
    *,
    types: frozenset[EventType],
    extra: Q,
    matches: Callable[[EventRow], bool],
    after: str | None,
) -> AsyncGenerator[EventRow, None]:
    """Events of ``types`` the caller may read: replayed after ``after``, then live."""
    context = info.context
    actor = context.actor
    tail = context.tail
    if tail is None or not tail.running:
        raise WorkflowError(ErrorCode.INVALID, "Subscriptions need the server's log tail.")
    limit = context.settings.ws_max_subscriptions
    if context.subscriptions >= limit:
        raise too_many_subscriptions(limit)
    cursor = await resolve_cursor("event", after)

    def wanted(event: EventRow) -> bool:
        if event.type == EventType.TOKEN_REVOKED:
            return actor is not None and event.payload.get("tokenId") == actor.token_id
        return event.type in types and can_read_event(actor, event) and matches(event)

    subscriber = tail.subscribe(wanted, on_overflow=context.disconnect_slow_subscriber)
    context.subscriptions += 1
    try:
        if cursor is None:
            cursor = tail.position
        else:
            await _check_cursor(cursor)
            query = EventRow.filter(events_filter(actor), extra, type__in=list(types))
            while True:
                page = await query.filter(seq__gt=cursor).order_by("seq").limit(REPLAY_PAGE)
                for event in page:
                    if context.revoked:
                        raise unauthenticated("Your token was revoked.")
                    cursor = event.seq
                    yield event
                if len(page) < REPLAY_PAGE:
                    break
        while True:
            event = await subscriber.queue.get()
            if event.seq <= cursor:
                continue  # already replayed
            cursor = event.seq
            if event.type == EventType.TOKEN_REVOKED or context.revoked:
                context.disconnect_revoked()
                raise unauthenticated("Your token was revoked.")
            yield event
    finally:
        context.subscriptions -= 1
        tail.unsubscribe(subscriber)


async def _check_cursor(cursor: int) -> None:
    """Refuse a cursor the log cannot resume from (CURSOR_EXPIRED)."""
    oldest = await first_sequence()
    if cursor > await last_sequence():
        raise WorkflowError(
            ErrorCode.CURSOR_EXPIRED,
            "This cursor is ahead of the log (restored from a backup?): resynchronise "
            "with the queries, then subscribe without `after`.",
            "after",
        )
    if oldest is not None and cursor < oldest - 1:
        raise WorkflowError(
            ErrorCode.CURSOR_EXPIRED,
            "The log no longer holds events after this cursor: resynchronise with the "
            "queries, then subscribe without `after`.",
            "after",
        )


class EventLoaders:
    """DataLoaders per event, shared by the subscribers who see the same rows.

    A fan-out to a thousand public subscribers then loads each nested object once, not a
    thousand times, and every event still sees the state as it is when it goes out.
    """

    def __init__(self, events_kept: int = 32) -> None:
        self.events_kept = events_kept
        self._loaders: OrderedDict[tuple[object, ...], Loaders] = OrderedDict()

    def get(self, seq: int, actor: Actor | None) -> Loaders:
        key = (seq, *visibility_key(actor))
        loaders = self._loaders.get(key)
        if loaders is None:
            loaders = self._loaders[key] = Loaders(actor)
            while len(self._loaders) > self.events_kept:
                self._loaders.popitem(last=False)
        return loaders


_event_loaders = EventLoaders()


def _concerning(wanted: set[str]) -> tuple[Q, Callable[[EventRow], bool]]:
    """The events concerning one of the ``wanted`` institutions (every event if none): as a
    condition on the log for the replay, and as a test for live events."""
    extra = Q()
    for slug in wanted:
        extra |= Q(scope__contains=f"|{slug}|")

    def matches(event: EventRow) -> bool:
        return not wanted or bool(wanted & set(event.institutions))

    return extra, matches


def _loaders_for(info: Info, row: EventRow) -> None:
    info.context.loaders = _event_loaders.get(row.seq, info.context.actor)


@strawberry.type(description="Live updates, resumable by cursor.")
class Subscription:
    @strawberry.subscription(
        description="Rebuttal changes you may see (public callers: publications and "
        "retractions), optionally for some institutions. Pass the last `cursor` you received "
        "as `after` to get everything you missed, then live events."
    )
    async def rebuttal_updates(
        self,
        info: Info,
        institutions: list[str] | None = None,
        after: str | None = None,
    ) -> AsyncGenerator[RebuttalEvent, None]:
        extra, matches = _concerning(set(institutions or []))
        async for row in _follow(
            info, types=REBUTTAL_EVENTS, extra=extra, matches=matches, after=after
        ):
            _loaders_for(info, row)
            yield RebuttalEvent.from_row(row)

    @strawberry.subscription(
        description="What concerns your institution's claims: triaged to it (as lead or "
        "supporting), due soon (a quarter of the time allowed left), overdue, merged and "
        "dismissed. Editors and approvers get their institution's; coordinators and observers "
        "every institution's, or those of `institutions`. Resume with `after` as for "
        "`rebuttalUpdates`."
    )
    async def claim_updates(
        self,
        info: Info,
        institutions: list[str] | None = None,
        after: str | None = None,
    ) -> AsyncGenerator[ClaimEvent, None]:
        actor = info.context.actor
        if actor is None:
            raise unauthenticated("Claim updates are not public: send a token in connection_init.")
        if actor.acts_for_institution:
            own = actor.institution_slug
            if institutions is not None and own not in institutions:
                raise forbidden("Editors and approvers get their own institution's claims only.")
            wanted = {own}
        elif actor.reads_everything:
            wanted = set(institutions or [])
        else:
            raise forbidden("Claim updates are for the institutions' desks and the coordinator.")
        extra, matches = _concerning(wanted)
        async for row in _follow(
            info, types=CLAIM_EVENTS, extra=extra, matches=matches, after=after
        ):
            _loaders_for(info, row)
            yield ClaimEvent.from_row(row)

    @strawberry.subscription(
        description="Delivery and connector changes (coordinators and observers: all; "
        "editors and approvers: their institution's), optionally for one connector."
    )
    async def delivery_updates(
        self, info: Info, connector: str | None = None, after: str | None = None
    ) -> AsyncGenerator[DeliveryEvent, None]:
        actor = info.context.actor
        if actor is None:
            raise unauthenticated(
                "Delivery updates are not public: send a token in connection_init."
            )
        if actor.role in (Role.REPORTER, Role.SERVICE):
            raise forbidden("Delivery updates are for operators and the institutions concerned.")

        def matches(event: EventRow) -> bool:
            return connector is None or event.payload.get("connector") == connector

        async for row in _follow(
            info, types=DELIVERY_EVENTS, extra=Q(), matches=matches, after=after
        ):
            if connector is not None and row.payload.get("connector") != connector:
                continue
            _loaders_for(info, row)
            yield DeliveryEvent.from_row(row)
