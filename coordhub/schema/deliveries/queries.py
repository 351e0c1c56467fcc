"""Deliveries and connectors: the ``deliveries`` list and its filter, ``connectors``."""

from __future__ import annotations

import strawberry
from tortoise.expressions import Q

from coordhub.connectors.config import ConnectorNotConfigured, settings_for
from coordhub.connectors.types import Connector
from coordhub.models import ConnectorState
from coordhub.models import Delivery as DeliveryRow
from coordhub.schema.context import Info
from coordhub.schema.deliveries.types import ConnectorInfo, Delivery, DeliveryStatusEnum
from coordhub.schema.errors import decode_id
from coordhub.schema.pagination import Connection, paginate
from coordhub.workflow.inputs import MAX_CONNECTOR, clean_term
from coordhub.workflow.visibility import deliveries_filter


@strawberry.input(description="Filters on the deliveries list; all given filters must match.")
class DeliveryFilter:
    status: list[DeliveryStatusEnum] | None = strawberry.field(default=None, description="Any of.")
    connector: str | None = strawberry.field(default=None, description="One connector's.")
    rebuttal_id: strawberry.ID | None = strawberry.field(
        default=None, description="One rebuttal's."
    )

    def to_q(self) -> Q:
        q = Q()
        if self.status:
            q &= Q(status__in=list(self.status))
        if self.connector:
            q &= Q(connector=clean_term(self.connector, "filter.connector", limit=MAX_CONNECTOR))
        if self.rebuttal_id is not None:
            q &= Q(rebuttal_id=decode_id(self.rebuttal_id, "Rebuttal", "filter.rebuttalId"))
        return q


def _configured(info: Info, connector: Connector) -> bool:
    """Whether the connector has valid settings (the worker could send now)."""
    try:
        settings_for(info.context.settings, connector)
    except ConnectorNotConfigured:
        return False
    return True


@strawberry.type
class DeliveryQueries:
    @strawberry.field(
        description="Deliveries you may see (coordinators and observers: all; editors and "
        "approvers: their institution's), newest first."
    )
    async def deliveries(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        filter: DeliveryFilter | None = None,
    ) -> Connection[Delivery]:
        query = DeliveryRow.filter(deliveries_filter(info.context.actor))
        if filter is not None:
            query = query.filter(filter.to_q())
        return await paginate(
            query,
            info.context.settings,
            first=first,
            after=after,
            kind="delivery",
            node=Delivery.from_row,
        )

    @strawberry.field(
        description="The installed connectors (outlets) and their state; empty for callers "
        "without a token."
    )
    async def connectors(self, info: Info) -> list[ConnectorInfo]:
        registry = info.context.registry
        if registry is None or info.context.actor is None:
            return []
        states = {s.name: s for s in await ConnectorState.all()}
        infos = []
        for name in sorted(registry.connectors):
            origin = registry.origins.get(name)
            state = states.get(name)
            disabled = state is not None and state.disabled_at is not None
            infos.append(
                ConnectorInfo(
                    name=name,
                    plugin=origin.name if origin else "?",
                    version=origin.version if origin else None,
                    enabled=not disabled,
                    configured=_configured(info, registry.connectors[name]),
                    disabled_reason=state.disabled_reason if disabled and state else None,
                )
            )
        return infos
