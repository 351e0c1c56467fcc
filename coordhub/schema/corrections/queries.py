"""Correction requests: the ``correctionRequests`` list and its filter."""

from __future__ import annotations

import strawberry
from tortoise.expressions import Q

from coordhub.models import CorrectionRequest as CorrectionRow
from coordhub.schema.context import Info
from coordhub.schema.corrections.types import CorrectionRequest, CorrectionStatusEnum
from coordhub.schema.errors import decode_id
from coordhub.schema.pagination import Connection, paginate
from coordhub.workflow.visibility import correction_requests_filter


@strawberry.input(description="Filters on correction requests; all given filters must match.")
class CorrectionRequestFilter:
    status: list[CorrectionStatusEnum] | None = strawberry.field(
        default=None, description="Any of."
    )
    rebuttal_id: strawberry.ID | None = strawberry.field(
        default=None, description="One rebuttal's."
    )

    def to_q(self) -> Q:
        q = Q()
        if self.status:
            q &= Q(status__in=list(self.status))
        if self.rebuttal_id is not None:
            q &= Q(rebuttal_id=decode_id(self.rebuttal_id, "Rebuttal", "filter.rebuttalId"))
        return q


@strawberry.type
class CorrectionQueries:
    @strawberry.field(
        description="Correction requests you may see, newest first: answered ones for "
        "everyone; open and set-aside ones for the rebuttal's institution, coordinators and "
        "observers."
    )
    async def correction_requests(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        filter: CorrectionRequestFilter | None = None,
    ) -> Connection[CorrectionRequest]:
        query = CorrectionRow.filter(correction_requests_filter(info.context.actor))
        if filter is not None:
            query = query.filter(filter.to_q())
        return await paginate(
            query,
            info.context.settings,
            first=first,
            after=after,
            kind="correction",
            node=CorrectionRequest.from_row,
        )
