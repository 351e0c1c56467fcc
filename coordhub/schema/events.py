"""The event log as a query: the audit trail, oldest first, resumable by cursor."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Self

import strawberry
from strawberry.scalars import JSON
from tortoise.expressions import Q

from coordhub.models import Event as EventRow
from coordhub.models import EventType
from coordhub.schema.accounts import RoleEnum
from coordhub.schema.context import Info
from coordhub.schema.errors import decode_id
from coordhub.schema.pagination import Connection, build_connection, decode_cursor, page_size
from coordhub.workflow.visibility import events_filter

if TYPE_CHECKING:
    from coordhub.schema.claims import Claim
    from coordhub.schema.rebuttals import Rebuttal

EventTypeEnum = strawberry.enum(EventType, description="What changed.")


@strawberry.type(description="One recorded state change. The log is append-only.")
class Event:
    cursor: str = strawberry.field(description="Pass as `after` to read what followed.")
    seq: str = strawberry.field(description="Commit-ordered sequence number (decimal).")
    type: EventTypeEnum = strawberry.field(description="What changed.")
    at: datetime = strawberry.field(description="When.")
    institutions: list[str] = strawberry.field(description="Slugs of institutions concerned.")
    actor_role: RoleEnum | None = strawberry.field(description="Role of the acting account.")
    actor_institution: str | None = strawberry.field(description="Its institution's slug.")
    payload: JSON = strawberry.field(description="The new states and what else changed.")
    public: bool = strawberry.field(description="Whether anyone may read this event.")
    claim_id: strawberry.Private[int | None]
    rebuttal_id: strawberry.Private[int | None]
    delivery_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: EventRow) -> Self:
        from coordhub.schema.pagination import encode_cursor

        return cls(
            cursor=encode_cursor("event", row.seq),
            seq=str(row.seq),
            type=row.type,
            at=row.at,
            institutions=row.institutions,
            actor_role=row.actor_role,  # type: ignore[arg-type]
            actor_institution=row.actor_institution,
            payload=row.payload,
            public=row.public,
            claim_id=row.claim_id,
            rebuttal_id=row.rebuttal_id,
            delivery_id=row.delivery_id,
        )

    @strawberry.field(description="The claim concerned, if you may see it.")
    async def claim(
        self, info: Info
    ) -> Annotated[Claim, strawberry.lazy("coordhub.schema.claims")] | None:
        from coordhub.schema.claims import Claim

        if self.claim_id is None:
            return None
        row = await info.context.loaders.claim.load(self.claim_id)
        return Claim.from_row(row) if row else None

    @strawberry.field(description="The rebuttal concerned, if you may see it.")
    async def rebuttal(
        self, info: Info
    ) -> Annotated[Rebuttal, strawberry.lazy("coordhub.schema.rebuttals")] | None:
        from coordhub.schema.rebuttals import Rebuttal

        if self.rebuttal_id is None:
            return None
        row = await info.context.loaders.rebuttal.load(self.rebuttal_id)
        return Rebuttal.from_row(row) if row else None


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
            q &= Q(scope__contains=f"|{self.institution}|")
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
        settings = info.context.settings
        size = page_size(first, default=settings.default_page_size, cap=settings.max_page_size)
        query = EventRow.filter(events_filter(info.context.actor))
        if filter is not None:
            query = query.filter(filter.to_q())
        after_seq = decode_cursor("event", after)
        if after_seq is not None:
            query = query.filter(seq__gt=after_seq)
        rows = await query.order_by("seq").limit(size + 1)
        return build_connection(rows, size, kind="event", key=lambda r: r.seq, node=Event.from_row)
