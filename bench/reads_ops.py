"""The operations ``bench.reads`` measures, and what one request of each sends and returns.

Every operation is a public caller's read, the path front-ends poll: a GraphQL document for
coordhub and the path of the same read on ``bench.reference``, whose body must be identical.

- ``feed``: the 50 newest claims, their lead institution's name, their rebuttals' headline and
  status;
- ``detail``: one rebutted claim by ``node(id:)`` with its rebuttals' revisions and evidence;
- ``rebuttals``: the 50 newest public rebuttals (headline, verdict, revision, institution);
- ``filtered``: ``claims(first: 50, filter: {status: [REBUTTED], institution: "health"})``;
- ``search``: ``claims(first: 20, filter: {text: <a Khmer phrase>})``, in about 1% of claims;
- ``search-rare`` (not in the default set): the same with a phrase in about 0.05% of claims,
  where walking the newest claims until 20 match reads thousands of rows: the index's case.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx
import orjson

from bench import reference
from bench.reads_corpus import KHMER_PHRASE, KHMER_RARE_PHRASE
from coordhub.db import count_statements, database
from coordhub.models import ClaimStatus, Rebuttal
from coordhub.settings import Settings

#: The operations ``bench.reads`` runs unless told otherwise (the issue's five).
DEFAULT_OPERATIONS = ["feed", "detail", "rebuttals", "filtered", "search"]

FEED = """{ claims(first: 50) { edges { node {
  id summary { km en } status leadInstitution { name { en } }
  rebuttals { headline { en } status }
} } } }"""
DETAIL = """query($id: ID!) { node(id: $id) { ... on Claim {
  id summary { km en } topic status firstSeenAt rebuttedAt
  leadInstitution { slug name { km en } }
  rebuttals {
    id status verdict revision publishedAt institution { slug }
    revisions { number publishedAt headline { en km } body { en } evidence { url title { en km } } }
  }
} } }"""
REBUTTALS = """{ rebuttals(first: 50) { edges { node {
  id headline { en km } verdict revision publishedAt institution { slug }
} } } }"""
FILTERED = """{ claims(first: 50, filter: {status: [REBUTTED], institution: "health"}) {
  edges { node { id summary { en } status rebuttedAt leadInstitution { slug } } }
} }"""
SEARCH = """query($text: String!) { claims(first: 20, filter: {text: $text}) {
  edges { node { id summary { km en } status } }
} }"""


@dataclass(frozen=True)
class Operation:
    """One read: the GraphQL document coordhub answers and the reference endpoint's path."""

    name: str
    title: str
    query: str
    variables: dict[str, Any]
    path: str

    @property
    def graphql_body(self) -> bytes:
        return orjson.dumps({"query": self.query, "variables": self.variables})


async def detail_claim_id() -> int:
    """The newest public claim whose rebuttal has a correction (two revisions), else any."""
    row = (
        await Rebuttal.filter(live_revision=2, claim__status=ClaimStatus.REBUTTED)
        .order_by("-claim_id")
        .first()
    )
    if row is None:
        row = (
            await Rebuttal.filter(claim__status=ClaimStatus.REBUTTED).order_by("-claim_id").first()
        )
    if row is None:
        raise RuntimeError("the database has no rebutted claim")
    return row.claim_id


def operations(detail_id: int) -> dict[str, Operation]:
    claim = reference.global_id("Claim", detail_id)
    return {
        op.name: op
        for op in (
            Operation("feed", "claims feed (50)", FEED, {}, "/feed"),
            Operation("detail", "claim detail", DETAIL, {"id": claim}, f"/claims/{claim}"),
            Operation("rebuttals", "public rebuttals (50)", REBUTTALS, {}, "/rebuttals"),
            Operation(
                "filtered",
                "filtered claims (50)",
                FILTERED,
                {},
                "/claims?status=REBUTTED&institution=health",
            ),
            Operation(
                "search",
                "Khmer text search (20)",
                SEARCH,
                {"text": KHMER_PHRASE},
                f"/search?text={quote(KHMER_PHRASE)}",
            ),
            Operation(
                "search-rare",
                "rare Khmer search (20)",
                SEARCH,
                {"text": KHMER_RARE_PHRASE},
                f"/search?text={quote(KHMER_RARE_PHRASE)}",
            ),
        )
    }


@dataclass
class Probe:
    """One request of an operation: the statements it sent and the body it returned."""

    statements: int
    body: bytes
    #: (statement, parameters) coordhub sent (empty for the reference).
    sent: list[tuple[str, Any]]


async def coordhub_in_process(
    database_url: str, selected: list[str], signed: dict[str, str] | None = None
) -> tuple[dict[str, Operation], dict[str, Probe]]:
    """The operations (the detail claim found in the data), and per operation what one request
    to coordhub sends and returns, in this process over ASGI (after one warm-up request), with
    the ``signed`` headers (a caller's ``Authorization``; none: the public).

    The app is configured from the environment, as the server ``bench.reads`` starts is
    (``COORDHUB_RESPONSE_CACHE_SIZE`` included).
    """
    from coordhub.app import create_app

    settings = Settings(database_url=database_url)
    found: dict[str, Probe] = {}
    async with database(settings, global_fallback=False):
        ops = operations(await detail_claim_id())
        app = create_app(settings, manage_database=False)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
            for name in selected:
                op = ops[name]
                headers = {"content-type": "application/json", **(signed or {})}
                await http.post("/graphql", content=op.graphql_body, headers=headers)  # warm
                with count_statements() as counter:
                    response = await http.post("/graphql", content=op.graphql_body, headers=headers)
                found[name] = Probe(len(counter.statements), response.content, counter.sent)
    return ops, found


async def reference_in_process(
    database_url: str,
    ops: dict[str, Operation],
    selected: list[str],
    signed: dict[str, str] | None = None,
) -> dict[str, Probe]:
    """Per operation, the reference's statements for one request and its body."""
    app = reference.create_app(database_url)
    found: dict[str, Probe] = {}
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
            for name in selected:
                before = app.state.db.statements
                response = await http.get(ops[name].path, headers=signed)
                found[name] = Probe(app.state.db.statements - before, response.content, [])
    return found


async def explain(database_url: str, sent: list[tuple[str, Any]]) -> list[str]:
    """``EXPLAIN (ANALYZE, BUFFERS)`` of each statement on PostgreSQL, as text lines."""
    import asyncpg

    connection = await asyncpg.connect(database_url.replace("postgres://", "postgresql://", 1))
    lines: list[str] = []
    try:
        for sql, values in sent:
            lines.append(sql if len(sql) < 400 else sql[:400] + " …")
            plan = await connection.fetch("EXPLAIN (ANALYZE, BUFFERS) " + sql, *values)
            lines.extend("    " + row[0] for row in plan)
    finally:
        await connection.close()
    return lines
