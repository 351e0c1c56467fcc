"""Deliveries: sending a failed delivery again, through ``coordhub.workflow.deliveries``."""

from __future__ import annotations

from typing import Self

import strawberry

from coordhub.models import Delivery as DeliveryRow
from coordhub.schema.context import Info
from coordhub.schema.deliveries.types import Delivery
from coordhub.schema.errors import UserError, attempt, decode_id
from coordhub.workflow import deliveries as flow


@strawberry.type(description="The result of a delivery mutation.")
class DeliveryPayload:
    delivery: Delivery | None = strawberry.field(description="The delivery after the change.")
    errors: list[UserError] = strawberry.field(description="Empty on success.")

    @classmethod
    def of(cls, row: DeliveryRow | None, errors: list[UserError]) -> Self:
        return cls(delivery=Delivery.from_row(row) if row else None, errors=errors)


@strawberry.input(description="Names a delivery.")
class DeliveryIdInput:
    delivery_id: strawberry.ID = strawberry.field(description="The delivery.")


@strawberry.type
class DeliveryMutations:
    @strawberry.mutation(
        description="Send a FAILED delivery again with its frozen payload (coordinator only)."
    )
    async def retry_delivery(self, info: Info, input: DeliveryIdInput) -> DeliveryPayload:
        return await attempt(
            DeliveryPayload.of,
            lambda: flow.retry_delivery(
                info.context.actor, decode_id(input.delivery_id, "Delivery", "deliveryId")
            ),
        )
