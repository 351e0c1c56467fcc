"""The ``statistics`` root field."""

from __future__ import annotations

from typing import Annotated

import strawberry

from coordhub.models import Institution as InstitutionRow
from coordhub.schema.context import Info
from coordhub.schema.institutions.types import Institution
from coordhub.schema.statistics.types import (
    InstitutionStatistics,
    MonthStatistics,
    Statistics,
    StatisticsFigures,
)
from coordhub.workflow import statistics as rules
from coordhub.workflow.errors import ErrorCode, WorkflowError
from coordhub.workflow.inputs import MAX_SLUG, clean_term


@strawberry.type
class StatisticsQueries:
    @strawberry.field(
        description="Claims reported, triaged, rebutted and dismissed, time to rebuttal, "
        "corrections, retractions and correction requests, in total, per institution and per "
        f"month (at most {rules.MAX_MONTHS}; by default from the first month with figures to "
        "this one). Counted over what you may read: see `Statistics.scope`."
    )
    async def statistics(
        self,
        info: Info,
        institution: Annotated[
            str | None, strawberry.argument(description="Only this institution's (its slug).")
        ] = None,
        since: Annotated[
            str | None, strawberry.argument(description="The first month, `YYYY-MM`.")
        ] = None,
        until: Annotated[
            str | None,
            strawberry.argument(description="The last month, `YYYY-MM` (default: this month)."),
        ] = None,
    ) -> Statistics:
        institution_id: int | None = None
        if institution is not None:
            slug = clean_term(institution, "institution", limit=MAX_SLUG)
            row = await InstitutionRow.get_or_none(slug=slug)
            if row is None:
                raise WorkflowError(
                    ErrorCode.NOT_FOUND, "No institution with that slug.", "institution"
                )
            institution_id = row.id
        answer = await rules.statistics(
            info.context.actor, institution_id=institution_id, since=since, until=until
        )
        rows = {
            row.id: row
            for row in await InstitutionRow.filter(
                id__in=[key for key in answer.institutions if key is not None]
            )
        }
        institutions = sorted(
            answer.institutions.items(), key=lambda item: (-item[1].reported, item[0] or 0)
        )
        return Statistics(
            scope=answer.scope,
            since=answer.months[0][0],
            until=answer.months[-1][0],
            total=StatisticsFigures.of(answer.total),
            institutions=[
                InstitutionStatistics(
                    institution=Institution.from_row(rows[key]) if key is not None else None,
                    figures=StatisticsFigures.of(figures),
                )
                for key, figures in institutions
            ],
            months=[
                MonthStatistics(month=month, figures=StatisticsFigures.of(figures))
                for month, figures in answer.months
            ],
        )
