"""The GraphQL schema, assembled from one package per domain.

Each domain (accounts, institutions, claims, rebuttals, deliveries, events) is a package of
the same shape: ``types.py`` (object types and enums), ``queries.py`` (its root query fields
with their filter inputs), and, where the domain has them, ``mutations.py`` (inputs, payload,
resolvers that call ``coordhub.workflow``) and ``subscriptions.py``. Shared pieces sit beside
them: ``pagination`` (connections), ``errors`` (typed user errors, ``attempt``), ``loaders``
(per-request DataLoaders), ``nodes``, ``common`` (bilingual text), ``context``, ``limits``
and ``cacheability``.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry import relay
from strawberry.types import ExecutionContext, ExecutionResult

from coordhub.ratelimits import RateLimits
from coordhub.schema.accounts.queries import AccountQueries
from coordhub.schema.claims.clusters import ClusterMutations
from coordhub.schema.claims.mutations import ClaimMutations
from coordhub.schema.claims.queries import ClaimQueries
from coordhub.schema.claims.types import Claim
from coordhub.schema.context import Info
from coordhub.schema.corrections.mutations import CorrectionMutations
from coordhub.schema.corrections.queries import CorrectionQueries
from coordhub.schema.corrections.types import CorrectionRequest
from coordhub.schema.deadline import deadline_scope, timed_out
from coordhub.schema.deliveries.mutations import DeliveryMutations
from coordhub.schema.deliveries.queries import DeliveryQueries
from coordhub.schema.deliveries.types import Delivery
from coordhub.schema.events.queries import EventQueries
from coordhub.schema.events.subscriptions import Subscription
from coordhub.schema.executor import Executor
from coordhub.schema.institutions.queries import InstitutionQueries
from coordhub.schema.institutions.types import Institution
from coordhub.schema.limits import extensions
from coordhub.schema.rebuttals.mutations import RebuttalMutations
from coordhub.schema.rebuttals.queries import RebuttalQueries
from coordhub.schema.rebuttals.types import Rebuttal
from coordhub.schema.statistics.queries import StatisticsQueries
from coordhub.settings import Settings

NODE_TYPES: dict[str, type[Claim | Rebuttal | Institution | Delivery | CorrectionRequest]] = {
    "Claim": Claim,
    "Rebuttal": Rebuttal,
    "Institution": Institution,
    "Delivery": Delivery,
    "CorrectionRequest": CorrectionRequest,
}


@strawberry.type(description="Read the working group's records. Public callers see public ones.")
class Query(
    AccountQueries,
    InstitutionQueries,
    ClaimQueries,
    RebuttalQueries,
    DeliveryQueries,
    EventQueries,
    CorrectionQueries,
    StatisticsQueries,
):
    @strawberry.field(
        description="Any object by its global id; null if absent or not visible to you."
    )
    async def node(self, info: Info, id: strawberry.ID) -> relay.Node | None:
        try:
            global_id = relay.GlobalID.from_id(id)
        except relay.GlobalIDValueError:
            return None
        node_type = NODE_TYPES.get(global_id.type_name)
        if node_type is None:
            return None
        nodes = await node_type.resolve_nodes(info=info, node_ids=[global_id.node_id])
        return nodes[0]


@strawberry.type(description="Change records. Every payload has `errors`, empty on success.")
class Mutation(
    ClaimMutations, ClusterMutations, RebuttalMutations, CorrectionMutations, DeliveryMutations
):
    pass


class Schema(strawberry.Schema):
    """Strawberry's schema, with a deadline on queries, logging only errors nobody explained.

    Refusals (typed workflow errors) and invalid documents are the caller's business and go
    back to the caller; unexpected exceptions are logged by the masking extension.
    """

    def __init__(self, *args: Any, operation_timeout: float, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.operation_timeout = operation_timeout

    async def execute(self, *args: Any, **kwargs: Any) -> ExecutionResult:  # type: ignore[override]
        try:
            async with deadline_scope():
                return await super().execute(*args, **kwargs)
        except TimeoutError:
            return timed_out(self.operation_timeout)

    async def stream(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        return self._deadlined(await super().stream(*args, **kwargs))

    async def _deadlined(self, source: Any) -> AsyncGenerator[Any, None]:
        """The results of a websocket operation, a query's within its deadline."""
        try:
            async with deadline_scope() as scope:
                async for result in source:
                    scope.reschedule(None)  # answered in time: sending it has no deadline
                    yield result
        except TimeoutError:
            yield timed_out(self.operation_timeout)
        finally:
            await source.aclose()

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        return None


def create_schema(settings: Settings, rate_limits: RateLimits | None = None) -> strawberry.Schema:
    """The schema with the protections the settings ask for; operations are charged to
    ``rate_limits`` when given."""
    return Schema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=extensions(settings, rate_limits),
        execution_context_class=Executor,
        operation_timeout=settings.operation_timeout_seconds,
    )
