"""The floor for ``bench.reads``: the same five public reads in plain Starlette, raw SQL, orjson.

No ORM and no GraphQL: hand-written statements (one per request, two for the claim detail,
whose evidence is read apart), rows turned straight into the dicts coordhub's GraphQL responses
hold (same keys, same order, same global ids and timestamp text), so that each endpoint returns
byte-for-byte the body coordhub returns for the matching document in ``bench.reads`` (the
harness checks this before it measures). The visibility rules are those of the caller
(``coordhub.workflow.visibility``, as SQL conditions in ``bench.reference_viewer``): without an
``Authorization`` header a public caller's, public claims and rebuttals with a live revision,
whose public status is PUBLISHED unless RETRACTED; with a bearer token (looked up in one more
statement) those of its account's role, as ``bench.reads --as ROLE`` sends. Each statement is
written as one would by hand for a large table: it reads a bounded number of index entries
whatever the number of claims (the institution filter as two index walks, the text search
through the trigram index), so that ``bench.scale`` compares coordhub with what plain SQL
achieves at every size. (A signed-in caller's read rules are added to the same statements as
plain conditions, not tuned further.)

    COORDHUB_DATABASE_URL=sqlite://PATH python -m bench.reference --port 8001
    COORDHUB_DATABASE_URL=postgres://USER@HOST:PORT/DB python -m bench.reference --port 8001

SQLite is read through one aiosqlite connection with the pragmas Tortoise sets, PostgreSQL
through an asyncpg pool of at most 5 connections (Tortoise's default), so that the drivers and
connection counts match coordhub's and the ratio is what the layers above them cost.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import os
import unicodedata
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bench.reference_viewer import Unauthorized, Viewer, viewer_of

POOL_SIZE = 5


class Database:
    """Runs statements and counts them. ``$1``-style parameters in both dialects."""

    dialect = ""

    def __init__(self) -> None:
        self.statements = 0

    async def open(self) -> None:
        raise NotImplementedError

    async def close(self) -> None:
        raise NotImplementedError

    async def fetch(self, sql: str, *args: Any) -> Sequence[Sequence[Any]]:
        raise NotImplementedError

    def in_list(self, column: str, values: Sequence[Any], first: int) -> tuple[str, list[Any]]:
        """A ``column IN (values)`` condition whose parameters start at ``$first``, and the
        arguments it binds."""
        raise NotImplementedError

    @staticmethod
    def time(value: Any) -> Any:
        """A timestamp as strawberry renders a DateTime (``isoformat``), or None."""
        return value


class SQLite(Database):
    dialect = "sqlite"

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path
        self.connection: Any = None

    async def open(self) -> None:
        import aiosqlite

        self.connection = await aiosqlite.connect(self.path, isolation_level=None)
        for pragma in ("journal_mode=WAL", "journal_size_limit=16384", "foreign_keys=ON"):
            await self.connection.execute(f"PRAGMA {pragma}")

    async def close(self) -> None:
        await self.connection.close()

    async def fetch(self, sql: str, *args: Any) -> Sequence[Sequence[Any]]:
        self.statements += 1
        # SQLite numbers parameters ?1, ?2 ... the way PostgreSQL numbers $1, $2.
        return await self.connection.execute_fetchall(sql.replace("$", "?"), args)

    def in_list(self, column: str, values: Sequence[Any], first: int) -> tuple[str, list[Any]]:
        # One placeholder per value: SQLite checks such a list faster than json_each.
        marks = ", ".join(f"${first + n}" for n in range(len(values)))
        return f"{column} IN ({marks})", list(values)

    @staticmethod
    def time(value: Any) -> Any:
        # Tortoise stores isoformat(" ") text in UTC: the same text with a "T".
        return None if value is None else value[:10] + "T" + value[11:]


class Postgres(Database):
    dialect = "postgres"

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url.replace("postgres://", "postgresql://", 1)
        self.pool: Any = None

    async def open(self) -> None:
        import asyncpg

        self.pool = await asyncpg.create_pool(self.url, min_size=1, max_size=POOL_SIZE)

    async def close(self) -> None:
        await self.pool.close()

    async def fetch(self, sql: str, *args: Any) -> Sequence[Sequence[Any]]:
        self.statements += 1
        return await self.pool.fetch(sql, *args)

    def in_list(self, column: str, values: Sequence[Any], first: int) -> tuple[str, list[Any]]:
        return f"{column} = ANY(${first})", [list(values)]


def connect(database_url: str) -> Database:
    if database_url.startswith("sqlite://"):
        return SQLite(database_url.removeprefix("sqlite://"))
    if database_url.startswith(("postgres://", "postgresql://")):
        return Postgres(database_url)
    raise ValueError(f"not a sqlite:// or postgres:// URL: {database_url}")


def global_id(type_name: str, pk: int) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


def search_text(text: str) -> str:
    """The form ``claim.search_text`` is stored in: NFC, case-folded."""
    return unicodedata.normalize("NFC", text).casefold()


def escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def respond(data: dict[str, Any]) -> Response:
    return Response(orjson.dumps({"data": data}), media_type="application/json")


async def caller(request: Request) -> Viewer:
    """Who sends ``request`` (a token lookup when it carries one)."""
    return await viewer_of(request.app.state.db, request.headers.get("authorization"))


async def unauthorized(request: Request, exc: Exception) -> Response:
    return Response(b'{"errors":[{"message":"unknown token"}]}', status_code=401)


def live_or_draft(
    viewer: Viewer, live: Any, status: str, institution: int | None, drafted: Any
) -> Any:
    """``Rebuttal.headline`` (and ``verdict``): the live revision's (``live``), else the working
    copy's (``drafted``) for those who read it, else None."""
    if live is not None:
        return live
    return drafted if viewer.draft(status, institution) else None


FEED = """
WITH page AS (
    SELECT c.id, c.summary_km, c.summary_en, c.status, c.lead_institution_id FROM claim c
    WHERE {claims} ORDER BY c.id DESC LIMIT 50
)
SELECT p.id, p.summary_km, p.summary_en, p.status, i.id, i.name_en,
       r.id, r.status, r.live_revision, r.institution_id, v.headline_en, r.headline_en
FROM page p
LEFT JOIN institution i ON i.id = p.lead_institution_id
LEFT JOIN rebuttal r ON r.claim_id = p.id AND {rebuttals}
LEFT JOIN rebuttal_revision v ON v.rebuttal_id = r.id AND v.number = r.live_revision
ORDER BY p.id DESC, r.id
"""


async def feed(request: Request) -> Response:
    db: Database = request.app.state.db
    viewer = await caller(request)
    sql = FEED.format(claims=viewer.claims("c"), rebuttals=viewer.rebuttals("r"))
    edges: list[dict[str, Any]] = []
    last = None
    for row in await db.fetch(sql):
        cid, km, en, status, iid, iname, rid, rstatus, live, rinst, live_head, draft_head = row
        if cid != last:
            last = cid
            rebuttals: list[dict[str, Any]] = []
            edges.append(
                {
                    "node": {
                        "id": global_id("Claim", cid),
                        "summary": {"km": km, "en": en},
                        "status": status,
                        "leadInstitution": None if iid is None else {"name": {"en": iname}},
                        "rebuttals": rebuttals,
                    }
                }
            )
        if rid is not None:
            headline = live_or_draft(viewer, live_head, rstatus, rinst, draft_head)
            rebuttals.append(
                {
                    "headline": None if headline is None else {"en": headline},
                    "status": viewer.status(rstatus, live, rinst),
                }
            )
    return respond({"claims": {"edges": edges}})


DETAIL = """
SELECT c.id, c.summary_km, c.summary_en, c.topic, c.status, c.first_seen_at, c.rebutted_at,
       i.id, i.slug, i.name_km, i.name_en,
       r.id, r.status, r.live_verdict, r.live_revision, r.published_at, ri.slug,
       v.id, v.number, v.published_at, v.headline_en, v.headline_km, v.body_en,
       r.institution_id, r.verdict
FROM claim c
LEFT JOIN institution i ON i.id = c.lead_institution_id
LEFT JOIN rebuttal r ON r.claim_id = c.id AND {rebuttals}
LEFT JOIN institution ri ON ri.id = r.institution_id
LEFT JOIN rebuttal_revision v ON v.rebuttal_id = r.id
WHERE c.id = $1 AND {claims}
ORDER BY r.id, v.number
"""


EVIDENCE = """
SELECT revision_id, url, title_en, title_km FROM evidence WHERE {revisions}
ORDER BY revision_id, position
"""


def claim_pk(value: str) -> int | None:
    """The primary key inside a Claim global id, None for anything else."""
    try:
        type_name, _, pk = base64.b64decode(value, validate=True).decode().partition(":")
        return int(pk) if type_name == "Claim" else None
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None


async def detail(request: Request) -> Response:
    db: Database = request.app.state.db
    viewer = await caller(request)
    pk = claim_pk(request.path_params["id"])
    sql = DETAIL.format(claims=viewer.claims("c"), rebuttals=viewer.rebuttals("r"))
    rows = await db.fetch(sql, pk) if pk is not None else []
    if not rows:
        return respond({"node": None})
    first = rows[0]
    rebuttals: list[dict[str, Any]] = []
    node = {
        "id": global_id("Claim", first[0]),
        "summary": {"km": first[1], "en": first[2]},
        "topic": first[3],
        "status": first[4],
        "firstSeenAt": db.time(first[5]),
        "rebuttedAt": db.time(first[6]),
        "leadInstitution": None
        if first[7] is None
        else {"slug": first[8], "name": {"km": first[9], "en": first[10]}},
        "rebuttals": rebuttals,
    }
    evidence: dict[int, list[dict[str, str]]] = {}
    last_rebuttal = None
    for row in rows:
        rid, rstatus, verdict, live, published, rslug = row[11:17]
        vid, number, vpublished, vhead_en, vhead_km, vbody_en = row[17:23]
        rinst, draft_verdict = row[23:25]
        if rid is None:
            continue
        if rid != last_rebuttal:
            last_rebuttal = rid
            revisions: list[dict[str, Any]] = []
            rebuttals.append(
                {
                    "id": global_id("Rebuttal", rid),
                    "status": viewer.status(rstatus, live, rinst),
                    "verdict": live_or_draft(viewer, verdict, rstatus, rinst, draft_verdict),
                    "revision": live,
                    "publishedAt": db.time(published),
                    "institution": None if rslug is None else {"slug": rslug},
                    "revisions": revisions,
                }
            )
        if vid is not None:
            revisions.append(
                {
                    "number": number,
                    "publishedAt": db.time(vpublished),
                    "headline": {"en": vhead_en, "km": vhead_km},
                    "body": {"en": vbody_en},
                    "evidence": evidence.setdefault(vid, []),
                }
            )
    if evidence:
        # A statement of its own: joined above, the evidence table (no index on revision_id)
        # would be scanned once per revision; this way once, as coordhub's loader does.
        revisions_in, args = db.in_list("revision_id", list(evidence), 1)
        for vid, url, en, km in await db.fetch(EVIDENCE.format(revisions=revisions_in), *args):
            evidence[vid].append({"url": url, "title": {"en": en, "km": km}})
    return respond({"node": node})


REBUTTALS = """
SELECT r.id, v.headline_en, v.headline_km, r.live_verdict, r.live_revision, r.published_at,
       i.slug, r.status, r.institution_id, r.headline_en, r.headline_km, r.verdict
FROM rebuttal r
LEFT JOIN rebuttal_revision v ON v.rebuttal_id = r.id AND v.number = r.live_revision
LEFT JOIN institution i ON i.id = r.institution_id
WHERE {rebuttals}
ORDER BY r.id DESC LIMIT 50
"""


async def rebuttals(request: Request) -> Response:
    db: Database = request.app.state.db
    viewer = await caller(request)
    edges = []
    for row in await db.fetch(REBUTTALS.format(rebuttals=viewer.rebuttals("r"))):
        rid, head_en, head_km, verdict, live, published, slug = row[:7]
        status, rinst, draft_en, draft_km, draft_verdict = row[7:]
        if head_en is None and viewer.draft(status, rinst):
            head_en, head_km = draft_en, draft_km
        edges.append(
            {
                "node": {
                    "id": global_id("Rebuttal", rid),
                    "headline": None if head_en is None else {"en": head_en, "km": head_km},
                    "verdict": live_or_draft(viewer, verdict, status, rinst, draft_verdict),
                    "revision": live,
                    "publishedAt": db.time(published),
                    "institution": None if slug is None else {"slug": slug},
                }
            }
        )
    return respond({"rebuttals": {"edges": edges}})


# The claims of an institution, newest first, as the union of two walks down an index, each
# stopping at 50: claims it leads (claim (lead_institution_id, id)) and claims it supports
# (claim_support (institution_id, claim_id)). Both walks stop early whatever the table's size;
# `lead = x OR id IN (supported)` (or `OR EXISTS`) cannot, as PostgreSQL then hashes every claim
# the institution supports before reading the first row (7 ms at a million claims).
FILTERED = """
WITH inst AS (SELECT id FROM institution WHERE slug = $1),
ids AS (
    SELECT id FROM (
        SELECT c.id FROM claim c JOIN inst ON c.lead_institution_id = inst.id
        WHERE {claims} AND {statuses} ORDER BY c.id DESC LIMIT 50
    ) AS led
    UNION
    SELECT id FROM (
        SELECT s.claim_id AS id FROM claim_support s
        JOIN inst ON s.institution_id = inst.id
        JOIN claim c ON c.id = s.claim_id
        WHERE {claims} AND {statuses} ORDER BY s.claim_id DESC LIMIT 50
    ) AS supported
)
SELECT c.id, c.summary_en, c.status, c.rebutted_at, i.id, i.slug
FROM claim c
LEFT JOIN institution i ON i.id = c.lead_institution_id
WHERE c.id IN (SELECT id FROM ids)
ORDER BY c.id DESC LIMIT 50
"""


async def filtered(request: Request) -> Response:
    db: Database = request.app.state.db
    viewer = await caller(request)
    statuses, args = db.in_list("c.status", request.query_params.getlist("status"), 2)
    sql = FILTERED.format(claims=viewer.claims("c"), statuses=statuses)
    rows = await db.fetch(sql, request.query_params["institution"], *args)
    edges = [
        {
            "node": {
                "id": global_id("Claim", cid),
                "summary": {"en": en},
                "status": status,
                "rebuttedAt": db.time(rebutted),
                "leadInstitution": None if iid is None else {"slug": slug},
            }
        }
        for cid, en, status, rebutted, iid, slug in rows
    ]
    return respond({"claims": {"edges": edges}})


# Substring search (see coordhub.workflow.search). PostgreSQL: the pattern is a literal, so that
# every plan is made for it (the trigram index for a rare needle, the primary key walk for a
# common one; a prepared statement's generic plan would always walk). SQLite: for needles of
# three or more characters the FTS5 trigram table drives, newest first, and the query stops at
# the page size (a filter cannot do this from the WHERE clause; hand-written SQL can); LIKE
# decides. Shorter needles are a scan.
SEARCH = """
SELECT id, summary_km, summary_en, status FROM claim
WHERE {claims} AND {condition}
ORDER BY id DESC LIMIT 20
"""
SQLITE_TRIGRAM_SEARCH = """
SELECT claim.id, claim.summary_km, claim.summary_en, claim.status
FROM claim_search JOIN claim ON claim.id = claim_search.rowid
WHERE claim_search MATCH $1 AND {claims} AND claim.search_text LIKE $2 ESCAPE '\\'
ORDER BY claim_search.rowid DESC LIMIT 20
"""


def postgres_literal(value: str) -> str:
    return "E'" + value.replace("\\", "\\\\").replace("'", "''") + "'"


def search_statement(db: Database, needle: str, viewer: Viewer) -> tuple[str, list[Any]]:
    pattern = f"%{escape_like(needle)}%"
    claims = viewer.claims("claim")
    if db.dialect == "postgres":
        if "\x00" in needle:
            return SEARCH.format(claims=claims, condition="FALSE"), []
        literal = postgres_literal(pattern)
        condition = f"search_text LIKE {literal} ESCAPE E'\\\\'"
        return SEARCH.format(claims=claims, condition=condition), []
    if len(needle) < 3:
        condition = "search_text LIKE $1 ESCAPE '\\'"
        return SEARCH.format(claims=claims, condition=condition), [pattern]
    phrase = '"' + needle.replace('"', '""') + '"'
    return SQLITE_TRIGRAM_SEARCH.format(claims=claims), [phrase, pattern]


async def search(request: Request) -> Response:
    db: Database = request.app.state.db
    viewer = await caller(request)
    needle = search_text(request.query_params["text"].strip())
    sql, args = search_statement(db, needle, viewer)
    edges = [
        {"node": {"id": global_id("Claim", cid), "summary": {"km": km, "en": en}, "status": status}}
        for cid, km, en, status in await db.fetch(sql, *args)
    ]
    return respond({"claims": {"edges": edges}})


async def healthz(request: Request) -> Response:
    return Response(b'{"status":"ok"}', media_type="application/json")


def create_app(database_url: str | None = None) -> Starlette:
    """The reference app on ``database_url`` (default: ``COORDHUB_DATABASE_URL``)."""
    db = connect(database_url or os.environ["COORDHUB_DATABASE_URL"])

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await db.open()
        try:
            yield
        finally:
            await db.close()

    app = Starlette(
        routes=[
            Route("/healthz", healthz),
            Route("/feed", feed),
            Route("/claims/{id}", detail),
            Route("/rebuttals", rebuttals),
            Route("/claims", filtered),
            Route("/search", search),
        ],
        lifespan=lifespan,
        exception_handlers={Unauthorized: unauthorized},
    )
    app.state.db = db
    return app


if __name__ == "__main__":
    import uvicorn

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    args = parser.parse_args()
    # As `coordhub serve` runs uvicorn (same loop and HTTP parser), quiet as bench.reads runs it
    # (COORDHUB_LOG_LEVEL=warning): no access log.
    uvicorn.run(create_app(), host=args.host, port=args.port, log_level="warning", access_log=False)
