"""Events: the ``events`` query, the audit trail oldest first, resumable by cursor."""

from __future__ import annotations

import strawberry
from tortoise.expressions import Q

from coordhub.models import Event as EventRow
from coordhub.schema.context import Info
from coordhub.schema.errors import decode_id
from coordhub.schema.events.types import Event, EventTypeEnum
from coordhub.schema.pagination import Connection, paginate
from coordhub.workflow.inputs import MAX_SLUG, clean_term
from coordhub.workflow.visibility import events_filter


@strawberry.input(description="Filters on the event log; all given filters must match.")
class EventFilter:
    types: list[EventTypeEnum] | None = strawberry.field(default=None, description="Any of.")
    claim_id: strawberry.ID | None = strawberry.field(default=None, description="One claim's.")
    rebuttal_id: strawberry.ID | None = strawberry.field(
        default=None, description="One rebuttal's."
    )
    institution: str | None = strawberry.field(
        default=None, description="Events concerning this institution (slug)."
    )

    def to_q(self) -> Q:
        q = Q()
        if self.types:
            q &= Q(type__in=list(self.types))
        if self.claim_id is not None:
            q &= Q(claim_id=decode_id(self.claim_id, "Claim", "filter.claimId"))
        if self.rebuttal_id is not None:
            q &= Q(rebuttal_id=decode_id(self.rebuttal_id, "Rebuttal", "filter.rebuttalId"))
        if self.institution:
            slug = clean_term(self.institution, "filter.institution", limit=MAX_SLUG)
            q &= Q(scope__contains=f"|{slug}|")
        return q


@strawberry.type
class EventQueries:
    @strawberry.field(description="Events you may see, oldest first.")
    async def events(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        filter: EventFilter | None = None,
    ) -> Connection[Event]:
        query = EventRow.filter(events_filter(info.context.actor))
        if filter is not None:
            query = query.filter(filter.to_q())
        return await paginate(
            query,
            info.context.settings,
            first=first,
            after=after,
            kind="event",
            node=Event.from_row,
            key="seq",
            newest_first=False,
        )
