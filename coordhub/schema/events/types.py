"""Events: one recorded state change, and the rebuttal, claim and delivery events subscribers
get."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Self

import strawberry
from strawberry.scalars import JSON

from coordhub.models import Event as EventRow
from coordhub.models import EventType
from coordhub.schema.accounts.types import RoleEnum
from coordhub.schema.context import Info
from coordhub.schema.nodes import as_node
from coordhub.schema.pagination import encode_cursor

if TYPE_CHECKING:
    from coordhub.schema.claims.types import Claim
    from coordhub.schema.deliveries.types import Delivery
    from coordhub.schema.rebuttals.types import Rebuttal

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
    ) -> Annotated[Claim, strawberry.lazy("coordhub.schema.claims.types")] | None:
        if self.claim_id is None:
            return None
        return as_node(await info.context.loaders.claim.load(self.claim_id))

    @strawberry.field(description="The rebuttal concerned, if you may see it.")
    async def rebuttal(
        self, info: Info
    ) -> Annotated[Rebuttal, strawberry.lazy("coordhub.schema.rebuttals.types")] | None:
        if self.rebuttal_id is None:
            return None
        return as_node(await info.context.loaders.rebuttal.load(self.rebuttal_id))


@strawberry.type(description="A change to a rebuttal, as recorded in the event log.")
class RebuttalEvent(Event):
    pass


@strawberry.type(
    description="A claim triaged, due soon, overdue, merged or dismissed, from the event log."
)
class ClaimEvent(Event):
    pass


@strawberry.type(description="A change to a delivery or a connector, from the event log.")
class DeliveryEvent(Event):
    @strawberry.field(description="The connector concerned.")
    def connector(self) -> str | None:
        value = self.payload.get("connector") if isinstance(self.payload, dict) else None
        return str(value) if value is not None else None

    @strawberry.field(description="The delivery concerned, as it is now.")
    async def delivery(
        self, info: Info
    ) -> Annotated[Delivery, strawberry.lazy("coordhub.schema.deliveries.types")] | None:
        if self.delivery_id is None:
            return None
        return as_node(await info.context.loaders.delivery.load(self.delivery_id))
