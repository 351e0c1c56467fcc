"""Bad input of every kind gets a typed error or a 4xx, never a 500 or a stack trace."""

from __future__ import annotations

import unicodedata

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coordhub.app import create_app
from coordhub.settings import Settings
from tests.flows import published_rebuttal, report_input
from tests.support import GraphQLClient

GRAPHQL_RESPONSE = "application/graphql-response+json"


async def test_malformed_json_is_a_400(http: httpx.AsyncClient) -> None:
    response = await http.post(
        "/graphql", content=b'{"query": "{ viewer', headers={"content-type": "application/json"}
    )
    assert response.status_code == 400


async def test_a_document_that_fails_validation_is_400_for_graphql_response_clients(
    http: httpx.AsyncClient,
) -> None:
    response = await http.post(
        "/graphql",
        json={"query": "{ noSuchField }"},
        headers={"accept": GRAPHQL_RESPONSE},
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == GRAPHQL_RESPONSE
    assert "data" not in response.json()
    assert "noSuchField" in response.json()["errors"][0]["message"]


async def test_an_execution_error_is_200_with_data_for_graphql_response_clients(
    http: httpx.AsyncClient,
) -> None:
    response = await http.post(
        "/graphql",
        json={"query": "{ claims(first: 500) { edges { cursor } } }"},
        headers={"accept": GRAPHQL_RESPONSE},
    )
    assert response.status_code == 200
    assert response.json()["data"] is None
    assert response.json()["errors"][0]["extensions"]["code"] == "INVALID"


async def test_plain_json_clients_get_validation_errors_with_200(http: httpx.AsyncClient) -> None:
    response = await http.post("/graphql", json={"query": "{ noSuchField }"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["errors"]


async def test_graphql_response_clients_get_that_media_type_on_success(
    http: httpx.AsyncClient,
) -> None:
    response = await http.post(
        "/graphql",
        json={"query": "{ institutions { slug } }"},
        headers={"accept": GRAPHQL_RESPONSE},
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == GRAPHQL_RESPONSE


async def test_unparseable_document_is_400_for_graphql_response_clients(
    http: httpx.AsyncClient,
) -> None:
    response = await http.post(
        "/graphql", json={"query": "{ claims("}, headers={"accept": GRAPHQL_RESPONSE}
    )
    assert response.status_code == 400
    assert "Syntax Error" in response.json()["errors"][0]["message"]


async def test_no_mutations_over_get(http: httpx.AsyncClient) -> None:
    response = await http.get(
        "/graphql",
        params={
            "query": 'mutation { submitRebuttal(input: {rebuttalId: "x"}) { errors { code } } }'
        },
        headers={"accept": "application/json"},
    )
    assert response.status_code == 405


async def test_queries_over_get_work(gql: GraphQLClient) -> None:
    response = await gql.http.get(
        "/graphql",
        params={"query": "{ institutions { slug } }"},
        headers={"accept": "application/json"},
    )
    assert response.status_code == 200
    assert {"slug": "health"} in response.json()["data"]["institutions"]


async def test_oversize_body_is_413(http: httpx.AsyncClient) -> None:
    response = await http.post(
        "/graphql", json={"query": "{ viewer { name } }", "x": "a" * 300_000}
    )
    assert response.status_code == 413


async def test_wrong_variable_types_are_explained(gql: GraphQLClient) -> None:
    response = await gql.post(
        "query($n: Int) { claims(first: $n) { edges { cursor } } }", {"n": "many"}
    )
    assert response.status_code == 200
    assert "Int cannot represent" in response.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        (
            "{ claims { edges { node { rebuttals { claim { rebuttals { claim { rebuttals { claim "
            "{ rebuttals { claim { rebuttals { claim { id } } } } } } } } } } } } } }",
            "depth",
        ),
        ("{ " + " ".join(f"a{i}: viewer {{ name }}" for i in range(40)) + " }", "aliases"),
        ("{ viewer { " + "name " * 2100 + "} }", "token"),
    ],
    ids=["deep", "aliased", "long"],
)
async def test_abusive_documents_are_refused(gql: GraphQLClient, query: str, fragment: str) -> None:
    response = await gql.post(query)
    body = response.json()
    assert response.status_code in (200, 400)
    assert body.get("data") is None
    assert fragment in body["errors"][0]["message"].lower()


async def test_page_size_is_capped(gql: GraphQLClient) -> None:
    body = (await gql.post("{ claims(first: 101) { edges { cursor } } }")).json()
    assert body["errors"][0]["extensions"]["code"] == "INVALID"
    assert body["data"] is None


async def test_a_foreign_cursor_is_invalid(gql: GraphQLClient) -> None:
    body = (await gql.post('{ claims(after: "bm90LWEtY3Vyc29y") { edges { cursor } } }')).json()
    assert body["errors"][0]["extensions"] == {"code": "INVALID", "field": "after"}


async def test_node_with_garbage_id_is_null(gql: GraphQLClient) -> None:
    data = await gql.execute('{ a: node(id: "garbage") { id } b: node(id: "SW5zdDox") { id } }')
    assert data == {"a": None, "b": None}


@pytest.mark.parametrize(
    ("claim_id", "code"),
    [("not-an-id", "INVALID"), ("Q2xhaW06OTk5OTk=", "NOT_FOUND"), ("UmVidXR0YWw6MQ==", "INVALID")],
    ids=["garbage", "absent", "wrong-type"],
)
async def test_bad_claim_ids_get_typed_errors(gql: GraphQLClient, claim_id: str, code: str) -> None:
    triage = {"claimId": claim_id, "lead": "health", "priority": "LOW"}
    payload = await gql.mutate("triageClaim", triage, as_="coordinator")
    assert payload["claim"] is None
    assert payload["errors"][0]["code"] == code
    assert payload["errors"][0]["field"] == "claimId"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"summary": {"km": "ក" * 4001, "en": "x"}}, "summary.km"),
        ({"summary": {"km": "  ", "en": "x"}}, "summary.km"),
        ({"topic": "Not A Tag"}, "topic"),
        (
            {
                "appearances": [
                    {"url": "javascript:alert(1)", "outlet": "x", "seenAt": "2026-11-20T08:00:00Z"}
                ]
            },
            "appearances.0.url",
        ),
        (
            {
                "appearances": [
                    {"url": "https://a.example", "outlet": "x", "seenAt": "2026-11-20T08:00:00"}
                ]
            },
            "appearances.0.seenAt",
        ),
    ],
    ids=["oversize", "blank", "topic", "url", "naive-time"],
)
async def test_bad_claim_reports_are_invalid_and_write_nothing(
    gql: GraphQLClient, change: dict, field: str
) -> None:
    payload = await gql.mutate("reportClaim", {**report_input(), **change}, as_="reporter")
    assert payload["errors"][0]["code"] == "INVALID"
    assert payload["errors"][0]["field"] == field
    counts = await gql.execute(
        "{ claims { edges { cursor } } events { edges { cursor } } }", as_="observer"
    )
    assert counts == {"claims": {"edges": []}, "events": {"edges": []}}


async def test_unexpected_errors_are_masked_and_logged(
    gql: GraphQLClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from coordhub.workflow import claims

    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(claims, "report_claim", broken)
    response = await gql.post(
        "mutation($i: ReportClaimInput!) { reportClaim(input: $i) { errors { code } } }",
        {"i": report_input()},
        as_="reporter",
    )
    assert response.status_code == 200
    assert response.json()["errors"][0]["message"] == "Unexpected error."
    assert "secret internals" not in response.text
    assert "secret internals" in caplog.text


async def test_introspection_can_be_turned_off(settings: Settings, db: None) -> None:
    update = {"environment": "development", "introspection": False}
    app = create_app(settings.model_copy(update=update), manage_database=False)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as client:
        body = (
            await client.post("/graphql", json={"query": "{ __schema { types { name } } }"})
        ).json()
    assert body["data"] is None
    assert "introspection" in body["errors"][0]["message"].lower()


@pytest.mark.parametrize(("environment", "served"), [("development", True), ("production", False)])
async def test_graphiql_and_introspection_are_on_only_in_development(
    settings: Settings, db: None, environment: str, served: bool
) -> None:
    app = create_app(
        settings.model_copy(update={"environment": environment}), manage_database=False
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as client:
        page = await client.get("/graphql", headers={"accept": "text/html"})
        schema = await client.post("/graphql", json={"query": "{ __schema { types { name } } }"})
    assert (page.status_code == 200 and "graphiql" in page.text.lower()) == served
    assert (schema.json().get("data") is not None) == served


async def test_public_mutations_are_unauthenticated(gql: GraphQLClient) -> None:
    _, rebuttal_id = await published_rebuttal(gql)
    payload = await gql.mutate("reviseRebuttal", {"rebuttalId": rebuttal_id}, as_=None)
    assert payload["errors"][0]["code"] == "UNAUTHENTICATED"


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    km=st.text(max_size=60),
    en=st.text(max_size=60),
    topic=st.text(max_size=20),
    url=st.one_of(st.text(max_size=30), st.just("https://ok.example/x")),
)
async def test_any_report_is_stored_faithfully_or_refused_with_a_typed_error(
    gql: GraphQLClient, km: str, en: str, topic: str, url: str
) -> None:
    report = {
        "summary": {"km": km, "en": en},
        "topic": topic,
        "appearances": [{"url": url, "outlet": "Platform", "seenAt": "2026-11-20T08:00:00Z"}],
    }
    response = await gql.post(
        "mutation($i: ReportClaimInput!) { reportClaim(input: $i) { "
        "claim { summary { km en } topic } errors { code field } } }",
        {"i": report},
        as_="reporter",
    )
    assert response.status_code == 200
    body = response.json()
    if "errors" in body:  # GraphQL itself refused the input (e.g. lone surrogates)
        assert body["errors"][0]["message"] != "Unexpected error."
        return
    payload = body["data"]["reportClaim"]
    if payload["errors"]:
        assert payload["errors"][0]["code"] == "INVALID"
        assert payload["claim"] is None
    else:
        nfc = unicodedata.normalize
        assert payload["claim"]["summary"] == {
            "km": nfc("NFC", km).strip(),
            "en": nfc("NFC", en).strip(),
        }
        assert payload["claim"]["topic"] == nfc("NFC", topic).strip().lower()


async def test_repeated_documents_are_validated_once(gql: GraphQLClient) -> None:
    from strawberry.extensions.validation_cache import _get_validate_cache

    cache = _get_validate_cache(1024)
    document = "{ institutions { slug } viewer { name } }"
    # Signed in: public responses would come from the response cache without validating.
    await gql.post(document, as_="observer")
    before = cache.cache_info()
    for _ in range(3):
        await gql.post(document, as_="observer")
    after = cache.cache_info()
    assert (after.hits - before.hits, after.misses - before.misses) == (3, 0)
