"""Deliveries and connectors: the types, and a connector's live health check."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Self

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from coordhub.connectors.config import ConnectorNotConfigured, settings_for
from coordhub.models import Delivery as DeliveryRow
from coordhub.models import DeliveryAction, DeliveryStatus, Role
from coordhub.schema.cacheability import mark_volatile
from coordhub.schema.context import Info
from coordhub.schema.nodes import as_node, load_nodes, register

if TYPE_CHECKING:
    from coordhub.schema.rebuttals.types import Rebuttal

DeliveryStatusEnum = strawberry.enum(
    DeliveryStatus,
    description=(
        "PENDING (due), DELIVERING (leased by a worker), DELIVERED, RETRYING (after a "
        "temporary failure), FAILED (for good; can be retried by hand), SUPERSEDED (a newer "
        "revision or a retraction replaced it before it was sent)."
    ),
)
DeliveryActionEnum = strawberry.enum(DeliveryAction, description="What the outlet is asked.")


@strawberry.type(description="One message to one outlet for one revision of a rebuttal.")
class Delivery(relay.Node):
    pk: relay.NodeID[int]
    connector: str = strawberry.field(description="The connector (outlet) name.")
    revision: int = strawberry.field(description="The rebuttal revision it carries.")
    action: DeliveryActionEnum = strawberry.field(description="Publish, update or retract.")
    status: DeliveryStatusEnum = strawberry.field(description="Where it stands.")
    attempts: int = strawberry.field(description="Send attempts so far.")
    next_attempt_at: datetime = strawberry.field(description="When it is (or was) due.")
    last_error: str | None = strawberry.field(description="Why the last attempt failed.")
    external_id: str | None = strawberry.field(description="The outlet's receipt id.")
    idempotency_key: str = strawberry.field(description="Stable key outlets deduplicate on.")
    created_at: datetime = strawberry.field(description="When it was queued.")
    delivered_at: datetime | None = strawberry.field(description="When the outlet accepted it.")
    row: strawberry.Private[DeliveryRow]

    @classmethod
    def from_row(cls, row: DeliveryRow) -> Self:
        return cls(
            pk=row.id,
            connector=row.connector,
            revision=row.revision,
            action=row.action,
            status=row.status,
            attempts=row.attempts,
            next_attempt_at=row.next_attempt_at,
            last_error=row.last_error,
            external_id=row.external_id,
            idempotency_key=row.idempotency_key,
            created_at=row.created_at,
            delivered_at=row.delivered_at,
            row=row,
        )

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        return await load_nodes(info.context.loaders.delivery, node_ids, cls.from_row)

    @strawberry.field(description="The rebuttal delivered.")
    async def rebuttal(
        self, info: Info
    ) -> Annotated[Rebuttal, strawberry.lazy("coordhub.schema.rebuttals.types")] | None:
        return as_node(await info.context.loaders.rebuttal.load(self.row.rebuttal_id))

    @strawberry.field(
        description="The frozen message sent (content type, headers, body), for the "
        "coordinator only; null before the first attempt renders it."
    )
    def payload(self, info: Info) -> JSON | None:
        actor = info.context.actor
        if actor is None or actor.role != Role.COORDINATOR:
            return None
        return self.row.payload


@strawberry.type(description="Whether an outlet answers.")
class ConnectorHealth:
    ok: bool = strawberry.field(description="True if the outlet looks reachable.")
    detail: str = strawberry.field(description="What the check found.")


@strawberry.type(description="An installed outlet connector.")
class ConnectorInfo:
    name: str = strawberry.field(description="Used in rebuttal `channels`.")
    plugin: str = strawberry.field(description="The plugin distribution offering it.")
    version: str | None = strawberry.field(description="The plugin's version.")
    enabled: bool = strawberry.field(description="False once the outlet answered 410 Gone.")
    configured: bool = strawberry.field(description="Whether operator settings exist for it.")
    disabled_reason: str | None = strawberry.field(description="Why it was disabled.")

    @strawberry.field(description="Asks the outlet now (at most 3 seconds).")
    async def health(self, info: Info) -> ConnectorHealth:
        import httpx

        mark_volatile()  # a live answer from outside the database
        registry = info.context.registry
        connector = registry.get(self.name) if registry else None
        if connector is None:
            return ConnectorHealth(ok=False, detail="not installed")
        try:
            settings = settings_for(info.context.settings, connector)
            async with httpx.AsyncClient(timeout=3) as http, asyncio.timeout(3):
                result = await connector.health(settings, http)
        except ConnectorNotConfigured:
            return ConnectorHealth(ok=False, detail="not configured")
        except Exception as exc:
            return ConnectorHealth(ok=False, detail=f"check failed: {type(exc).__name__}")
        return ConnectorHealth(ok=result.ok, detail=result.detail)


register(DeliveryRow, Delivery.from_row)
