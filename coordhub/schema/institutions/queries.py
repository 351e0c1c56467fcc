"""Institutions: the ``institutions`` and ``institution`` queries."""

from __future__ import annotations

import strawberry

from coordhub.models import Institution as InstitutionRow
from coordhub.schema.institutions.types import Institution
from coordhub.workflow.inputs import MAX_SLUG, storable


@strawberry.type
class InstitutionQueries:
    @strawberry.field(description="Every institution of the working group, in a fixed order.")
    async def institutions(self) -> list[Institution]:
        return [Institution.from_row(row) for row in await InstitutionRow.all().order_by("id")]

    @strawberry.field(description="One institution by its slug.")
    async def institution(self, slug: str) -> Institution | None:
        if not storable(slug, MAX_SLUG):  # no institution has it (and the database refuses it)
            return None
        row = await InstitutionRow.get_or_none(slug=slug)
        return Institution.from_row(row) if row else None
