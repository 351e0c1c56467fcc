"""Claim clusters: the coordinator links related claims without merging them, each desk reads
the linked claims it may read, a cluster may be triaged at once, and a bad link changes
nothing."""

from __future__ import annotations

from typing import Any

import pytest

from coordhub.db import count_statements
from coordhub.models import Claim, ClaimCluster, Event, EventType
from coordhub.workflow.clusters import MAX_CLUSTER
from tests.flows import ok, reported_claim, triaged_claim
from tests.support import GraphQLClient, number

LINKED = """
query($id: ID!) { node(id: $id) { ... on Claim { id linkedClaims { id } } } }
"""
NOTE = {"km": "មិនមែនជាព័ត៌មាន", "en": "Not news."}


async def link(gql: GraphQLClient, *claims: str, as_: str = "coordinator") -> dict[str, Any]:
    data = await gql.execute(
        "mutation($input: LinkClaimsInput!) { linkClaims(input: $input) { "
        "claims { id linkedClaims { id } } errors { code field message } } }",
        {"input": {"claimIds": list(claims)}},
        as_=as_,
    )
    return data["linkClaims"]


async def linked(gql: GraphQLClient, claim_id: str, as_: str | None) -> list[str] | None:
    node = (await gql.execute(LINKED, {"id": claim_id}, as_=as_))["node"]
    if node is None:
        return None
    found = node["linkedClaims"]
    return None if found is None else sorted(c["id"] for c in found)


async def triage(gql: GraphQLClient, claim_id: str, lead: str) -> None:
    triage = {"claimId": claim_id, "lead": lead, "priority": "NORMAL"}
    await ok(gql, "triageClaim", triage, as_="coordinator")


async def test_linked_claims_keep_their_own_lead_and_each_desk_reads_what_it_may(
    gql: GraphQLClient,
) -> None:
    health, interior, untriaged = [await reported_claim(gql) for _ in range(3)]
    await triage(gql, health, "health")
    await triage(gql, interior, "interior")
    payload = await link(gql, health, interior, untriaged)
    assert payload["errors"] == []
    assert [c["id"] for c in payload["claims"]] == [health, interior, untriaged]
    assert sorted(payload["claims"][0]["linkedClaims"][i]["id"] for i in range(2)) == sorted(
        [interior, untriaged]
    )

    assert await linked(gql, health, "coordinator") == sorted([interior, untriaged])
    assert await linked(gql, health, "observer") == sorted([interior, untriaged])
    assert await linked(gql, health, "health_editor") == []  # the others are not its to read
    assert await linked(gql, interior, "interior_editor") == []
    assert await linked(gql, untriaged, "reporter") is None  # it reported it; no cluster view
    assert await linked(gql, health, None) is None  # not public, so not found at all

    statuses = {c.id: c.status for c in await Claim.all()}
    assert statuses[number(health)] == "TRIAGED"  # nothing merged, nothing triaged anew
    assert statuses[number(untriaged)] == "REPORTED"
    events = await Event.filter(type=EventType.CLAIM_LINKED)
    assert sorted(e.claim_id for e in events) == sorted(map(number, [health, interior, untriaged]))
    assert not any(e.public for e in events)
    assert await ClaimCluster.all().count() == 1


async def test_linking_across_clusters_joins_them_and_unlinking_dissolves_what_is_left(
    gql: GraphQLClient,
) -> None:
    a, b, c, d = [await reported_claim(gql) for _ in range(4)]
    await link(gql, a, b)
    await link(gql, c, d)
    assert await ClaimCluster.all().count() == 2
    joined = await link(gql, b, c)
    assert joined["errors"] == []
    assert await linked(gql, a, "coordinator") == sorted([b, c, d])
    assert await ClaimCluster.all().count() == 1

    out = await gql.mutate("unlinkClaim", {"claimId": a}, as_="coordinator")
    assert out["errors"] == []
    assert await linked(gql, a, "coordinator") == []
    assert await linked(gql, b, "coordinator") == sorted([c, d])
    await ok(gql, "unlinkClaim", {"claimId": b}, as_="coordinator")
    await ok(gql, "unlinkClaim", {"claimId": c}, as_="coordinator")  # d is left alone: dissolved
    assert await linked(gql, d, "coordinator") == []
    assert await ClaimCluster.all().count() == 0
    again = await gql.mutate("unlinkClaim", {"claimId": d}, as_="coordinator")
    assert [e["code"] for e in again["errors"]] == ["INVALID_TRANSITION"]


async def test_a_cluster_is_triaged_at_once_leaving_closed_claims_alone(
    gql: GraphQLClient,
) -> None:
    first, second = await reported_claim(gql), await triaged_claim(gql)
    closed = await reported_claim(gql)
    await link(gql, first, second, closed)
    dismissal = {"claimId": closed, "reason": "NOT_NEWS", "note": NOTE}
    await ok(gql, "dismissClaim", dismissal, as_="coordinator")
    data = await gql.execute(
        "mutation($input: TriageClaimInput!) { triageCluster(input: $input) { "
        "claims { id status leadInstitution { slug } dueAt } errors { code field } } }",
        {
            "input": {
                "claimId": second,
                "lead": "education",
                "supporting": ["health"],
                "priority": "CRITICAL",
            }
        },
        as_="coordinator",
    )
    payload = data["triageCluster"]
    assert payload["errors"] == []
    assert [c["id"] for c in payload["claims"]] == [second, first]
    assert {c["leadInstitution"]["slug"] for c in payload["claims"]} == {"education"}
    assert len({c["dueAt"] for c in payload["claims"]}) == 1
    assert all(c["status"] == "TRIAGED" for c in payload["claims"])
    assert (await Claim.get(id=number(closed))).status == "DISMISSED"
    triaged = await Event.filter(type=EventType.CLAIM_TRIAGED, claim_id__in=[number(first)])
    assert [sorted(e.institutions) for e in triaged] == [["education", "health"]]


@pytest.mark.parametrize(
    ("case", "as_", "code", "field"),
    [
        ("two claims", "health_editor", "FORBIDDEN", None),
        ("two claims", None, "UNAUTHENTICATED", None),
        ("one claim", "coordinator", "INVALID", "claimIds"),
        ("the same claim twice", "coordinator", "INVALID", "claimIds"),
        ("too many", "coordinator", "INVALID", "claimIds"),
        ("an unknown claim", "coordinator", "NOT_FOUND", "claimIds"),
        ("a merged claim", "coordinator", "INVALID_TRANSITION", None),
        ("not a claim id", "coordinator", "INVALID", "claimIds"),
    ],
)
async def test_a_bad_link_is_explained_and_changes_nothing(
    gql: GraphQLClient, case: str, as_: str | None, code: str, field: str | None
) -> None:
    a, b = await reported_claim(gql), await reported_claim(gql)
    claims = {
        "two claims": [a, b],
        "one claim": [a],
        "the same claim twice": [a, a],
        "too many": [a, b] * MAX_CLUSTER,
        "an unknown claim": [a, "Q2xhaW06OTk5OTk="],  # Claim:99999
        "a merged claim": [a, b],
        "not a claim id": [a, "UmVidXR0YWw6MQ=="],  # Rebuttal:1
    }[case]
    if case == "a merged claim":
        await ok(gql, "mergeClaim", {"claimId": b, "intoClaimId": a}, as_="coordinator")
    events = await Event.all().count()
    payload = await link(gql, *claims, as_=as_) if as_ else None
    if payload is None:
        response = await gql.post(
            "mutation($input: LinkClaimsInput!) { linkClaims(input: $input) { "
            "errors { code field message } } }",
            {"input": {"claimIds": claims}},
        )
        payload = response.json()["data"]["linkClaims"]
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [(code, field)]
    assert payload["errors"][0]["message"]
    assert await Event.all().count() == events
    assert await ClaimCluster.all().count() == 0


async def test_linked_claims_of_a_page_cost_a_constant_number_of_statements(
    gql: GraphQLClient,
) -> None:
    claims = [await reported_claim(gql) for _ in range(12)]
    for pair in range(0, 12, 2):
        await link(gql, claims[pair], claims[pair + 1])
    query = "query($n: Int) { claims(first: $n) { edges { node { id linkedClaims { id } } } } }"

    async def statements(first: int) -> int:
        with count_statements() as counter:
            data = await gql.execute(query, {"n": first}, as_="coordinator")
        assert len(data["claims"]["edges"]) == first
        assert all(len(e["node"]["linkedClaims"]) == 1 for e in data["claims"]["edges"])
        return len(counter.statements)

    await statements(2)  # the first request of a process warms caches
    assert await statements(4) == await statements(12)
