"""Accounts: the ``viewer`` query."""

from __future__ import annotations

import strawberry

from coordhub.schema.accounts.types import Viewer
from coordhub.schema.context import Info


@strawberry.type
class AccountQueries:
    @strawberry.field(description="The caller, or null without a token (public access).")
    def viewer(self, info: Info) -> Viewer | None:
        actor = info.context.actor
        if actor is None:
            return None
        return Viewer(name=actor.name, role=actor.role, institution_id=actor.institution_id)
