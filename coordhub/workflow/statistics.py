"""Transparency statistics: what the working group did, per institution and per month.

Counted over what the caller may read. The public, and every role but coordinators and
observers, count public records only (``Scope.PUBLIC``): claims once rebutted or dismissed,
rebuttals once published, correction requests not set aside. So a statistic never reveals an
unpublished claim, a draft or a rejected request, and a retraction changes nothing but the
retraction count. Coordinators and observers count everything (``Scope.ALL``).

- **Claim figures** count each claim once, in the month it was reported (Cambodia's time,
  UTC+7), under its lead institution (none for a claim dismissed before triage): reported,
  triaged, rebutted (at least one rebuttal published, even if later retracted), dismissed by
  reason, the hours from report to first publication (median and 90th percentile), and how
  many of those with a due-by were rebutted by it. A merged duplicate is not counted: the
  claim it was merged into is.
- **Rebuttal figures** count in the month they happened, under the rebuttal's institution:
  corrections (each revision after the first), retractions, and correction requests received
  and answered (in the month received).

Six grouped statements, whatever the number of records; the months and institutions asked for
are then folded in memory. The percentiles are taken over the durations themselves (linear
interpolation between closest ranks, as PostgreSQL's ``percentile_cont``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from statistics import quantiles
from typing import Any

from tortoise import connections

from coordhub.actor import Actor
from coordhub.models import ClaimStatus, CorrectionStatus, DismissalReason, RebuttalStatus
from coordhub.workflow.errors import invalid

#: Months are Cambodia's (UTC+7 all year), as the public pages print dates.
UTC_OFFSET_HOURS = 7
#: The most months one answer covers (ten years).
MAX_MONTHS = 120
MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


class Scope(StrEnum):
    """Which records the figures count."""

    PUBLIC = "PUBLIC"
    ALL = "ALL"


def scope_of(actor: Actor | None) -> Scope:
    """Coordinators and observers count everything; everyone else what the public may read."""
    return Scope.ALL if actor is not None and actor.reads_everything else Scope.PUBLIC


@dataclass(slots=True)
class Figures:
    """The figures of one institution, one month, or all of them."""

    reported: int = 0
    triaged: int = 0
    rebutted: int = 0
    dismissed_by_reason: Counter[DismissalReason] = field(default_factory=Counter)
    #: Rebutted claims that had a due-by, and those rebutted by it.
    rebutted_with_due: int = 0
    rebutted_within_due: int = 0
    #: Hours from report to first rebuttal, one per rebutted claim.
    hours: list[float] = field(default_factory=list)
    corrections: int = 0
    retractions: int = 0
    correction_requests: int = 0
    correction_requests_answered: int = 0

    @property
    def dismissed(self) -> int:
        return sum(self.dismissed_by_reason.values())

    @property
    def median_hours(self) -> float | None:
        return _percentile(self.hours, 50)

    @property
    def p90_hours(self) -> float | None:
        return _percentile(self.hours, 90)

    @property
    def within_due_share(self) -> float | None:
        """The share (0 to 1) of rebutted claims with a due-by that were rebutted by it."""
        if not self.rebutted_with_due:
            return None
        return self.rebutted_within_due / self.rebutted_with_due

    def add(self, other: Figures) -> None:
        for name in _COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.dismissed_by_reason.update(other.dismissed_by_reason)
        self.hours.extend(other.hours)


_COUNTS = (
    "reported",
    "triaged",
    "rebutted",
    "rebutted_with_due",
    "rebutted_within_due",
    "corrections",
    "retractions",
    "correction_requests",
    "correction_requests_answered",
)


@dataclass(frozen=True, slots=True)
class Statistics:
    """The answer: totals, then per institution (``None``: not triaged), then per month."""

    scope: Scope
    total: Figures
    #: Each institution with any figure, by id (``None`` for claims never triaged).
    institutions: dict[int | None, Figures]
    #: Every month from ``since`` to ``until``, oldest first, empty months included.
    months: list[tuple[str, Figures]]


def parse_month(value: str, field_name: str) -> int:
    """``YYYY-MM`` as a count of months (year * 12 + month - 1), or INVALID_INPUT naming the
    field."""
    match = MONTH.match(value)
    if match is None:
        raise invalid("Give a month as YYYY-MM, e.g. 2026-11.", field_name)
    return int(match[1]) * 12 + int(match[2]) - 1


def month_range(since: str | None, until: str | None, known: Iterable[str], now: str) -> list[str]:
    """The months an answer covers, oldest first: ``since`` (else the first month with
    figures) to ``until`` (else this month). Asked for, at most ``MAX_MONTHS``; by default the
    latest ``MAX_MONTHS``."""
    last = parse_month(until or now, "until")
    first = parse_month(since, "since") if since else min(map(_index, known), default=last)
    if first > last:
        raise invalid(f"{since} is after {until or now}.", "since")
    if last - first >= MAX_MONTHS:
        if since is not None:
            raise invalid(f"Ask for at most {MAX_MONTHS} months at a time.", "since")
        first = last - MAX_MONTHS + 1
    return [f"{index // 12:04d}-{index % 12 + 1:02d}" for index in range(first, last + 1)]


def this_month(now: datetime | None = None) -> str:
    """The current month in Cambodia's time, ``YYYY-MM``."""
    local = (now or datetime.now(UTC)) + timedelta(hours=UTC_OFFSET_HOURS)
    return f"{local.year:04d}-{local.month:02d}"


def _index(month: str) -> int:
    return int(month[:4]) * 12 + int(month[5:7]) - 1


async def statistics(
    actor: Actor | None,
    *,
    institution_id: int | None = None,
    since: str | None = None,
    until: str | None = None,
    now: datetime | None = None,
) -> Statistics:
    """The figures the actor may read, for one institution or all, over a span of months
    (``until`` is this month unless given)."""
    if since is not None:
        parse_month(since, "since")
    if until is not None:
        parse_month(until, "until")
    scope = scope_of(actor)
    cells = await _cells(scope)
    if institution_id is not None:
        cells = {key: value for key, value in cells.items() if key[0] == institution_id}
    months = month_range(since, until, (month for _, month in cells), this_month(now))
    covered = set(months)
    total = Figures()
    institutions: dict[int | None, Figures] = {}
    by_month = {month: Figures() for month in months}
    for (institution, month), figures in cells.items():
        if month not in covered:
            continue
        total.add(figures)
        institutions.setdefault(institution, Figures()).add(figures)
        by_month[month].add(figures)
    return Statistics(scope, total, institutions, list(by_month.items()))


# --- the statements ----------------------------------------------------------------------------

Cell = tuple[int | None, str]


async def _cells(scope: Scope) -> dict[Cell, Figures]:
    """Every (institution, month) with a figure, from the six grouped statements."""
    connection = connections.get("default")
    sql = _Postgres() if connection.capabilities.dialect == "postgres" else _Sqlite()
    public = scope == Scope.PUBLIC
    cells: dict[Cell, Figures] = {}

    def cell(row: dict[str, Any]) -> Figures:
        key = (row["institution"], row["month"])
        if key not in cells:
            cells[key] = Figures()
        return cells[key]

    async def rows(statement: str) -> list[dict[str, Any]]:
        return await connection.execute_query_dict(statement)

    claims_where = f"c.status <> '{ClaimStatus.MERGED}'" + (" AND c.public" if public else "")
    reported = sql.month("c.created_at")
    for row in await rows(
        f"SELECT c.lead_institution_id AS institution, {reported} AS month,"
        " COUNT(*) AS reported,"
        " SUM(CASE WHEN c.triaged_at IS NOT NULL THEN 1 ELSE 0 END) AS triaged,"
        " SUM(CASE WHEN c.rebutted_at IS NOT NULL THEN 1 ELSE 0 END) AS rebutted,"
        " SUM(CASE WHEN c.rebutted_at IS NOT NULL AND c.due_at IS NOT NULL"
        " THEN 1 ELSE 0 END) AS with_due,"
        f" SUM(CASE WHEN {sql.not_after('c.rebutted_at', 'c.due_at')}"
        " THEN 1 ELSE 0 END) AS within_due"
        f" FROM claim c WHERE {claims_where} GROUP BY 1, 2"
    ):
        figures = cell(row)
        figures.reported = int(row["reported"])
        figures.triaged = int(row["triaged"])
        figures.rebutted = int(row["rebutted"])
        figures.rebutted_with_due = int(row["with_due"])
        figures.rebutted_within_due = int(row["within_due"])
    for row in await rows(
        f"SELECT c.lead_institution_id AS institution, {reported} AS month,"
        " c.dismissal_reason AS reason, COUNT(*) AS n FROM claim c"
        f" WHERE {claims_where} AND c.status = '{ClaimStatus.DISMISSED}'"
        " AND c.dismissal_reason IS NOT NULL GROUP BY 1, 2, 3"
    ):
        cell(row).dismissed_by_reason[DismissalReason(row["reason"])] = int(row["n"])
    for row in await rows(
        f"SELECT c.lead_institution_id AS institution, {reported} AS month,"
        f" {sql.hours('c.created_at', 'c.rebutted_at')} AS hours FROM claim c"
        f" WHERE {claims_where} AND c.rebutted_at IS NOT NULL"
    ):
        cell(row).hours.append(max(0.0, float(row["hours"])))

    # A rebuttal is public once published, and its claim is public from then on; the claim's
    # flag is checked too, as visibility.public_rebuttals_filter does.
    rebuttals_where = (
        " AND r.live_revision IS NOT NULL AND EXISTS"
        " (SELECT 1 FROM claim c WHERE c.id = r.claim_id AND c.public)"
        if public
        else ""
    )
    for row in await rows(
        f"SELECT r.institution_id AS institution, {sql.month('v.published_at')} AS month,"
        " COUNT(*) AS n FROM rebuttal_revision v JOIN rebuttal r ON r.id = v.rebuttal_id"
        f" WHERE v.number > 1{rebuttals_where} GROUP BY 1, 2"
    ):
        cell(row).corrections = int(row["n"])
    for row in await rows(
        f"SELECT r.institution_id AS institution, {sql.month('r.retracted_at')} AS month,"
        " COUNT(*) AS n FROM rebuttal r"
        f" WHERE r.status = '{RebuttalStatus.RETRACTED}' AND r.retracted_at IS NOT NULL"
        f"{rebuttals_where} GROUP BY 1, 2"
    ):
        cell(row).retractions = int(row["n"])
    requests_where = f" AND q.status <> '{CorrectionStatus.REJECTED}'" if public else ""
    for row in await rows(
        f"SELECT r.institution_id AS institution, {sql.month('q.requested_at')} AS month,"
        " COUNT(*) AS n,"
        f" SUM(CASE WHEN q.status = '{CorrectionStatus.ANSWERED}' THEN 1 ELSE 0 END) AS answered"
        " FROM correction_request q JOIN rebuttal r ON r.id = q.rebuttal_id"
        f" WHERE 1 = 1{requests_where}{rebuttals_where} GROUP BY 1, 2"
    ):
        figures = cell(row)
        figures.correction_requests = int(row["n"])
        figures.correction_requests_answered = int(row["answered"])
    return cells


class _Postgres:
    def month(self, column: str) -> str:
        return f"to_char({column} AT TIME ZONE INTERVAL '+{UTC_OFFSET_HOURS:02d}:00', 'YYYY-MM')"

    def hours(self, start: str, end: str) -> str:
        return f"EXTRACT(EPOCH FROM ({end} - {start})) / 3600.0"

    def not_after(self, moment: str, limit: str) -> str:
        return f"{moment} <= {limit}"


class _Sqlite:
    """Tortoise stores SQLite datetimes as ISO text with their offset, which SQLite's date
    functions read."""

    def month(self, column: str) -> str:
        return f"strftime('%Y-%m', {column}, '+{UTC_OFFSET_HOURS} hours')"

    def hours(self, start: str, end: str) -> str:
        return f"(julianday({end}) - julianday({start})) * 24.0"

    def not_after(self, moment: str, limit: str) -> str:
        return f"julianday({moment}) <= julianday({limit})"


def _percentile(values: list[float], percent: int) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return quantiles(values, n=100, method="inclusive")[percent - 1]
