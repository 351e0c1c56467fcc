"""The GraphQL schema, assembled from one module per domain."""

from __future__ import annotations

import strawberry
from strawberry import relay

from coordhub.schema.accounts import AccountQueries
from coordhub.schema.claims import ClaimMutations, ClaimQueries
from coordhub.schema.events import EventQueries
from coordhub.schema.institutions import InstitutionQueries
from coordhub.schema.limits import extensions
from coordhub.schema.rebuttals import RebuttalMutations, RebuttalQueries
from coordhub.settings import Settings


@strawberry.type(description="Read the working group's records. Public callers see public ones.")
class Query(AccountQueries, InstitutionQueries, ClaimQueries, RebuttalQueries, EventQueries):
    node: relay.Node | None = relay.node(
        description="Any object by its global id; null if absent or not visible to you."
    )


@strawberry.type(description="Change records. Every payload has `errors`, empty on success.")
class Mutation(ClaimMutations, RebuttalMutations):
    pass


def create_schema(settings: Settings) -> strawberry.Schema:
    """The schema with the protections the settings ask for."""
    return strawberry.Schema(query=Query, mutation=Mutation, extensions=extensions(settings))
