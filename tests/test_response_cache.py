"""The public response cache answers exactly what executing the document would, and no longer."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from hypothesis import strategies as st

from coordhub.app import create_app
from coordhub.db import count_statements
from coordhub.models import InstitutionKind
from coordhub.settings import Settings
from coordhub.web.response_cache import CACHE_REQUESTS
from coordhub.workflow.institutions import add_institution
from tests.flows import (
    correct,
    drafted_rebuttal,
    ok,
    published_rebuttal,
    report_input,
    reported_claim,
    triaged_claim,
)
from tests.support import ACCOUNTS, GraphQLClient, World

REBUTTALS = "{ rebuttals(first: 20) { edges { node { id headline { en } revision status } } } }"
FEED = """query Feed($first: Int!) { claims(first: $first) { edges { node {
  id status overdue dueAt summary { en } leadInstitution { slug }
  rebuttals { headline { en } status revision }
} } } }"""
READS: list[tuple[str, dict[str, Any]]] = [
    (REBUTTALS, {}),
    (FEED, {"first": 50}),
    ("{ institutions { slug name { en } } }", {}),
    ("{ claims(first: 50, filter: {status: [REPORTED, TRIAGED]}) { edges { node { id } } } }", {}),
    ('{ claims(first: 20, filter: {text: "វ៉ាក់សាំង"}) { edges { node { id status } } } }', {}),
    ("{ events(first: 50) { edges { node { type } } } }", {}),
    ("{ viewer { name role } }", {}),
]


def hits() -> float:
    return CACHE_REQUESTS.labels("hit")._value.get()


@pytest.fixture
async def uncached(settings: Settings, db: None, world: World) -> AsyncIterator[GraphQLClient]:
    """The same database through an app with the cache off: the reference answers."""
    app = create_app(settings.model_copy(update={"response_cache_size": 0}), manage_database=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://coordhub.test") as client:
        yield GraphQLClient(client, world)


async def body(gql: GraphQLClient, query: str, variables: dict[str, Any], as_: str | None) -> Any:
    response = await gql.post(query, variables, as_=as_)
    assert response.status_code == 200, response.text
    return response.json()


async def test_a_repeated_public_read_costs_one_statement_until_the_next_write(
    gql: GraphQLClient,
) -> None:
    _, rebuttal_id = await published_rebuttal(gql)
    first = await body(gql, REBUTTALS, {}, None)
    with count_statements() as counter:
        again = await body(gql, REBUTTALS, {}, None)
    assert again == first
    assert len(counter.statements) == 1, counter.statements  # the log's sequence, nothing else

    await correct(gql, rebuttal_id, "Corrected headline")
    after = await body(gql, REBUTTALS, {}, None)
    [edge] = after["data"]["rebuttals"]["edges"]
    assert edge["node"]["headline"]["en"] == "Corrected headline"
    assert edge["node"]["revision"] == 2


async def test_every_caller_gets_what_execution_gives(
    gql: GraphQLClient, uncached: GraphQLClient
) -> None:
    """Role by role, cached answers equal executed ones, whoever asked the same thing first."""
    await reported_claim(gql)
    await triaged_claim(gql)
    await drafted_rebuttal(gql)
    _, corrected = await published_rebuttal(gql)
    await correct(gql, corrected, "A corrected headline")
    callers: list[str | None] = [None, *ACCOUNTS]
    for query, variables in READS:
        for caller in callers:
            expected = await body(uncached, query, variables, caller)
            for asker in (None, caller):  # warm the cache as the public, then ask as the caller
                await body(gql, query, variables, asker)
            assert await body(gql, query, variables, caller) == expected, (query, caller)


async def test_registering_an_institution_reaches_cached_readers(gql: GraphQLClient) -> None:
    query = "{ institutions { slug } }"
    before = await body(gql, query, {}, None)
    assert await body(gql, query, {}, None) == before
    await add_institution(
        "planning", "ក្រសួងផែនការ", "Ministry of Planning", InstitutionKind.MINISTRY
    )
    slugs = {i["slug"] for i in (await body(gql, query, {}, None))["data"]["institutions"]}
    assert "planning" in slugs


async def test_answers_with_errors_and_clock_dependent_filters_are_never_kept(
    gql: GraphQLClient,
) -> None:
    await published_rebuttal(gql)
    overdue = "{ claims(first: 10, filter: {overdue: false}) { edges { node { id } } } }"
    failing = '{ claims(first: 10, after: "not-a-cursor") { edges { node { id } } } }'
    for query in (overdue, failing):
        first = await body(gql, query, {}, None)
        before = hits()
        assert await body(gql, query, {}, None) == first
        assert hits() == before, query
    assert "errors" in first


async def test_an_overdue_flag_expires_with_the_clock(gql: GraphQLClient) -> None:
    """A public claim due in a moment reads `overdue: false`, then `true` with no write between."""
    claim_id = await reported_claim(gql)
    due = datetime.now(UTC) + timedelta(seconds=2)
    triage = {
        "claimId": claim_id,
        "lead": "health",
        "priority": "HIGH",
        "dueAt": due.isoformat(),
    }
    await ok(gql, "triageClaim", triage, as_="coordinator")
    _, rebuttal_id = await drafted_rebuttal(gql, claim_id)
    await ok(gql, "submitRebuttal", {"rebuttalId": rebuttal_id}, as_="health_editor")
    await ok(
        gql,
        "reviewRebuttal",
        {"rebuttalId": rebuttal_id, "decision": "APPROVE"},
        as_="health_approver",
    )
    await ok(gql, "publishRebuttal", {"rebuttalId": rebuttal_id}, as_="health_editor")
    retract = {
        "rebuttalId": rebuttal_id,
        "reason": {"km": "ដកវិញដើម្បីពិនិត្យ", "en": "Withdrawn for review"},
    }
    await ok(gql, "retractRebuttal", retract, as_="health_approver")  # public again, not rebutted

    query = "{ claims(first: 5) { edges { node { id status overdue } } } }"
    [node] = [e["node"] for e in (await body(gql, query, {}, None))["data"]["claims"]["edges"]]
    assert node["status"] in ("TRIAGED", "IN_PROGRESS") and node["overdue"] is False
    before = hits()
    await body(gql, query, {}, None)
    assert hits() == before + 1  # cached while nothing changes ...
    await asyncio.sleep(max(0.0, due.timestamp() - time.time()) + 0.1)
    [node] = [e["node"] for e in (await body(gql, query, {}, None))["data"]["claims"]["edges"]]
    assert node["overdue"] is True  # ... until its due-by passes


async def test_get_requests_and_media_types_are_kept_apart(gql: GraphQLClient) -> None:
    await published_rebuttal(gql)
    media = "application/graphql-response+json"
    answers = []
    for _ in range(2):
        over_get = await gql.http.get("/graphql", params={"query": REBUTTALS})
        strict = await gql.http.post(
            "/graphql", json={"query": REBUTTALS}, headers={"accept": media}
        )
        answers.append((over_get.headers["content-type"], strict.headers["content-type"]))
        assert over_get.json() == strict.json()
        assert over_get.headers.get("x-request-id")
    assert answers[0] == answers[1] == ("application/json", media)


async def test_concurrent_misses_execute_the_document_once(gql: GraphQLClient) -> None:
    await published_rebuttal(gql)
    with count_statements() as alone:
        await body(gql, REBUTTALS, {}, None)
    executed = len(alone.statements) - 1
    await published_rebuttal(gql)  # the log moves: the next reads miss
    with count_statements() as together:
        answers = await asyncio.gather(*(body(gql, REBUTTALS, {}, None) for _ in range(10)))
    assert all(answer == answers[0] for answer in answers)
    assert len(answers[0]["data"]["rebuttals"]["edges"]) == 2
    assert len(together.statements) == 10 + executed, together.statements


async def test_mutations_are_never_answered_from_the_cache(gql: GraphQLClient) -> None:
    document = (
        "mutation($input: ReportClaimInput!) { reportClaim(input: $input) { claim { id } "
        "errors { code } } }"
    )
    answers = [await body(gql, document, {"input": report_input()}, "reporter") for _ in range(2)]
    ids = {a["data"]["reportClaim"]["claim"]["id"] for a in answers}
    assert len(ids) == 2


async def test_an_unreachable_database_is_answered_not_crashed(
    gql: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While the database restarts: public reads execute (and say what failed), and a token
    that cannot be checked gets 503 with Retry-After, never public access."""

    async def unreachable(*args: object) -> int:
        raise ConnectionRefusedError("connection refused")

    monkeypatch.setattr("coordhub.web.response_cache.current_sequence", unreachable)
    response = await gql.post(REBUTTALS)
    assert response.status_code == 200 and response.json()["data"]["rebuttals"]["edges"] == []

    monkeypatch.setattr("coordhub.auth.actor_for_token", unreachable)
    signed_in = await gql.post(REBUTTALS, as_="observer")
    assert signed_in.status_code == 503
    assert signed_in.headers["retry-after"] == "1"
    assert signed_in.json()["errors"][0]["extensions"]["code"] == "UNAVAILABLE"


PUBLIC_READS = [(query, variables) for query, variables in READS if "viewer" not in query]


@examples(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=st.lists(
        st.sampled_from(
            ["read", "report", "triage", "publish", "correct", "retract", "institution"]
        ),
        min_size=1,
        max_size=8,
    )
)
async def test_any_sequence_of_writes_and_public_reads_matches_execution(
    gql: GraphQLClient, uncached: GraphQLClient, steps: list[str]
) -> None:
    """Whatever is written between them, a public read through the cache equals executing."""
    published: list[str] = []
    for step in steps:
        if step == "report":
            await reported_claim(gql)
        elif step == "triage":
            await triaged_claim(gql)
        elif step == "publish":
            published.append((await published_rebuttal(gql))[1])
        elif step == "correct" and published:
            await correct(gql, published[-1], f"Corrected {len(steps)}")
        elif step == "retract" and published:
            retract = {"rebuttalId": published.pop(), "reason": {"km": "ដកវិញ", "en": "Withdrawn"}}
            await ok(gql, "retractRebuttal", retract, as_="health_approver")
        elif step == "institution":
            slug = f"body-{uuid.uuid4().hex[:8]}"
            await add_institution(slug, "ស្ថាប័ន", "A body", InstitutionKind.STATE_INSTITUTION)
        for query, variables in PUBLIC_READS:
            expected = await body(uncached, query, variables, None)
            assert await body(gql, query, variables, None) == expected, (step, query)
