"""The workflow on PostgreSQL: same migrations, and locking under concurrent calls."""

from __future__ import annotations

import asyncio

import pytest

from coordhub.models import Event
from tests.flows import approved_rebuttal, ok, report_input
from tests.support import GraphQLClient

# conftest's fixtures give these tests PostgreSQL in every run (tests/databases.py).
pytestmark = pytest.mark.postgres_only


async def test_a_rebuttal_is_published_once_when_two_editors_race(gql: GraphQLClient) -> None:
    _, rebuttal_id = await approved_rebuttal(gql)
    publish = {"rebuttalId": rebuttal_id}

    results = await asyncio.gather(
        gql.mutate("publishRebuttal", publish, as_="health_editor"),
        gql.mutate("publishRebuttal", publish, as_="health_editor2"),
    )

    succeeded = [r for r in results if not r["errors"]]
    refused = [r for r in results if r["errors"]]
    assert len(succeeded) == 1
    assert refused[0]["errors"][0]["code"] == "INVALID_TRANSITION"
    data = await gql.execute(
        "query($id: ID!) { node(id: $id) { ... on Rebuttal { revisions { number } } } }",
        {"id": rebuttal_id},
    )
    assert data["node"]["revisions"] == [{"number": 1}]


async def test_concurrent_writers_get_gapless_commit_ordered_event_numbers(
    gql: GraphQLClient,
) -> None:
    await asyncio.gather(
        *(ok(gql, "reportClaim", report_input(en=f"claim {i}"), as_="reporter") for i in range(20))
    )
    seqs = [e.seq for e in await Event.all().order_by("seq")]
    assert seqs == list(range(1, 21))


async def test_khmer_search_works_on_postgres(gql: GraphQLClient) -> None:
    await ok(gql, "reportClaim", report_input(), as_="reporter")
    data = await gql.execute(
        '{ claims(filter: { text: "វ៉ាក់សាំងបង្ក" }) { edges { node { status } } } }',
        as_="observer",
    )
    assert data["claims"]["edges"] == [{"node": {"status": "REPORTED"}}]
