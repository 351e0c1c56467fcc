"""Near-duplicate claims: which claims the caller may read say nearly the same thing.

Two claims are compared by their summaries in the normal form of ``coordhub/similarity.py``
(``claim.similar_km``, ``claim.similar_en``): the score is the higher of the Khmer and the
English trigram similarity, and a claim is a possible duplicate from ``THRESHOLD`` up. A
constant number of statements finds them, whatever the number of claims or of matches:

- PostgreSQL (one statement) scores with ``pg_trgm``'s ``similarity()`` the ``NEAREST``
  claims nearest by each summary, which GiST trigram indexes give in distance order (``<->``,
  one minus ``similarity()``; migration 0024: whole, and over public claims for callers who
  do not read everything), plus the caller's own claims that are not public (``_walks``).
  ``%`` over GIN indexes (0017) read too many: with 20,000 claims on one topic, a few thousand
  share enough trigrams, and ``similarity()`` of each took 0.5 s. Each walk is bounded by
  ``%`` (``_Trigrams``, ``similarity() >= THRESHOLD`` on every connection), which the same
  index checks as it goes: with a million claims a text no claim is near sent the bare
  ``<->`` walk through most of the index (1 s). The walks are arrays the claims are then read
  from by primary key (``_IdInArrays``). The texts go into the statement as escaped literals,
  as in ``workflow/search.py``, so every plan is made for them.
- SQLite (two statements) takes the ``CANDIDATES`` best candidates by bm25 from the FTS5
  trigram table of ``workflow/search.py`` (migration 0008), matching the rarest trigrams of the
  new summary's text (``_SqliteCandidates``), scores their normal forms in Python with what
  ``similarity()`` computes (the two agree to float precision; tests/test_duplicates.py), and
  reads the rows of the best.

Only among claims the caller may read (``visibility.claims_filter``): a caller who reads
everything searches every claim; others the public claims (SQLite: the public twin of the
trigram table, migration 0011) and the claims that concern them. A hidden claim is never
suggested nor counted. On SQLite a caller's own claims that are not public are ranked in the
full trigram table, where hidden claims can crowd them out of the ``CANDIDATES``.

Measured by ``python -m bench.duplicates`` (the time of ``reportClaim``, and recall of the
labelled set among the seeded claims).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pypika_tortoise.context import SqlContext
from pypika_tortoise.terms import Criterion, ValueWrapper
from tortoise.expressions import Q, RawSQL, ResolveContext, Subquery
from tortoise.query_utils import QueryModifier
from tortoise.queryset import QuerySet

from coordhub.actor import Actor
from coordhub.models import Claim
from coordhub.similarity import INVISIBLE, THRESHOLD, jaccard, normalise, trigrams
from coordhub.workflow.search import (
    SQLITE_PUBLIC_TABLE,
    SQLITE_TABLE,
    postgres_literal,
)
from coordhub.workflow.visibility import claims_filter, claims_own

#: The most suggestions one answer holds.
MAX_SUGGESTIONS = 10
#: PostgreSQL: how many claims nearest by each summary are scored.
NEAREST = 40
#: SQLite: how many candidates the trigram table gives for scoring.
CANDIDATES = 200
#: SQLite: how many of the new text's trigrams are looked up in the trigram table, and how
#: many of the rarest there rank the candidates.
MAX_TERMS = 120
#: SQLite: the ranked trigrams' lists hold at most this many claims in all (bm25 reads them
#: whole: this bounds its cost, whatever the number of claims).
POSTINGS = 20_000


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A claim that says nearly the same thing, and how alike (0 to 1)."""

    claim: Claim
    score: float


@dataclass(frozen=True, slots=True)
class Probe:
    """The text compared: summaries in their normal form and their trigrams (made once, for
    every candidate scored against them), and the raw text for SQLite's trigram table (which
    holds ``search_text``)."""

    km: str
    en: str
    raw: str
    km_grams: frozenset[str]
    en_grams: frozenset[str]

    @classmethod
    def of(cls, km: str, en: str) -> Probe:
        """The probe of summaries as written."""
        raw = "\n".join(part.casefold() for part in (km, en)).translate(INVISIBLE)
        km, en = normalise(km), normalise(en)
        return cls(km=km, en=en, raw=raw, km_grams=trigrams(km), en_grams=trigrams(en))


def score(probe: Probe, similar_km: str, similar_en: str) -> float:
    """How alike a claim with these normal forms is to ``probe``: the higher of its Khmer and
    English scores (``similarity.similarity``)."""
    return max(
        jaccard(probe.km_grams, trigrams(similar_km)), jaccard(probe.en_grams, trigrams(similar_en))
    )


class _ScoreAtLeast(Criterion):
    """PostgreSQL: the claim's score (``similarity()``, the higher of its summaries') is at
    least ``threshold``."""

    def __init__(self, probe: Probe, threshold: float) -> None:
        super().__init__()
        self.probe = probe
        self.threshold = threshold

    def get_sql(self, ctx: SqlContext) -> str:
        return f"{_postgres_score(self.probe)} >= {float(self.threshold)!r}"


def _postgres_score(probe: Probe) -> str:
    km, en = postgres_literal(probe.km), postgres_literal(probe.en)
    return (
        f'GREATEST(similarity("claim"."similar_km", {km}), similarity("claim"."similar_en", {en}))'
    )


class _SqliteCandidates(Criterion):
    """SQLite: the claim is among the best ``CANDIDATES`` of the trigram table of ``rows``, by
    bm25 over the rarest of the text's trigrams that the table holds, as many as hold at most
    ``POSTINGS`` claims together.

    Ranking by every trigram costs a millisecond or so per trigram at 20,000 claims (bm25 reads
    each trigram's whole list); the rarest are the ones that tell a claim from others, and
    their lists are short. Their document counts come from the table's ``fts5vocab`` twin
    (migration 0017), inside the same statement. With few claims every trigram is used.
    """

    def __init__(self, probe: Probe, rows: str) -> None:
        super().__init__()
        self.probe = probe
        self.rows = rows

    def get_sql(self, ctx: SqlContext) -> str:
        table = SQLITE_PUBLIC_TABLE if self.rows == "public" else SQLITE_TABLE
        terms = sqlite_terms(self.probe.raw)
        if not terms:  # no trigram in so short a text: nothing to compare it with
            return "0"
        listed = ", ".join(ValueWrapper(term).get_sql(ctx) for term in terms)
        # A trigram no stored text holds (control characters are refused at input), for when
        # the table holds none of the text's: MATCH then finds nothing.
        nothing = "'\"' || char(1, 1, 1) || '\"'"
        phrase = """'"' || replace(term, '"', '""') || '"'"""
        # The rarest first, for as long as their lists hold at most POSTINGS claims in all
        # (and the rarest one in any case).
        rarest = (
            f"SELECT term, doc, sum(doc) OVER (ORDER BY doc, term ROWS UNBOUNDED PRECEDING) "
            f'AS postings FROM "{table}_vocab" WHERE term IN ({listed})'
        )
        query = (
            f"(SELECT coalesce(group_concat({phrase}, ' OR '), {nothing}) FROM ({rarest}) "
            f"WHERE postings <= {POSTINGS} OR postings = doc)"
        )
        return (
            f'"claim"."id" IN (SELECT rowid FROM "{table}" WHERE "{table}" MATCH {query} '
            f"ORDER BY rank LIMIT {CANDIDATES})"
        )


class _Trigrams(Criterion):
    """PostgreSQL: ``column % text``, the claims whose summary scores at least
    ``pg_trgm.similarity_threshold`` (``THRESHOLD`` on coordhub's connections), which the GiST
    index checks as it walks: without it, a text that no claim is near sends the ``<->`` walk
    through most of the index (about a second at a million claims)."""

    def __init__(self, column: str, text: str) -> None:
        super().__init__()
        self.column = column
        self.text = text

    def get_sql(self, ctx: SqlContext) -> str:
        return f'"claim"."{self.column}" % {postgres_literal(self.text)}'


class _Where(Q):
    """A ``Q`` node for a criterion of its own (``_Trigrams``, ``_IdInArrays``; PostgreSQL)."""

    __slots__ = ("criterion",)

    def __init__(self, criterion: Criterion) -> None:
        super().__init__()
        self.criterion = criterion

    def __bool__(self) -> bool:
        return True

    def resolve(self, resolve_context: ResolveContext) -> QueryModifier:
        return QueryModifier(where_criterion=self.criterion)


class _Similar(Q):
    """A ``Q`` node rendering one of the criteria above for the query's dialect."""

    __slots__ = ("probe", "rows", "threshold")

    def __init__(self, probe: Probe, threshold: float, rows: str = "all") -> None:
        super().__init__()
        self.probe = probe
        self.threshold = threshold
        self.rows = rows

    def __bool__(self) -> bool:
        return True

    def resolve(self, resolve_context: ResolveContext) -> QueryModifier:
        model: Any = resolve_context.model
        if model._meta.db.capabilities.dialect == "postgres":
            return QueryModifier(where_criterion=_ScoreAtLeast(self.probe, self.threshold))
        return QueryModifier(where_criterion=_SqliteCandidates(self.probe, self.rows))


def sqlite_terms(raw: str) -> list[str]:
    """The first ``MAX_TERMS`` distinct trigrams of ``raw``, line by line, as the FTS5
    trigram tokenizer makes them (without those starting or ending in a space)."""
    terms: list[str] = []
    for line in raw.split("\n"):
        for i in range(len(line) - 2):
            gram = line[i : i + 3]
            if gram.strip() == gram and gram not in terms:
                terms.append(gram)
                if len(terms) == MAX_TERMS:
                    return terms
    return terms


def _visible_candidates(actor: Actor | None, probe: Probe, threshold: float) -> Q:
    if actor is not None and actor.reads_everything:
        return _Similar(probe, threshold)
    public = Q(public=True) & _Similar(probe, threshold, "public")
    own = claims_own(actor)
    if own is None:
        return public
    return public | (Q(public=False) & own & _Similar(probe, threshold))


async def similar_claims(
    actor: Actor | None,
    probe: Probe,
    *,
    first: int = MAX_SUGGESTIONS,
    exclude: int | None = None,
    threshold: float = THRESHOLD,
) -> list[Suggestion]:
    """Claims ``actor`` may read that say nearly what ``probe`` does, best first (ties: the
    newest first), at most ``first``; one statement on PostgreSQL, two on SQLite."""
    first = max(0, min(first, MAX_SUGGESTIONS))
    if first == 0 or not (probe.km or probe.en):
        return []
    if Claim._meta.db.capabilities.dialect == "postgres":
        return await _postgres_similar(actor, probe, first, exclude, threshold)
    return await _sqlite_similar(actor, probe, first, exclude, threshold)


async def _sqlite_similar(
    actor: Actor | None, probe: Probe, first: int, exclude: int | None, threshold: float
) -> list[Suggestion]:
    """SQLite: the candidates' normal forms (``_SqliteCandidates``) scored here, then the rows
    of the best ``first`` from ``threshold`` up: no model is built for a candidate left out."""
    query = Claim.filter(claims_filter(actor), _visible_candidates(actor, probe, threshold))
    if exclude is not None:
        query = query.exclude(id=exclude)
    candidates = await query.values_list("id", "similar_km", "similar_en")
    scored = [(round(score(probe, km, en), 4), id_) for id_, km, en in candidates]
    best = sorted((-s, -id_) for s, id_ in scored if s >= threshold)[:first]
    if not best:
        return []
    # Read under the same rule again: a claim the actor could no longer read in between is left
    # out rather than shown.
    ids = [-id_ for _, id_ in best]
    rows = {row.id: row for row in await Claim.filter(claims_filter(actor), id__in=ids)}
    return [Suggestion(rows[-id_], -s) for s, id_ in best if -id_ in rows]


async def _postgres_similar(
    actor: Actor | None, probe: Probe, first: int, exclude: int | None, threshold: float
) -> list[Suggestion]:
    """PostgreSQL: the claims among the walks of ``_walks``, scored, from ``threshold`` up,
    best first: one statement, the walks as arrays (a plan of their own each, run once), the
    claims then read by primary key."""
    rows = (
        await Claim.filter(
            claims_filter(actor), _Where(_IdInArrays(_walks(actor, probe, exclude, threshold)))
        )
        .filter(_Similar(probe, threshold))
        .annotate(score=RawSQL(_postgres_score(probe)))
        .order_by("-score", "-id")
        .limit(first)
    )
    return [Suggestion(row, round(float(row.score), 4)) for row in rows]


def _walks(
    actor: Actor | None, probe: Probe, exclude: int | None, threshold: float
) -> list[QuerySet[Claim]]:
    """The ids to score: for each summary the ``NEAREST`` claims by distance (``<->``) that
    share enough trigrams (``%``) among all claims for those who read everything, else among
    the public ones (the GiST indexes of migration 0024, whole and over public claims), and the
    actor's own claims that are not public, the best ``NEAREST`` by score (few for most: found
    by their own indexes, each scored).

    The best ``first`` by the higher of two scores are among the ``NEAREST`` nearest by either
    (``first`` <= ``NEAREST``): a claim not among the nearest by its better summary has
    ``NEAREST`` claims scoring at least as high. ``%`` is ``similarity() >= THRESHOLD`` on
    every connection (``pg_trgm.similarity_threshold``, ``db.connection_config``), so it bounds
    each walk to the claims that could be suggested; below that threshold it is left out.
    """
    bounded = threshold >= THRESHOLD
    everyone = actor is not None and actor.reads_everything
    searched = Claim.all() if everyone else Claim.filter(public=True)
    if exclude is not None:
        searched = searched.exclude(id=exclude)

    def nearest(column: str, text: str) -> QuerySet[Claim]:
        near = searched.filter(_Where(_Trigrams(column, text))) if bounded else searched
        distance = RawSQL(f'"claim"."{column}" <-> {postgres_literal(text)}')
        return near.annotate(distance=distance).order_by("distance").limit(NEAREST)

    walks = [nearest("similar_km", probe.km), nearest("similar_en", probe.en)]
    own = None if everyone else claims_own(actor)
    if own is not None:
        # Scored one by one, on purpose not with ``%``: the planner then took the trigram
        # indexes' bitmaps of every near claim to intersect with a reporter's twenty (1 s at a
        # million claims), its estimate of them a fraction of what they cost.
        mine = Claim.filter(own, _Similar(probe, threshold), public=False)
        if exclude is not None:
            mine = mine.exclude(id=exclude)
        score = RawSQL(_postgres_score(probe))
        walks.append(mine.annotate(score=score).order_by("-score").limit(NEAREST))
    return walks


class _IdInArrays(Criterion):
    """The claim's id is in one of the walks (``id = ANY(ARRAY(walk) || ...)``).

    Not ``id IN (walk) OR id IN (walk)``: for that PostgreSQL scans every claim, testing each
    against both (a parallel sequential scan, a second at a million claims)."""

    def __init__(self, walks: list[QuerySet[Claim]]) -> None:
        super().__init__()
        self.walks = walks

    def get_sql(self, ctx: SqlContext) -> str:
        arrays = " || ".join(
            f"ARRAY({Subquery(walk.values('id')).get_sql(ctx)})" for walk in self.walks
        )
        return f'"claim"."id" = ANY({arrays})'
