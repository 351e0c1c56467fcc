"""PostGraphile 4 beside coordhub and ``bench.reference``: ``bench.reads --peer postgraphile``.

PostGraphile compiles a whole GraphQL document into one SQL statement over a schema it
generates from the tables. It is fetched from npm at run time (``npx --yes -p postgraphile@4
-p postgraphile-plugin-connection-filter@2``; nothing of it is in this repository), run on the
same PostgreSQL bench database, on 127.0.0.1, pinned to the servers' CPU, with a pool of 5
connections (coordhub's and the reference's), no query log, no GraphiQL, no mutations,
``NODE_ENV=production``. npx only resolves the package (``npx -c 'command -v postgraphile'``);
its binary then runs as one process, so that it is pinned, checked for idleness and stopped as
the other two servers are. The connection-filter plugin is the usual way to give PostGraphile
the conditions these reads need (``liveRevision IS NOT NULL``, a substring search); without it
PostGraphile could filter on equality only and answer none of them.

Each operation it can answer has an equivalent document (``peer_operations``): the same rows,
in the same order, with the same columns, in PostGraphile's shape (``allClaims``, ``nodes``,
``summaryKm``, integer ids, the live revision as the newest of ``rebuttalRevisionsByRebuttalId``).
Before measuring, its answer is reshaped into coordhub's (global ids, ``LocalizedText`` objects,
timestamps in UTC, the public status PUBLISHED of a rebuttal with a live revision unless it is
RETRACTED) and must equal coordhub's ``data``: same ids and values, not the same bytes.

- ``filtered`` is not answered: it asks for claims an institution leads *or supports*, a
  condition across the ``claim_support`` relation that PostGraphile's command line cannot
  express (relation filters need the plugin's ``connectionFilterRelations`` option, set only in
  a configuration file, which would be PostGraphile code of ours).
- Public callers only: PostGraphile has no coordhub read rules (who may see unpublished claims
  and working copies), so there is nothing equivalent to compare for a signed-in role.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import subprocess
import tempfile
import time
import unicodedata
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import orjson

from bench import load
from bench.harness import Server, start_server
from bench.reads_ops import Operation, Probe
from bench.reference import claim_pk, global_id

NAME = "postgraphile"
PACKAGES = ("postgraphile@4", "postgraphile-plugin-connection-filter@2")
PLUGIN = "postgraphile-plugin-connection-filter"
POOL_SIZE = 5
#: Operations PostGraphile cannot answer with an equivalent document, and why.
UNANSWERED = {
    "filtered": "claims led or supported by an institution: a filter across claim_support, "
    "which needs the connection-filter plugin's relation filters (a configuration file)",
}

FEED = """{ allClaims(first: 50, orderBy: ID_DESC, condition: {public: true}) { nodes {
  id summaryKm summaryEn status institutionByLeadInstitutionId { nameEn }
  rebuttalsByClaimId(orderBy: ID_ASC, filter: {liveRevision: {isNull: false}}) { nodes {
    status
    rebuttalRevisionsByRebuttalId(orderBy: NUMBER_DESC, first: 1) { nodes { headlineEn } }
  } }
} } }"""
DETAIL = """query($id: Int!) { allClaims(condition: {id: $id, public: true}) { nodes {
  id summaryKm summaryEn topic status firstSeenAt rebuttedAt
  institutionByLeadInstitutionId { slug nameKm nameEn }
  rebuttalsByClaimId(orderBy: ID_ASC, filter: {liveRevision: {isNull: false}}) { nodes {
    id status liveVerdict liveRevision publishedAt institutionByInstitutionId { slug }
    rebuttalRevisionsByRebuttalId(orderBy: NUMBER_ASC) { nodes {
      number publishedAt headlineEn headlineKm bodyEn
      evidencesByRevisionId(orderBy: POSITION_ASC) { nodes { url titleEn titleKm } }
    } }
  } }
} } }"""
REBUTTALS = """{ allRebuttals(
  first: 50, orderBy: ID_DESC, filter: {liveRevision: {isNull: false}}
) {
  nodes {
    id liveVerdict liveRevision publishedAt institutionByInstitutionId { slug }
    rebuttalRevisionsByRebuttalId(orderBy: NUMBER_DESC, first: 1) {
      nodes { headlineEn headlineKm }
    }
  }
} }"""
SEARCH = """query($text: String!) { allClaims(first: 20, orderBy: ID_DESC,
  filter: {public: {equalTo: true}, searchText: {includes: $text}}) { nodes {
  id summaryKm summaryEn status
} } }"""


Data = dict[str, Any]


@dataclass(frozen=True)
class PeerOperation:
    """A document PostGraphile answers, and how its ``data`` becomes coordhub's."""

    query: str
    variables: dict[str, Any]
    reshape: Callable[[Data], Data]

    @property
    def body(self) -> bytes:
        return orjson.dumps({"query": self.query, "variables": self.variables})


def utc(value: str | None) -> str | None:
    """A timestamp as coordhub writes it (``isoformat`` in UTC)."""
    return None if value is None else datetime.fromisoformat(value).astimezone(UTC).isoformat()


def public_status(status: str) -> str:
    """The status the public sees of a rebuttal with a live revision."""
    return status if status == "RETRACTED" else "PUBLISHED"


def live_headline(rebuttal: Data, *languages: str) -> Data | None:
    newest = rebuttal["rebuttalRevisionsByRebuttalId"]["nodes"]
    if not newest:
        return None
    return {lang: newest[0][f"headline{lang.capitalize()}"] for lang in languages}


def slug(row: Data | None) -> Data | None:
    return None if row is None else {"slug": row["slug"]}


def feed(data: Data) -> Data:
    edges = [
        {
            "node": {
                "id": global_id("Claim", claim["id"]),
                "summary": {"km": claim["summaryKm"], "en": claim["summaryEn"]},
                "status": claim["status"],
                "leadInstitution": None if lead is None else {"name": {"en": lead["nameEn"]}},
                "rebuttals": [
                    {"headline": live_headline(r, "en"), "status": public_status(r["status"])}
                    for r in claim["rebuttalsByClaimId"]["nodes"]
                ],
            }
        }
        for claim in data["allClaims"]["nodes"]
        for lead in [claim["institutionByLeadInstitutionId"]]
    ]
    return {"claims": {"edges": edges}}


def detail(data: Data) -> Data:
    nodes = data["allClaims"]["nodes"]
    if not nodes:
        return {"node": None}
    claim = nodes[0]
    lead = claim["institutionByLeadInstitutionId"]
    if lead is not None:
        lead = {"slug": lead["slug"], "name": {"km": lead["nameKm"], "en": lead["nameEn"]}}
    rebuttals = [
        {
            "id": global_id("Rebuttal", r["id"]),
            "status": public_status(r["status"]),
            "verdict": r["liveVerdict"],
            "revision": r["liveRevision"],
            "publishedAt": utc(r["publishedAt"]),
            "institution": slug(r["institutionByInstitutionId"]),
            "revisions": [
                {
                    "number": v["number"],
                    "publishedAt": utc(v["publishedAt"]),
                    "headline": {"en": v["headlineEn"], "km": v["headlineKm"]},
                    "body": {"en": v["bodyEn"]},
                    "evidence": [
                        {"url": e["url"], "title": {"en": e["titleEn"], "km": e["titleKm"]}}
                        for e in v["evidencesByRevisionId"]["nodes"]
                    ],
                }
                for v in r["rebuttalRevisionsByRebuttalId"]["nodes"]
            ],
        }
        for r in claim["rebuttalsByClaimId"]["nodes"]
    ]
    node = {
        "id": global_id("Claim", claim["id"]),
        "summary": {"km": claim["summaryKm"], "en": claim["summaryEn"]},
        "topic": claim["topic"],
        "status": claim["status"],
        "firstSeenAt": utc(claim["firstSeenAt"]),
        "rebuttedAt": utc(claim["rebuttedAt"]),
        "leadInstitution": lead,
        "rebuttals": rebuttals,
    }
    return {"node": node}


def rebuttals(data: Data) -> Data:
    edges = [
        {
            "node": {
                "id": global_id("Rebuttal", r["id"]),
                "headline": live_headline(r, "en", "km"),
                "verdict": r["liveVerdict"],
                "revision": r["liveRevision"],
                "publishedAt": utc(r["publishedAt"]),
                "institution": slug(r["institutionByInstitutionId"]),
            }
        }
        for r in data["allRebuttals"]["nodes"]
    ]
    return {"rebuttals": {"edges": edges}}


def search(data: Data) -> Data:
    edges = [
        {
            "node": {
                "id": global_id("Claim", c["id"]),
                "summary": {"km": c["summaryKm"], "en": c["summaryEn"]},
                "status": c["status"],
            }
        }
        for c in data["allClaims"]["nodes"]
    ]
    return {"claims": {"edges": edges}}


def needle(text: str) -> str:
    """The search text as ``claim.search_text`` holds it (NFC, case-folded): PostGraphile's
    ``includes`` compares the column as stored."""
    return unicodedata.normalize("NFC", text.strip()).casefold()


def peer_operations(ops: dict[str, Operation], selected: list[str]) -> dict[str, PeerOperation]:
    """The equivalent document of each selected operation PostGraphile can answer."""
    found: dict[str, PeerOperation] = {}
    for name in selected:
        op = ops[name]
        if name == "feed":
            found[name] = PeerOperation(FEED, {}, feed)
        elif name == "detail":
            found[name] = PeerOperation(DETAIL, {"id": claim_pk(op.variables["id"])}, detail)
        elif name == "rebuttals":
            found[name] = PeerOperation(REBUTTALS, {}, rebuttals)
        elif name in ("search", "search-rare"):
            found[name] = PeerOperation(SEARCH, {"text": needle(op.variables["text"])}, search)
    return found


def skip_reason(postgres: bool, public: bool) -> str | None:
    """Why PostGraphile cannot run beside the others here, or None."""
    if not postgres:
        return "PostGraphile reads PostgreSQL only; this run is on SQLite"
    if not public:
        return (
            "PostGraphile has no coordhub read rules (unpublished claims, working copies), so "
            "it answers nothing equivalent for a signed-in role: only --as public"
        )
    if shutil.which("npx") is None or shutil.which("node") is None:
        return "Node.js or npx is not installed"
    return None


def resolve() -> tuple[str, str]:
    """The ``postgraphile`` binary npx fetched (fetching it the first time) and its version;
    RuntimeError if npx cannot."""
    packages = [arg for package in PACKAGES for arg in ("-p", package)]
    try:
        found = subprocess.run(
            ["npx", "--yes", *packages, "-c", "command -v postgraphile"],
            capture_output=True,
            text=True,
            timeout=300,
        )
    except subprocess.TimeoutExpired as exc:
        raise RuntimeError("npx took more than 300 s to fetch PostGraphile") from exc
    binary = found.stdout.strip().splitlines()[-1] if found.stdout.strip() else ""
    if found.returncode != 0 or not binary:
        raise RuntimeError(f"npx could not fetch PostGraphile: {found.stderr.strip()[-500:]}")
    version = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=60)
    return binary, version.stdout.strip()


@contextlib.asynccontextmanager
async def running(binary: str, database_url: str, cpu: int | None) -> AsyncIterator[Server]:
    """PostGraphile started on ``database_url``, up, and stopped at the end."""
    with tempfile.TemporaryDirectory(prefix="coordhub-bench-peer-") as logs:
        server = start(binary, database_url, cpu, Path(logs))
        try:
            await wait_until_up(server)
            yield server
        finally:
            server.stop()


def start(binary: str, database_url: str, cpu: int | None, logs: Path) -> Server:
    """PostGraphile on ``database_url`` (``start_server`` adds ``--port``)."""
    command = [
        binary,
        "--connection",
        database_url.replace("postgresql://", "postgres://", 1),
        "--schema",
        "public",
        "--host",
        "127.0.0.1",
        "--append-plugins",
        PLUGIN,
        "--max-pool-size",
        str(POOL_SIZE),
        "--disable-query-log",
        "--disable-graphiql",
        "--disable-default-mutations",
    ]
    return start_server(NAME, command, env={"NODE_ENV": "production"}, cpu=cpu, logs=logs)


async def wait_until_up(server: Server, seconds: float = 120) -> None:
    """Until it answers ``{ __typename }`` (it has no ``/healthz``)."""
    deadline = time.monotonic() + seconds
    async with httpx.AsyncClient(timeout=5) as http:
        while True:
            try:
                answer = await http.post(f"{server.url}/graphql", json={"query": "{__typename}"})
                if answer.status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if server.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"PostGraphile did not start: {server.last_words()}")
            await asyncio.sleep(0.2)


def request(server: Server, peer: PeerOperation) -> load.Request:
    return load.Request(
        url=f"{server.url}/graphql",
        method="POST",
        body=peer.body,
        headers={"Content-Type": "application/json"},
    )


async def check(server: Server, peers: dict[str, PeerOperation], ours: dict[str, Probe]) -> None:
    """Each answer, reshaped, must be coordhub's ``data`` (SystemExit naming the first
    difference otherwise)."""
    async with httpx.AsyncClient(timeout=60) as http:
        for name, peer in peers.items():
            answer = await http.post(
                f"{server.url}/graphql",
                content=peer.body,
                headers={"Content-Type": "application/json"},
            )
            parsed = orjson.loads(answer.content)
            if answer.status_code != 200 or "errors" in parsed:
                raise SystemExit(f"{name}: PostGraphile answered {answer.content[:500]!r}")
            theirs = peer.reshape(parsed["data"])
            expected = orjson.loads(ours[name].body)["data"]
            if theirs != expected:
                raise SystemExit(
                    f"{name}: PostGraphile's answer differs: {difference(theirs, expected)}"
                )


def difference(a: Any, b: Any, path: str = "data") -> str:
    """Where two JSON values first differ."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in dict.fromkeys([*a, *b]):
            if a.get(key) != b.get(key):
                return difference(a.get(key), b.get(key), f"{path}.{key}")
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} items against coordhub's {len(b)}"
        for index, (x, y) in enumerate(zip(a, b, strict=True)):
            if x != y:
                return difference(x, y, f"{path}[{index}]")
    return f"{path}: {a!r} against coordhub's {b!r}"
