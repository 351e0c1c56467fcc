"""Substring search over claims: the condition the claims filter's ``text`` applies.

``claim.search_text`` holds the summary (Khmer and English) and topic, NFC-normalised and
case-folded (``coordhub.workflow.inputs.search_text``). Khmer is written without spaces between
words, so search is by substring: a claim matches when the needle, normalised the same way,
occurs anywhere in its ``search_text`` (``LIKE '%needle%'``, ``%``, ``_`` and ``\\`` escaped).
That meaning is the same on every database; only how the rows are found differs.

PostgreSQL: a GIN trigram index (``pg_trgm``, migration 0008) serves the ``LIKE``. The pattern
goes into the statement as an escaped literal, not as a parameter: asyncpg prepares each
statement once per connection, and after five executions PostgreSQL may switch a prepared
statement to a generic plan, made without seeing the pattern; such a plan assumes any ``LIKE``
matches 0.5% of rows and walks the primary key newest first, which reads the whole table when a
needle is rare or absent. With the pattern in the text, every plan is made for it: the index
for a rare needle, the primary key walk for a needle so common that the first page comes soon.

SQLite: an FTS5 table with the trigram tokenizer, ``claim_search`` (migration 0008, kept in step
with ``claim`` by triggers), holds the candidates for needles of three or more characters; the
same ``LIKE`` then decides, so the result is the plain scan's. Shorter needles have no trigram
and are a scan. SQLite's planner cannot tell a rare needle from a common one, and each way is
slow for one of them: reading every candidate from the trigram table costs as many rows as
match (0.4 s for a needle in 75% of a million claims), walking the newest claims until a page
is full costs the whole table when nothing matches (0.9 s). So the statement asks the trigram
table first whether the needle has at least ``COMMON`` candidates: if so it walks the newest
claims (the page fills within a few thousand rows), if not it keeps to the candidates. (Best of
all would be the trigram table driving the query in descending rowid order, stopping at the page
size, but that needs it in the FROM clause, which a filter cannot put there.)

Only over what the caller may read (``visible_claims_containing``): a search must not read, nor
take longer for, text the caller may not see, or its time tells whether hidden claims hold a
phrase (issue 11: a needle common in hidden claims took several times as long as one found
nowhere). So each index has a public twin (migration 0011). On PostgreSQL that is a generated
column, ``public_search_text`` (the text of public claims, NULL for the others), with its own
trigram index: a partial index would do for the rows read, but the planner would still choose
between the index and the primary-key walk from statistics of every claim's text, so a plan,
and its time, would depend on hidden text; the column's statistics hold public text only. On
SQLite it is the trigram table ``claim_search_public``, holding public claims only. Public
callers and services search the public index; signed-in callers who read more search it too,
plus the claims that concern them (their own reports, their institution's claims), which are
found by their own conditions and compared without any index; callers who read everything use
the full index. The ``LIKE`` comes last in every condition, so it is never evaluated on a row
the caller may not read.
"""

from __future__ import annotations

from typing import Any, Literal

from pypika_tortoise.context import SqlContext
from pypika_tortoise.terms import Criterion, Term, ValueWrapper
from tortoise.expressions import Q, ResolveContext
from tortoise.query_utils import QueryModifier

from coordhub.actor import Actor
from coordhub.workflow.inputs import search_text
from coordhub.workflow.visibility import claims_own

#: The FTS5 trigram table that migration 0008 creates on SQLite.
SQLITE_TABLE = "claim_search"
#: Its twin of public claims only (migration 0011).
SQLITE_PUBLIC_TABLE = "claim_search_public"
#: PostgreSQL: ``search_text`` of public claims, NULL for the others (migration 0011).
PUBLIC_COLUMN = "public_search_text"
#: Which rows an index holds: all claims, public ones, or none (compare every row given).
Rows = Literal["all", "public", "scan"]
#: Needles shorter than this have no trigram: the FTS5 table cannot narrow them.
TRIGRAM = 3
#: SQLite: a needle with at least this many candidates walks the newest claims instead.
COMMON = 1000


def escape_like(value: str) -> str:
    """``value`` with the ``LIKE`` wildcards and the escape character escaped (as Tortoise)."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def postgres_literal(value: str) -> str:
    """``value`` as a PostgreSQL string constant, whatever ``standard_conforming_strings`` is.

    An escape string (``E'...'``): backslashes doubled, single quotes doubled; nothing else is
    special in it. PostgreSQL text cannot hold NUL, which callers rule out first.
    """
    if "\x00" in value:
        raise ValueError("PostgreSQL text cannot contain NUL")
    return "E'" + value.replace("\\", "\\\\").replace("'", "''") + "'"


def fts5_phrase(value: str) -> str:
    """``value`` as one FTS5 phrase: every character literal (``"`` doubled)."""
    return '"' + value.replace('"', '""') + '"'


class ContainsText(Criterion):
    """``column`` contains ``needle`` (already normalised), rendered for ``dialect``, with
    SQLite's candidates from the trigram table of ``rows`` (PostgreSQL's planner picks the index
    whose condition the query implies)."""

    def __init__(
        self,
        column: Term,
        key: Term,
        needle: str,
        dialect: str,
        rows: Rows = "all",
        public_column: Term | None = None,
    ) -> None:
        super().__init__()
        self.column = column
        self.key = key
        self.needle = needle
        self.dialect = dialect
        self.rows = rows
        self.public_column = public_column

    def get_sql(self, ctx: SqlContext) -> str:
        column = self.column.get_sql(ctx)
        pattern = f"%{escape_like(self.needle)}%"
        if self.dialect == "postgres":
            if "\x00" in self.needle:  # no stored text holds NUL: nothing matches
                return "FALSE"
            if self.rows == "public" and self.public_column is not None:
                column = self.public_column.get_sql(ctx)
            return f"{column} LIKE {postgres_literal(pattern)} ESCAPE E'\\\\'"
        if self.dialect != "sqlite" or len(self.needle) < TRIGRAM or self.rows == "scan":
            return f"{column} LIKE {ValueWrapper(pattern).get_sql(ctx)} ESCAPE '\\'"
        # Parameters are numbered in the order their placeholders are made, left to right.
        phrase = fts5_phrase(self.needle)
        table = f'"{SQLITE_PUBLIC_TABLE if self.rows == "public" else SQLITE_TABLE}"'
        first = f"SELECT 1 FROM {table} WHERE {table} MATCH {ValueWrapper(phrase).get_sql(ctx)}"
        common = f"(SELECT count(*) FROM ({first} LIMIT {COMMON})) >= {COMMON}"
        match = ValueWrapper(phrase).get_sql(ctx)
        matches = f"SELECT rowid FROM {table} WHERE {table} MATCH {match}"
        like = f"{column} LIKE {ValueWrapper(pattern).get_sql(ctx)} ESCAPE '\\'"
        return f"(({common} OR {self.key.get_sql(ctx)} IN ({matches})) AND {like})"


class TextSearch(Q):
    """A ``Q`` node for claims whose ``search_text`` contains ``needle`` (normalised), found
    through the index of ``rows`` (``public``: combine with ``Q(public=True)``)."""

    __slots__ = ("needle", "rows")

    def __init__(self, needle: str, rows: Rows = "all") -> None:
        super().__init__()
        self.needle = needle
        self.rows = rows

    def __bool__(self) -> bool:
        return True

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, TextSearch)
            and other.needle == self.needle
            and other.rows == self.rows
            and other._is_negated == self._is_negated
        )

    __hash__ = None  # type: ignore[assignment]

    def __invert__(self) -> Q:
        negated = Q(self)
        negated.negate()
        return negated

    def resolve(self, resolve_context: ResolveContext) -> QueryModifier:
        model: Any = resolve_context.model
        table = resolve_context.table
        criterion = ContainsText(
            table[model._meta.fields_db_projection["search_text"]],
            table[model._meta.db_pk_column],
            self.needle,
            model._meta.db.capabilities.dialect,
            self.rows,
            table[PUBLIC_COLUMN],
        )
        modifier = QueryModifier(where_criterion=criterion)
        return ~modifier if self._is_negated else modifier


def claims_containing(text: str) -> Q:
    """Claims whose summary (Khmer or English) or topic contains ``text``, case-insensitively.

    ``text`` is stripped and normalised as ``claim.search_text`` is; use with ``Claim`` queries.
    """
    return TextSearch(search_text(text.strip()))


def visible_claims_containing(needle: str, actor: Actor | None) -> Q:
    """Claims ``actor`` may read whose ``search_text`` contains ``needle`` (normalised as
    ``claim.search_text`` is), searched without reading any claim the actor may not: the
    public index, plus the actor's own claims compared one by one (see the module's notes)."""
    if actor is not None and actor.reads_everything:
        return TextSearch(needle)
    public = Q(public=True) & TextSearch(needle, "public")
    own = claims_own(actor)
    if own is None:
        return public
    return public | (Q(public=False) & own & TextSearch(needle, "scan"))
