"""Rebuttals: the ``rebuttals`` list and its filter."""

from __future__ import annotations

import strawberry
from tortoise.expressions import Q

from coordhub.actor import Actor
from coordhub.models import Rebuttal as RebuttalRow
from coordhub.schema.context import Info
from coordhub.schema.errors import decode_id
from coordhub.schema.pagination import Connection, paginate
from coordhub.schema.rebuttals.types import Rebuttal, RebuttalStatusEnum, VerdictEnum
from coordhub.workflow.inputs import MAX_SLUG, clean_term
from coordhub.workflow.visibility import rebuttals_filter, rebuttals_in_status


@strawberry.input(description="Filters on the rebuttals list; all given filters must match.")
class RebuttalFilter:
    status: list[RebuttalStatusEnum] | None = strawberry.field(
        default=None, description="Any of these statuses."
    )
    institution: str | None = strawberry.field(
        default=None, description="Slug of the answering institution."
    )
    verdict: list[VerdictEnum] | None = strawberry.field(
        default=None,
        description="Any of these verdicts (of the live revision; of the draft before publishing).",
    )
    claim_id: strawberry.ID | None = strawberry.field(default=None, description="One claim's.")
    published: bool | None = strawberry.field(
        default=None, description="Only rebuttals with a live revision (true) or without (false)."
    )

    def to_q(self, actor: Actor | None) -> Q:
        q = Q()
        if self.status:
            q &= rebuttals_in_status(actor, list(self.status))
        if self.verdict:
            verdicts = list(self.verdict)
            q &= Q(live_verdict__in=verdicts) | Q(live_verdict__isnull=True, verdict__in=verdicts)
        if self.institution:
            slug = clean_term(self.institution, "filter.institution", limit=MAX_SLUG)
            q &= Q(institution__slug=slug)
        if self.claim_id is not None:
            q &= Q(claim_id=decode_id(self.claim_id, "Claim", "filter.claimId"))
        if self.published is not None:
            q &= Q(live_revision__isnull=not self.published)
        return q


@strawberry.type
class RebuttalQueries:
    @strawberry.field(description="Rebuttals you may see, newest first.")
    async def rebuttals(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        filter: RebuttalFilter | None = None,
    ) -> Connection[Rebuttal]:
        query = RebuttalRow.filter(rebuttals_filter(info.context.actor))
        if filter is not None:
            query = query.filter(filter.to_q(info.context.actor))
        return await paginate(
            query,
            info.context.settings,
            first=first,
            after=after,
            kind="rebuttal",
            node=Rebuttal.from_row,
        )
