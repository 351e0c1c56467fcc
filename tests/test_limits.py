"""Bounded cost, rate and time per caller: query cost, rate limits with 429s, the deadline."""

from __future__ import annotations

import os
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis.asyncio as redis
from tortoise import connections

from coordhub.app import create_app
from coordhub.db import database
from coordhub.models import Event
from coordhub.settings import Settings
from tests.support import World

EXPENSIVE = (
    "{ "
    + " ".join(
        f"e{i}: events(first: 100) {{ edges {{ node {{ type claim {{ summary {{ en }} }} "
        f"rebuttal {{ headline {{ en }} }} }} }} }}"
        for i in range(20)
    )
    + " }"
)
FEED = "query($n: Int) { claims(first: $n) { edges { node { summary { en } } } } }"
REDIS_URL = os.environ.get("COORDHUB_TEST_REDIS", "redis://127.0.0.1:6379/15")


@asynccontextmanager
async def client(settings: Settings, **changes: Any) -> AsyncIterator[httpx.AsyncClient]:
    """The app over ASGI with changed settings, as from a client at 10.0.0.1."""
    app = create_app(settings.model_copy(update=changes), manage_database=False)
    transport = httpx.ASGITransport(app=app, client=("10.0.0.1", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://coordhub.test") as http:
        yield http


def bearer(world: World, key: str) -> dict[str, str]:
    return {"authorization": f"Bearer {world.tokens[key]}"}


async def post(
    http: httpx.AsyncClient, query: str, variables: dict[str, Any] | None = None, **headers: str
) -> httpx.Response:
    return await http.post(
        "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
    )


def code(response: httpx.Response) -> str:
    return response.json()["errors"][0]["extensions"]["code"]


async def test_an_operation_over_the_budget_is_refused_naming_its_cost(
    settings: Settings, world: World
) -> None:
    async with client(
        settings, max_query_cost=Settings.model_fields["max_query_cost"].default
    ) as http:
        response = await post(http, EXPENSIVE, **bearer(world, "observer"))
    body = response.json()
    assert body["data"] is None
    error = body["errors"][0]
    assert error["extensions"]["code"] == "TOO_COSTLY"
    assert error["extensions"]["budget"] == 5_000
    assert error["extensions"]["cost"] > 5_000
    assert str(error["extensions"]["cost"]) in error["message"]
    assert body["extensions"]["cost"]["requested"] == error["extensions"]["cost"]


async def test_cost_follows_first_fragments_aliases_and_nested_lists(
    settings: Settings, world: World
) -> None:
    async def cost(query: str, variables: dict[str, Any] | None = None) -> int:
        response = await post(http, query, variables, **bearer(world, "observer"))
        assert "errors" not in response.json(), response.json()
        return response.json()["extensions"]["cost"]["requested"]

    async with client(settings) as http:
        small = await cost(FEED, {"n": 5})
        large = await cost(FEED, {"n": 50})
        literal = await cost("{ claims(first: 50) { edges { node { summary { en } } } } }")
        default = await cost(FEED)  # the default page (20)
        fragment = await cost(
            "query { claims(first: 50) { edges { node { ...S } } } } "
            "fragment S on Claim { summary { en } }"
        )
        aliased = await cost(
            "{ a: claims(first: 50) { edges { node { summary { en } } } } "
            "b: claims(first: 50) { edges { node { summary { en } } } } }"
        )
        nested = await cost(
            "{ claims(first: 2) { edges { node { appearances { url } rebuttals { revisions "
            "{ number } } } } } }"
        )
        scalars = await cost("{ institutions { slug } }")
    assert small < default < large == literal == fragment
    assert aliased == 2 * large
    assert large == 1 + 50 * 2  # the connection, then per edge: edge, node (summary is free)
    # per claim: edge, node, 50 appearances, 12 rebuttals of at most 10 revisions each
    assert nested == 1 + 2 * (2 + 50 + 12 * (1 + 10))
    assert scalars == 50  # an unpaginated list of objects at its assumed cap, slugs free


async def test_a_claims_full_detail_fits_the_default_budget(
    settings: Settings, world: World
) -> None:
    """What a claim's page shows, every revision's evidence in both languages included."""
    detail = """query($id: ID!) { node(id: $id) { ... on Claim {
      id summary { km en } topic status firstSeenAt rebuttedAt
      leadInstitution { slug name { km en } } supportingInstitutions { slug name { km en } }
      appearances { url outlet seenAt }
      rebuttals { id status verdict revision publishedAt institution { slug name { km en } }
        retraction { reason { km en } }
        revisions { number publishedAt headline { km en } body { km en }
          evidence { url title { km en } note { km en } } } }
    } } }"""
    budget = Settings.model_fields["max_query_cost"].default
    async with client(settings, max_query_cost=budget) as http:
        response = await post(http, detail, {"id": "Q2xhaW06MQ=="}, **bearer(world, "observer"))
    body = response.json()
    assert "errors" not in body, body
    assert body["extensions"]["cost"]["requested"] <= budget


async def test_a_mutation_costs_more_than_the_read_it_returns(
    settings: Settings, world: World
) -> None:
    async with client(settings) as http:
        response = await post(
            http,
            'mutation { submitRebuttal(input: {rebuttalId: "UmVidXR0YWw6OTk="}) '
            "{ errors { code } } }",
            **bearer(world, "health_editor"),
        )
    # 10 for the write, 1 for the payload, 1 for its error (a payload holds at most one)
    assert response.json()["extensions"]["cost"]["requested"] == 10 + 1 + 1


async def test_the_request_past_the_budget_gets_429_and_not_another_callers(
    settings: Settings, world: World
) -> None:
    async with client(settings, rate_limit_token_requests="2000/minute") as http:
        for _ in range(2_000):
            response = await post(http, "{ __typename }", **bearer(world, "reporter"))
            assert response.status_code == 200, response.text
        assert response.headers["RateLimit-Limit"] == "2000"
        assert response.headers["RateLimit-Remaining"] == "0"
        refused = await post(http, "{ __typename }", **bearer(world, "reporter"))
        assert refused.status_code == 429
        assert 1 <= int(refused.headers["Retry-After"]) <= 60
        assert code(refused) == "RATE_LIMITED"
        other = await post(http, "{ __typename }", **bearer(world, "reporter2"))
        assert other.status_code == 200
        assert other.headers["RateLimit-Remaining"] == "1999"


async def test_anonymous_callers_are_counted_by_address_trusting_only_named_proxies(
    settings: Settings, world: World
) -> None:
    def via(address: str) -> dict[str, str]:
        return {"x-forwarded-for": address}

    limited = {"rate_limit_address_requests": "3/minute"}
    async with client(settings, **limited) as http:  # 10.0.0.1 is no trusted proxy
        statuses = [
            (await post(http, "{ __typename }", **via(f"192.0.2.{i}"))).status_code
            for i in range(4)
        ]
    assert statuses == [200, 200, 200, 429]  # the forwarded addresses were not believed

    async with client(settings, trusted_proxies=["10.0.0.0/8"], **limited) as http:
        for _ in range(3):
            assert (await post(http, "{ __typename }", **via("192.0.2.7"))).status_code == 200
        assert (await post(http, "{ __typename }", **via("192.0.2.7"))).status_code == 429
        assert (await post(http, "{ __typename }", **via("192.0.2.8"))).status_code == 200


async def test_public_pages_have_a_budget_per_address_that_spares_the_api_and_probes(
    settings: Settings, world: World
) -> None:
    def via(address: str) -> dict[str, str]:
        return {"x-forwarded-for": address}

    pages = ["/en/", "/km/about", "/sitemap.xml", "/en/feed.atom", "/robots.txt"]
    changes: dict[str, Any] = {"rate_limit_page_requests": "5/minute"}
    async with client(settings, trusted_proxies=["10.0.0.0/8"], **changes) as http:
        for path in pages:
            answer = await http.get(path, headers=via("192.0.2.9"))
            assert answer.status_code == 200, (path, answer.status_code)
        refused = await http.get("/en/", headers=via("192.0.2.9"))
        assert refused.status_code == 429
        assert 1 <= int(refused.headers["Retry-After"]) <= 60
        assert refused.headers["RateLimit-Remaining"] == "0"
        assert refused.headers["content-type"].startswith("text/plain")
        assert "retry in" in refused.text and "វិនាទី" in refused.text
        # A token buys no more pages: they are the same for everyone.
        signed_in = await http.get(
            "/en/", headers={**via("192.0.2.9"), **bearer(world, "reporter")}
        )
        assert signed_in.status_code == 429
        # Another address, the API and the probes are not counted against this one.
        assert (await http.get("/en/", headers=via("192.0.2.10"))).status_code == 200
        assert (await post(http, "{ __typename }", **via("192.0.2.9"))).status_code == 200
        assert (await http.get("/healthz", headers=via("192.0.2.9"))).status_code == 200


async def test_the_cost_budget_per_window_refuses_with_retry_after(
    settings: Settings, world: World
) -> None:
    async with client(settings, rate_limit_token_cost="400/minute") as http:
        first = await post(http, FEED, {"n": 100}, **bearer(world, "observer"))  # costs 301
        assert first.status_code == 200 and "errors" not in first.json()
        second = await post(http, FEED, {"n": 100}, **bearer(world, "observer"))
        assert second.status_code == 429
        error = second.json()["errors"][0]
        assert error["extensions"]["code"] == "RATE_LIMITED"
        assert error["extensions"]["limit"] == "cost"
        assert int(second.headers["Retry-After"]) == error["extensions"]["retryAfter"] >= 1
        cheap = await post(http, FEED, {"n": 10}, **bearer(world, "observer"))  # costs 31
        assert cheap.status_code == 200


async def test_failed_sign_ins_lock_the_address_out(settings: Settings, world: World) -> None:
    async with client(settings, rate_limit_auth_failures="5/minute") as http:
        for _ in range(5):
            response = await post(http, "{ __typename }", authorization="Bearer nope")
            assert response.status_code == 401
        locked = await post(http, "{ __typename }", **bearer(world, "observer"))
        assert locked.status_code == 429  # even with a good token, until the window moves on
        assert code(locked) == "RATE_LIMITED"
        assert int(locked.headers["Retry-After"]) >= 1


async def test_a_query_past_its_deadline_is_a_timeout_and_a_mutation_is_not_cut(
    settings: Settings, world: World
) -> None:
    before = await Event.all().count()
    async with client(settings, operation_timeout_seconds=1e-6) as http:
        response = await post(http, FEED, {"n": 100}, **bearer(world, "observer"))
        body = response.json()
        assert body["data"] is None
        assert body["errors"][0]["extensions"]["code"] == "TIMEOUT"
        assert await Event.all().count() == before
        report = await post(
            http,
            "mutation($input: ReportClaimInput!) { reportClaim(input: $input) "
            "{ claim { id } errors { code } } }",
            {"input": {"summary": {"km": "ពាក្យចចាមអារ៉ាម", "en": "A rumour"}, "topic": "health"}},
            **bearer(world, "reporter"),
        )
    assert report.json()["data"]["reportClaim"]["errors"] == []
    assert await Event.all().count() == before + 1


@pytest.fixture
async def redis_url() -> str:
    connection = redis.from_url(REDIS_URL)
    try:
        await connection.ping()
    except (OSError, redis.RedisError) as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is required under CI=true but unreachable: {exc}")
        pytest.skip(f"no Redis at {REDIS_URL} ({exc}); set COORDHUB_TEST_REDIS")
    finally:
        await connection.aclose()
    return REDIS_URL


async def test_with_redis_the_budget_holds_across_api_processes(
    settings: Settings, world: World, redis_url: str
) -> None:
    shared: Callable[[], Any] = lambda: client(  # noqa: E731
        settings, broker_url=redis_url, rate_limit_token_requests="3/minute"
    )
    async with shared() as one, shared() as two:
        statuses = [
            (await post(http, "{ __typename }", **bearer(world, "service"))).status_code
            for http in (one, two, one, two)
        ]
    assert statuses == [200, 200, 200, 429]


async def test_sqlite_interrupts_a_statement_past_the_statement_timeout(tmp_path: Path) -> None:
    """The statement a timed-out query abandons does not hold SQLite's one connection."""
    settings = Settings(database_url=f"sqlite://{tmp_path / 'x.db'}", db_statement_timeout_ms=200)
    endless = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT max(x) FROM c"
    async with database(settings):
        connection = connections.get("default")
        started = time.monotonic()
        with pytest.raises(Exception, match="interrupt"):
            await connection.execute_query(endless)
        assert time.monotonic() - started < 5
        assert await connection.execute_query_dict("SELECT 1 AS one") == [{"one": 1}]


async def test_writes_need_a_json_post_so_no_form_can_make_one_cross_site(
    settings: Settings, world: World
) -> None:
    """A page elsewhere can make a browser send a GET, a form or text/plain, never JSON."""
    mutation = (
        'mutation { submitRebuttal(input: {rebuttalId: "UmVidXR0YWw6MQ=="}) { errors { code } } }'
    )
    async with client(settings) as http:
        by_get = await http.get("/graphql", params={"query": mutation})
        by_form = await http.post("/graphql", data={"query": mutation})
        by_text = await http.post(
            "/graphql",
            content=b'{"query": "{ __typename }"}',
            headers={"content-type": "text/plain"},
        )
        batch = await http.post("/graphql", json=[{"query": "{ __typename }"}] * 2)
    assert by_get.status_code == 405
    assert by_form.status_code == by_text.status_code == batch.status_code == 400


def test_over_a_websocket_cost_and_deadline_refuse_the_operation(settings: Settings) -> None:
    """The same cost budget and query deadline hold for operations sent over a socket."""
    from starlette.testclient import TestClient

    def first_answer(changes: dict[str, Any], query: str) -> dict[str, Any]:
        app = create_app(settings.model_copy(update=changes))
        with (
            TestClient(app) as http,
            http.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws,
        ):
            ws.send_json({"type": "connection_init", "payload": {}})
            assert ws.receive_json()["type"] == "connection_ack"
            ws.send_json({"id": "1", "type": "subscribe", "payload": {"query": query}})
            return ws.receive_json()

    costly = first_answer(
        {"max_query_cost": 50}, "{ claims(first: 100) { edges { node { summary { en } } } } }"
    )
    assert costly["type"] == "error"
    assert costly["payload"][0]["extensions"]["code"] == "TOO_COSTLY"

    late = first_answer(
        {"operation_timeout_seconds": 1e-6}, "{ claims(first: 100) { edges { node { id } } } }"
    )
    assert late["type"] == "next"
    assert late["payload"]["errors"][0]["extensions"]["code"] == "TIMEOUT"


async def test_a_rebuttal_holds_at_most_max_revisions(settings: Settings, world: World) -> None:
    """The cost analysis counts on it: past the last correction, retract and draft anew."""
    from coordhub.demo.scenario import Scenario
    from coordhub.workflow.errors import ErrorCode, WorkflowError
    from coordhub.workflow.inputs import MAX_REVISIONS
    from tests.flows import desks

    scenario = Scenario(await desks(world), settings)
    rebuttal = await scenario.rebuttal("PUBLISHED")
    for _ in range(MAX_REVISIONS - 1):
        await scenario.revise(rebuttal)
        await scenario.submit(rebuttal)
        await scenario.approve(rebuttal)
        rebuttal = await scenario.publish(rebuttal)
    assert rebuttal.live_revision == MAX_REVISIONS
    with pytest.raises(WorkflowError) as refused:
        await scenario.revise(rebuttal)
    assert refused.value.code == ErrorCode.INVALID_TRANSITION
