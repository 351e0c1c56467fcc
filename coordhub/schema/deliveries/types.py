"""Deliveries and connectors: the types, and a connector's live health check.

A health check is an outbound call to an outlet, so it is for operators only (``OPERATORS``)
and shared: each connector's answer is kept ``Settings.connector_health_cache_seconds`` and
concurrent asks for one connector wait on the same check (``HealthChecks``), so thirty aliases
of ``connectors { health }`` make at most one call per outlet.
"""

from __future__ import annotations

import asyncio
import time
import weakref
from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Self

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from coordhub.connectors.config import ConnectorNotConfigured, settings_for
from coordhub.connectors.types import Connector
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


#: Who may ask an outlet how it is: the roles that run the hub or watch it.
OPERATORS = frozenset({Role.COORDINATOR, Role.OBSERVER})
#: The longest one check may take.
HEALTH_TIMEOUT_SECONDS = 3.0


class HealthChecks:
    """One connector's recent answer and its check in flight (one per connector object, so per
    app: a registry loaded afresh starts with none)."""

    def __init__(self) -> None:
        self.answer: ConnectorHealth | None = None
        self.answered_at = 0.0
        self.running: asyncio.Task[ConnectorHealth] | None = None

    async def get(
        self, check: Callable[[], Awaitable[ConnectorHealth]], keep_seconds: float
    ) -> ConnectorHealth:
        """The kept answer if it is fresh, else the result of the one check in flight (started
        here if none is). Shielded: a caller that gives up does not cancel it for the others."""
        if self.answer is not None and time.monotonic() - self.answered_at < keep_seconds:
            return self.answer
        if self.running is None or self.running.get_loop() is not asyncio.get_running_loop():
            self.running = asyncio.ensure_future(check())
            self.running.add_done_callback(self._finished)
        return await asyncio.shield(self.running)

    def _finished(self, task: asyncio.Task[ConnectorHealth]) -> None:
        if self.running is task:
            self.running = None
        if not task.cancelled() and task.exception() is None:
            self.answer, self.answered_at = task.result(), time.monotonic()


_health_checks: weakref.WeakKeyDictionary[Connector, HealthChecks] = weakref.WeakKeyDictionary()


def health_checks(connector: Connector) -> HealthChecks:
    """The connector's checks (a fresh, unshared one if the object cannot be a weak key)."""
    try:
        checks = _health_checks.get(connector)
        if checks is None:
            checks = _health_checks[connector] = HealthChecks()
    except TypeError:  # a plugin's connector that is unhashable or has no __weakref__
        checks = HealthChecks()
    return checks


async def check_health(info: Info, connector: Connector) -> ConnectorHealth:
    """Ask the outlet now (at most ``HEALTH_TIMEOUT_SECONDS``); never raises."""
    import httpx

    try:
        settings = settings_for(info.context.settings, connector)
        async with (
            httpx.AsyncClient(timeout=HEALTH_TIMEOUT_SECONDS) as http,
            asyncio.timeout(HEALTH_TIMEOUT_SECONDS),
        ):
            result = await connector.health(settings, http)
    except ConnectorNotConfigured:
        return ConnectorHealth(ok=False, detail="not configured")
    except Exception as exc:
        return ConnectorHealth(ok=False, detail=f"check failed: {type(exc).__name__}")
    return ConnectorHealth(ok=result.ok, detail=result.detail)


@strawberry.type(description="An installed outlet connector.")
class ConnectorInfo:
    name: str = strawberry.field(description="Used in rebuttal `channels`.")
    plugin: str = strawberry.field(description="The plugin distribution offering it.")
    version: str | None = strawberry.field(description="The plugin's version.")
    enabled: bool = strawberry.field(description="False once the outlet answered 410 Gone.")
    configured: bool = strawberry.field(description="Whether operator settings exist for it.")
    disabled_reason: str | None = strawberry.field(description="Why it was disabled.")

    @strawberry.field(
        description="Whether the outlet answers, for coordinators and observers; null for "
        "every other caller (the check is an outbound call). Asked at most once every few "
        "seconds per connector (COORDHUB_CONNECTOR_HEALTH_CACHE_SECONDS, 5) and within 3 "
        "seconds; callers asking at the same time share one check."
    )
    async def health(self, info: Info) -> ConnectorHealth | None:
        actor = info.context.actor
        if actor is None or actor.role not in OPERATORS:
            return None
        mark_volatile()  # a live answer from outside the database
        registry = info.context.registry
        connector = registry.get(self.name) if registry else None
        if connector is None:
            return ConnectorHealth(ok=False, detail="not installed")
        keep = info.context.settings.connector_health_cache_seconds
        return await health_checks(connector).get(lambda: check_health(info, connector), keep)


register(DeliveryRow, Delivery.from_row)
