"""SQL statements per request do not grow with the page size (no N+1)."""

from __future__ import annotations

from coordhub.db import count_statements
from tests.flows import draft_input, ok, published_rebuttal
from tests.support import GraphQLClient

FEED = """
query($first: Int!) {
  claims(first: $first) {
    edges { node {
      id summary { km en } status dueAt
      leadInstitution { slug name { km en } }
      supportingInstitutions { slug }
      appearances { url outlet }
      rebuttals {
        status revision headline { en } evidence { url }
        institution { slug }
        revisions { number headline { en } evidence { url } }
      }
    } }
    pageInfo { hasNextPage endCursor }
  }
}
"""


async def _statements(gql: GraphQLClient, first: int, as_: str | None) -> int:
    with count_statements() as counter:
        data = await gql.execute(FEED, {"first": first}, as_=as_)
    assert len(data["claims"]["edges"]) == first
    return len(counter.statements)


async def test_claims_feed_statements_do_not_grow_with_page_size(gql: GraphQLClient) -> None:
    for _ in range(50):
        claim_id, rebuttal_id = await published_rebuttal(gql)
    # A correction in progress and a second revision on the last one, for variety.
    await ok(gql, "reviseRebuttal", {"rebuttalId": rebuttal_id}, as_="health_editor")
    await ok(gql, "draftRebuttal", draft_input(claim_id), as_="education_editor")

    for as_ in (None, "observer", "health_editor"):
        small = await _statements(gql, 5, as_)
        large = await _statements(gql, 50, as_)
        print(f"statements for {as_ or 'public'}: first=5 -> {small}, first=50 -> {large}")
        assert small == large, as_
