"""The figures of the ``statistics`` query: per institution, per month and in total."""

from __future__ import annotations

import strawberry

from coordhub.schema.claims.types import DismissalReasonEnum
from coordhub.schema.institutions.types import Institution
from coordhub.workflow import statistics as rules

StatisticsScopeEnum = strawberry.enum(
    rules.Scope,
    description="PUBLIC (public records only: what anyone may read) or ALL (every record; "
    "coordinators and observers).",
)


@strawberry.type(description="How many claims were dismissed for one reason.")
class DismissalCount:
    reason: DismissalReasonEnum = strawberry.field(description="The public reason.")
    count: int = strawberry.field(description="Claims dismissed for it.")


@strawberry.type(
    description="What the working group did over a span. Claim figures count each claim in "
    "the month it was reported, under its lead institution; corrections, retractions and "
    "correction requests count in the month they happened, under the rebuttal's institution. "
    "Merged duplicates are not counted."
)
class StatisticsFigures:
    claims_reported: int = strawberry.field(description="Claims reported.")
    claims_triaged: int = strawberry.field(description="Of those, triaged to an institution.")
    claims_rebutted: int = strawberry.field(
        description="Of those, with a published rebuttal (even one later retracted)."
    )
    claims_dismissed: int = strawberry.field(description="Of those, dismissed.")
    dismissed_by_reason: list[DismissalCount] = strawberry.field(
        description="The dismissals by public reason, most frequent first."
    )
    median_hours_to_rebuttal: float | None = strawberry.field(
        description="Median hours from report to first published rebuttal; null if none."
    )
    p90_hours_to_rebuttal: float | None = strawberry.field(
        description="90th percentile of the hours from report to first published rebuttal."
    )
    rebutted_with_due_by: int = strawberry.field(description="Rebutted claims with a due-by.")
    rebutted_within_due_by: int = strawberry.field(description="Of those, rebutted by it.")
    share_within_due_by: float | None = strawberry.field(
        description="rebuttedWithinDueBy / rebuttedWithDueBy, 0 to 1; null if none."
    )
    corrections: int = strawberry.field(
        description="Corrections published (revisions after a rebuttal's first)."
    )
    retractions: int = strawberry.field(description="Rebuttals retracted.")
    correction_requests: int = strawberry.field(
        description="Correction requests received from readers (in PUBLIC scope, without "
        "those set aside as abuse)."
    )
    correction_requests_answered: int = strawberry.field(description="Of those, answered.")

    @classmethod
    def of(cls, figures: rules.Figures) -> StatisticsFigures:
        reasons = sorted(figures.dismissed_by_reason.items(), key=lambda item: (-item[1], item[0]))
        return cls(
            claims_reported=figures.reported,
            claims_triaged=figures.triaged,
            claims_rebutted=figures.rebutted,
            claims_dismissed=figures.dismissed,
            dismissed_by_reason=[DismissalCount(reason=r, count=n) for r, n in reasons if n],
            median_hours_to_rebuttal=_rounded(figures.median_hours),
            p90_hours_to_rebuttal=_rounded(figures.p90_hours),
            rebutted_with_due_by=figures.rebutted_with_due,
            rebutted_within_due_by=figures.rebutted_within_due,
            share_within_due_by=_rounded(figures.within_due_share, 4),
            corrections=figures.corrections,
            retractions=figures.retractions,
            correction_requests=figures.correction_requests,
            correction_requests_answered=figures.correction_requests_answered,
        )


@strawberry.type(description="One institution's figures.")
class InstitutionStatistics:
    institution: Institution | None = strawberry.field(
        description="The institution; null for claims dismissed before any was given the lead."
    )
    figures: StatisticsFigures = strawberry.field(description="Its figures.")


@strawberry.type(description="One month's figures (Cambodia's time, UTC+7).")
class MonthStatistics:
    month: str = strawberry.field(description="The month, `YYYY-MM`.")
    figures: StatisticsFigures = strawberry.field(description="Its figures.")


@strawberry.type(
    description="Transparency statistics over what you may read: public records for everyone "
    "but coordinators and observers, who count every record."
)
class Statistics:
    scope: StatisticsScopeEnum = strawberry.field(description="Which records were counted.")
    since: str = strawberry.field(description="The first month counted, `YYYY-MM`.")
    until: str = strawberry.field(description="The last month counted, `YYYY-MM`.")
    total: StatisticsFigures = strawberry.field(description="Over every month and institution.")
    institutions: list[InstitutionStatistics] = strawberry.field(
        description="Per institution with any figure, most claims reported first."
    )
    months: list[MonthStatistics] = strawberry.field(
        description="Per month from `since` to `until`, oldest first, empty months included."
    )


def _rounded(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)
