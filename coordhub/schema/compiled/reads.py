"""Reads: the rows a plan needs, one statement per root field and per relation.

Every statement applies the same read rules as the field-by-field path
(``workflow.visibility``: ``claims_filter``, ``rebuttals_filter``, and the root fields'
filters ``ClaimFilter.to_q`` and ``RebuttalFilter.to_q``), and reads columns, not model
objects. The number of statements does not depend on the page size: a page of claims with
their institutions, rebuttals and the rebuttals' live revisions is at most four.

Statements that carry a read rule (a page, a node, a claim's rebuttals) are built by Tortoise
from the rules' ``Q``; those that read the children of rows already read (revisions, evidence,
appearances, supports, institutions) have no rule of their own and are one fixed text per
relation (``_by_keys``: the keys as one array parameter), which costs no query building and
lets PostgreSQL reuse its prepared statement. The others are kept once built (``Statements``),
by everything they are built from: the readers' class (``visibility.readers_class``), the
filter, the cursor's position and the page size, or the claims' ids; never a filter that reads
the clock (``overdue``). Rows are read raw and only what needs it is
converted (``_convert``): Tortoise's ``.values()`` converts every value, and parsing each
SQLite date with ``iso8601`` was a quarter of a compiled page's time
(``datetime.fromisoformat`` is in C).
"""

from __future__ import annotations

from collections import OrderedDict, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

import orjson
from strawberry.utils.str_converters import to_camel_case
from tortoise import fields
from tortoise.queryset import QuerySet

from coordhub.models import (
    Appearance,
    Claim,
    ClaimSupport,
    Evidence,
    Institution,
    Rebuttal,
    RebuttalRevision,
)
from coordhub.schema.claims.queries import ClaimFilter
from coordhub.schema.compiled.plans import Plan, Row, claim_overdue
from coordhub.schema.pagination import page_size, resolve_cursor
from coordhub.schema.rebuttals.queries import RebuttalFilter
from coordhub.workflow.visibility import claims_filter, readers_class, rebuttals_filter

if TYPE_CHECKING:
    from coordhub.actor import Actor
    from coordhub.settings import Settings

T = TypeVar("T")
CLAIM_COLUMNS = (
    "id",
    "summary_km",
    "summary_en",
    "topic",
    "status",
    "priority",
    "first_seen_at",
    "created_at",
    "triaged_at",
    "due_at",
    "rebutted_at",
    "dismissal_reason",
    "dismissal_note_km",
    "dismissal_note_en",
    "dismissed_at",
    "lead_institution_id",
)
REBUTTAL_COLUMNS = (
    "id",
    "claim_id",
    "institution_id",
    "status",
    "verdict",
    "live_verdict",
    "live_revision",
    "published_at",
    "retracted_at",
    "retraction_reason_km",
    "retraction_reason_en",
    "headline_km",
    "headline_en",
    "body_km",
    "body_en",
    "evidence",
)
REVISION_COLUMNS = (
    "id",
    "rebuttal_id",
    "number",
    "verdict",
    "headline_km",
    "headline_en",
    "body_km",
    "body_en",
    "channels",
    "published_at",
)
EVIDENCE_COLUMNS = ("revision_id", "url", "title_km", "title_en", "note_km", "note_en")
APPEARANCE_COLUMNS = ("claim_id", "url", "outlet", "seen_at")
INSTITUTION_COLUMNS = ("id", "slug", "name_km", "name_en", "kind")


def _sqlite_datetime(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _json(value: Any) -> Any:
    return orjson.loads(value) if isinstance(value, str | bytes) else value


#: How a raw value of a field is made what Tortoise's ``.values()`` gives, by dialect (None:
#: as the driver returns it; enums stay strings, which equal their ``StrEnum`` members).
_CONVERT: dict[str, dict[type[fields.Field[Any]], Callable[[Any], Any]]] = {
    "sqlite": {fields.DatetimeField: _sqlite_datetime, fields.BooleanField: bool},
    "postgres": {},
}
_converters: dict[tuple[Any, tuple[str, ...], str], list[tuple[str, Callable[[Any], Any]]]] = {}


def _conversions(model: Any, columns: tuple[str, ...], dialect: str) -> list[tuple[str, Any]]:
    key = (model, columns, dialect)
    found = _converters.get(key)
    if found is None:
        by_type = _CONVERT.get(dialect, {})
        found = []
        for column in columns:
            kind = type(model._meta.fields_map[column])
            convert = _json if issubclass(kind, fields.JSONField) else by_type.get(kind)
            if convert is not None:
                found.append((column, convert))
        _converters[key] = found
    return found


def _convert(rows: list[Row], model: Any, columns: tuple[str, ...], dialect: str) -> list[Row]:
    conversions = _conversions(model, columns, dialect)
    if conversions:
        for row in rows:
            for column, convert in conversions:
                value = row[column]
                if value is not None:
                    row[column] = convert(value)
    return rows


#: Statements kept, by what they were built from (a few kilobytes each).
STATEMENTS_KEPT = 1024


class Statements:
    """Built statements (text and parameters) by what they were built from, the least
    recently used dropped first. A key must name everything the statement depends on."""

    def __init__(self, kept: int = STATEMENTS_KEPT) -> None:
        self.kept = kept
        self._kept: OrderedDict[tuple[Any, ...], tuple[str, list[Any]]] = OrderedDict()

    def get(self, key: tuple[Any, ...]) -> tuple[str, list[Any]] | None:
        found = self._kept.get(key)
        if found is not None:
            self._kept.move_to_end(key)
        return found

    def keep(self, key: tuple[Any, ...], statement: tuple[str, list[Any]]) -> None:
        self._kept[key] = statement
        while len(self._kept) > self.kept:
            self._kept.popitem(last=False)


STATEMENTS = Statements()


async def _values(
    model: Any,
    query: Callable[[], QuerySet[Any]],
    columns: tuple[str, ...],
    key: tuple[Any, ...] | None = None,
) -> list[Row]:
    """``await query().values(*columns)`` of ``model``, with only dates, booleans and JSON
    converted. The statement is kept under ``key`` (with the database's name) and ``query``
    is not called again while it is (``key`` None: built every time)."""
    db = model._choose_db()
    dialect = db.capabilities.dialect
    full = None if key is None else (db.connection_name, dialect, model, columns, *key)
    statement = None if full is None else STATEMENTS.get(full)
    if statement is None:
        built = query().values(*columns)
        built._db = db
        built._make_query()
        sql, params = built.query.get_parameterized_sql()
        statement = (sql, list(params))
        if full is not None:
            STATEMENTS.keep(full, statement)
    rows = await db.execute_query_dict(*statement)
    return _convert(rows, model, columns, dialect)


_statements: dict[tuple[Any, ...], str] = {}


async def _by_keys(
    model: Any, columns: tuple[str, ...], key: str, keys: list[int], order: tuple[str, ...]
) -> list[Row]:
    """The ``columns`` of the rows of ``model`` whose ``key`` is one of ``keys``, in ``order``:
    ``key = ANY($1)`` on PostgreSQL, ``key IN (SELECT value FROM json_each(?))`` on SQLite."""
    db = model._choose_db()
    dialect = db.capabilities.dialect
    cache = (model, columns, key, order, dialect)
    sql = _statements.get(cache)
    if sql is None:
        column = model._meta.fields_db_projection
        selected = ", ".join(f'"{column[name]}" "{name}"' for name in columns)
        keyed = f'"{column[key]}"'
        where = (
            f"{keyed} = ANY($1)"
            if dialect == "postgres"
            else f"{keyed} IN (SELECT value FROM json_each(?))"
        )
        ordered = ", ".join(f'"{column[name]}"' for name in order)
        sql = f'SELECT {selected} FROM "{model._meta.db_table}" WHERE {where} ORDER BY {ordered}'
        _statements[cache] = sql
    parameter: Any = keys if dialect == "postgres" else orjson.dumps(keys).decode()
    rows = await db.execute_query_dict(sql, [parameter])
    return _convert(rows, model, columns, dialect)


@dataclass
class Rows:
    """What one request fetched, by key, for the plan's builders, and who reads it."""

    actor: Actor | None = None
    institutions: dict[int, Row] = field(default_factory=dict)
    rebuttals_of_claim: dict[int, list[Row]] = field(default_factory=dict)
    appearances: dict[int, list[Row]] = field(default_factory=dict)
    #: Supporting institutions' ids by claim, in the order they were added.
    supporting: dict[int, list[int]] = field(default_factory=dict)
    #: Every revision by rebuttal, by number; the live one by rebuttal.
    revisions: dict[int, list[Row]] = field(default_factory=dict)
    live_revisions: dict[int, Row] = field(default_factory=dict)
    #: Evidence by revision id, in order.
    evidence: dict[int, list[Row]] = field(default_factory=dict)


@dataclass
class Page:
    rows: list[Row]
    more: bool


def _input(cls: type[T], given: dict[str, Any]) -> T:
    """A strawberry input from graphql-core's coerced value (keyed by GraphQL names)."""
    definition = cls.__strawberry_definition__  # type: ignore[attr-defined]
    python = {
        f.graphql_name or to_camel_case(f.python_name): f.python_name for f in definition.fields
    }
    return cls(**{python[name]: value for name, value in given.items()})


async def _page(
    model: Any,
    query: Callable[[], QuerySet[Any]],
    columns: tuple[str, ...],
    settings: Settings,
    args: dict[str, Any],
    kind: str,
    key: tuple[Any, ...] | None,
) -> Page:
    """One page of ``kind`` (the cursors'), keyset-ordered newest first, as
    ``pagination.paginate`` reads it."""
    size = page_size(
        args.get("first"), default=settings.default_page_size, cap=settings.max_page_size
    )
    position = await resolve_cursor(kind, args.get("after"))

    def paged() -> QuerySet[Any]:
        found = query()
        if position is not None:
            found = found.filter(id__lt=position)
        return found.order_by("-id").limit(size + 1)

    kept = None if key is None else (*key, position, size)
    rows = await _values(model, paged, columns, kept)
    return Page(rows[:size], len(rows) > size)


def _filter_key(given: dict[str, Any] | None) -> bytes | None:
    """A filter as part of a statement's key, or None if its statement must not be kept (it
    reads the clock)."""
    if given is None:
        return b""
    if given.get("overdue") is not None:
        return None
    return orjson.dumps(given, option=orjson.OPT_SORT_KEYS, default=str)


async def claims_page(actor: Actor | None, settings: Settings, args: dict[str, Any]) -> Page:
    given = args.get("filter")

    def query() -> QuerySet[Any]:
        found = Claim.filter(claims_filter(actor))
        if given is not None:
            found = found.filter(_input(ClaimFilter, given).to_q(settings, actor))
        return found

    filtered = _filter_key(given)
    # The text filter's limit is a setting: what it refused or allowed is part of the key.
    limit = settings.max_search_chars
    key = None if filtered is None else ("claims", readers_class(actor), filtered, limit)
    page = await _page(Claim, query, CLAIM_COLUMNS, settings, args, "claim", key)
    now = datetime.now(UTC)
    for row in page.rows:
        row["overdue"] = claim_overdue(row, now)
    return page


async def rebuttals_page(actor: Actor | None, settings: Settings, args: dict[str, Any]) -> Page:
    given = args.get("filter")

    def query() -> QuerySet[Any]:
        found = Rebuttal.filter(rebuttals_filter(actor))
        if given is not None:
            found = found.filter(_input(RebuttalFilter, given).to_q(actor))
        return found

    filtered = _filter_key(given)
    key = None if filtered is None else ("rebuttals", readers_class(actor), filtered)
    return await _page(Rebuttal, query, REBUTTAL_COLUMNS, settings, args, "rebuttal", key)


def _grouped(rows: list[Row], key: str) -> dict[int, list[Row]]:
    grouped: dict[int, list[Row]] = defaultdict(list)
    for row in rows:
        grouped[row[key]].append(row)
    return grouped


async def node(actor: Actor | None, type_name: str, pk: int) -> Row | None:
    """The claim or rebuttal ``pk``, if the caller may read it."""
    if type_name == "Claim":
        found = await _values(
            Claim,
            lambda: Claim.filter(claims_filter(actor), id=pk),
            CLAIM_COLUMNS,
            ("claim", readers_class(actor), pk),
        )
        for row in found:
            row["overdue"] = claim_overdue(row, datetime.now(UTC))
    else:
        found = await _values(
            Rebuttal,
            lambda: Rebuttal.filter(rebuttals_filter(actor), id=pk),
            REBUTTAL_COLUMNS,
            ("rebuttal", readers_class(actor), pk),
        )
    return found[0] if found else None


async def related(plan: Plan, actor: Actor | None, claims: list[Row], rebuttals: list[Row]) -> Rows:
    """The relations the plan reads of these claims and rebuttals (those of ``claims``' own
    rebuttals included)."""
    needs = plan.needs
    rows = Rows(actor)
    every_rebuttal = list(rebuttals)
    if needs.claim_rebuttals and claims:
        ids = tuple(c["id"] for c in claims)
        found = await _values(
            Rebuttal,
            lambda: Rebuttal.filter(rebuttals_filter(actor), claim_id__in=ids).order_by("id"),
            REBUTTAL_COLUMNS,
            ("claims' rebuttals", readers_class(actor), ids),
        )
        rows.rebuttals_of_claim = _grouped(found, "claim_id")
        every_rebuttal += found
    if needs.revisions:
        live = {r["id"]: r["live_revision"] for r in every_rebuttal if r["live_revision"]}
        if live:
            revisions = await _by_keys(
                RebuttalRevision, REVISION_COLUMNS, "rebuttal_id", list(live), ("number", "id")
            )
            rows.revisions = _grouped(revisions, "rebuttal_id")
            rows.live_revisions = {
                r["rebuttal_id"]: r for r in revisions if live[r["rebuttal_id"]] == r["number"]
            }
            if needs.evidence and revisions:
                ids = [r["id"] for r in revisions]
                evidence = await _by_keys(
                    Evidence, EVIDENCE_COLUMNS, "revision_id", ids, ("position", "id")
                )
                rows.evidence = _grouped(evidence, "revision_id")
    claim_ids = [c["id"] for c in claims]
    if needs.appearances and claims:
        seen = await _by_keys(
            Appearance, APPEARANCE_COLUMNS, "claim_id", claim_ids, ("seen_at", "id")
        )
        rows.appearances = _grouped(seen, "claim_id")
    if needs.supporting and claims:
        supports = await _by_keys(
            ClaimSupport, ("claim_id", "institution_id"), "claim_id", claim_ids, ("id",)
        )
        for support in supports:
            rows.supporting.setdefault(support["claim_id"], []).append(support["institution_id"])
    institution_ids: set[int] = set()
    if needs.claim_institutions:
        institution_ids.update(c["lead_institution_id"] for c in claims)
    if needs.rebuttal_institutions:
        institution_ids.update(r["institution_id"] for r in every_rebuttal)
    for supporting in rows.supporting.values():
        institution_ids.update(supporting)
    institution_ids.discard(None)  # type: ignore[arg-type]
    if institution_ids:
        found = await _by_keys(
            Institution, INSTITUTION_COLUMNS, "id", sorted(institution_ids), ("id",)
        )
        rows.institutions = {row["id"]: row for row in found}
    return rows
