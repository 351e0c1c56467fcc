"""Accounts: the caller as the schema shows it, and the roles."""

from __future__ import annotations

import strawberry

from coordhub.models import Role
from coordhub.schema.context import Info
from coordhub.schema.institutions.types import Institution, load_institution

RoleEnum = strawberry.enum(
    Role,
    description=(
        "COORDINATOR (Ministry of Information: triage, dismiss, merge), EDITOR and APPROVER "
        "(act for one institution), REPORTER (reports claims), OBSERVER (reads everything), "
        "SERVICE (outlets and subscribing systems)."
    ),
)


@strawberry.type(description="The authenticated caller.")
class Viewer:
    name: str = strawberry.field(description="The account's name (a desk or a system).")
    role: RoleEnum = strawberry.field(description="What the account may do.")
    institution_id: strawberry.Private[int | None]

    @strawberry.field(description="The institution the account acts for, if any.")
    async def institution(self, info: Info) -> Institution | None:
        return await load_institution(info, self.institution_id)
