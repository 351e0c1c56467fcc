"""The transparency page: the public figures of ``workflow.statistics``, as tables and charts.

The figures are the public scope's (what anyone may read), the same as the GraphQL
``statistics`` query answers the public. Totals cover every month counted (at most
``MAX_MONTHS``); the monthly charts show the latest ``CHART_MONTHS``.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from coordhub.public.charts import Series, bars, columns
from coordhub.public.records import InstitutionView
from coordhub.public.texts import Strings
from coordhub.workflow.statistics import Figures, Statistics

#: Months in the monthly charts (the table below them has every month counted).
CHART_MONTHS = 24


@dataclass(frozen=True, slots=True)
class InstitutionRow:
    #: ``None``: claims dismissed before any institution was given the lead.
    institution: InstitutionView | None
    figures: Figures


@dataclass(frozen=True, slots=True)
class TransparencyView:
    total: Figures
    months: list[tuple[str, Figures]]
    institutions: list[InstitutionRow]
    claims_chart: Markup
    hours_chart: Markup
    institutions_chart: Markup
    claims_series: list[Series]
    hours_series: list[Series]
    institutions_series: list[Series]


def transparency_view(
    answer: Statistics, institutions: dict[int, InstitutionView], ui: Strings
) -> TransparencyView:
    recent = answer.months[-CHART_MONTHS:]
    labels = [ui.month(month) for month, _ in recent]
    claims = [
        Series(ui.stat_reported, "bar-reported", [f.reported for _, f in recent]),
        Series(ui.stat_rebutted, "bar-rebutted", [f.rebutted for _, f in recent]),
        Series(ui.stat_dismissed, "bar-dismissed", [f.dismissed for _, f in recent]),
    ]
    hours = [
        Series(ui.median, "bar-median", [f.median_hours for _, f in recent]),
        Series(ui.p90, "bar-p90", [f.p90_hours for _, f in recent]),
    ]
    rows = sorted(
        (
            InstitutionRow(institutions.get(key) if key is not None else None, figures)
            for key, figures in answer.institutions.items()
            if figures.reported
        ),
        key=lambda row: (-row.figures.reported, row.institution is None),
    )
    names = [
        row.institution.name[ui.language] if row.institution else ui.not_triaged for row in rows
    ]
    per_institution = [
        Series(ui.stat_rebutted, "bar-rebutted", [row.figures.rebutted for row in rows]),
        Series(ui.stat_dismissed, "bar-dismissed", [row.figures.dismissed for row in rows]),
    ]
    return TransparencyView(
        total=answer.total,
        months=answer.months,
        institutions=rows,
        claims_chart=columns(
            "claims",
            title=ui.chart_claims_title,
            description=ui.chart_claims_desc,
            labels=labels,
            series=claims,
            number=lambda value: ui.number(round(value)),
        ),
        hours_chart=columns(
            "hours",
            title=ui.chart_hours_title,
            description=ui.chart_hours_desc,
            labels=labels,
            series=hours,
            number=ui.hours,
        ),
        institutions_chart=bars(
            "institutions",
            title=ui.chart_institutions_title,
            description=ui.chart_institutions_desc,
            labels=names,
            series=per_institution,
            number=lambda value: ui.number(round(value)),
        ),
        claims_series=claims,
        hours_series=hours,
        institutions_series=per_institution,
    )
