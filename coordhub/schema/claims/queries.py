"""Claims: the ``claims`` list and its filter."""

from __future__ import annotations

from datetime import UTC, datetime

import strawberry
from tortoise.expressions import Q, Subquery

from coordhub.actor import Actor
from coordhub.models import Claim as ClaimRow
from coordhub.models import ClaimSupport
from coordhub.schema.cacheability import mark_volatile
from coordhub.schema.claims.types import (
    OVERDUE_STATUSES,
    Claim,
    ClaimStatusEnum,
    PriorityEnum,
)
from coordhub.schema.context import Info
from coordhub.schema.pagination import Connection, paginate
from coordhub.settings import Settings
from coordhub.workflow.inputs import MAX_SLUG, MAX_TOPIC, clean_needle, clean_term
from coordhub.workflow.search import visible_claims_containing
from coordhub.workflow.visibility import claims_filter


@strawberry.input(description="Filters on the claims list; all given filters must match.")
class ClaimFilter:
    status: list[ClaimStatusEnum] | None = strawberry.field(
        default=None, description="Any of these statuses."
    )
    institution: str | None = strawberry.field(
        default=None, description="Slug of the lead or a supporting institution."
    )
    priority: list[PriorityEnum] | None = strawberry.field(
        default=None, description="Any of these priorities."
    )
    overdue: bool | None = strawberry.field(
        default=None, description="Only overdue claims (true) or only those not overdue (false)."
    )
    topic: str | None = strawberry.field(default=None, description="Exactly this topic.")
    text: str | None = strawberry.field(
        default=None,
        description="Substring of the summary (Khmer or English) or topic, case-insensitive. "
        "Khmer phrases are found inside unspaced text.",
    )

    def to_q(self, settings: Settings, actor: Actor | None = None) -> Q:
        """The filter's condition; INVALID (naming ``filter.<field>``) for values that cannot
        be looked for: lone surrogates, control characters, or longer than any stored value
        (or, for ``text``, than ``settings.max_search_chars``). ``text`` searches only what
        ``actor`` may read."""
        q = Q()
        if self.status:
            q &= Q(status__in=list(self.status))
        if self.priority:
            q &= Q(priority__in=list(self.priority))
        if self.topic:
            q &= Q(topic=clean_term(self.topic, "filter.topic", limit=MAX_TOPIC))
        if self.institution:
            slug = clean_term(self.institution, "filter.institution", limit=MAX_SLUG)
            supported = ClaimSupport.filter(institution__slug=slug).values("claim_id")
            q &= Q(lead_institution__slug=slug) | Q(id__in=Subquery(supported))
        if self.overdue is not None:
            mark_volatile()
            late = Q(due_at__lt=datetime.now(UTC), status__in=list(OVERDUE_STATUSES))
            q &= late if self.overdue else ~late
        if self.text:
            needle = clean_needle(self.text, "filter.text", limit=settings.max_search_chars)
            if needle:
                q &= visible_claims_containing(needle, actor)
        return q


@strawberry.type
class ClaimQueries:
    @strawberry.field(description="Claims you may see, newest first.")
    async def claims(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        filter: ClaimFilter | None = None,
    ) -> Connection[Claim]:
        query = ClaimRow.filter(claims_filter(info.context.actor))
        if filter is not None:
            query = query.filter(filter.to_q(info.context.settings, info.context.actor))
        return await paginate(
            query,
            info.context.settings,
            first=first,
            after=after,
            kind="claim",
            node=Claim.from_row,
        )
