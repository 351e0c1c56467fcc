"""Dismissal reasons: each defined in public, in the schema and on the about page, and usable."""

from __future__ import annotations

import httpx
import pytest
from lxml import html

from coordhub.models import DismissalReason
from coordhub.public.texts import DISMISSAL_REASONS
from coordhub.schema import create_schema
from coordhub.settings import Settings
from tests.flows import ok, reported_claim
from tests.support import GraphQLClient


def test_every_reason_has_a_public_definition_in_the_schema_and_on_the_about_page() -> None:
    enum = create_schema(Settings())._schema.type_map["DismissalReason"]
    described = {name: value.description for name, value in enum.values.items()}
    assert set(described) == {reason.value for reason in DismissalReason}
    assert set(DISMISSAL_REASONS) == set(described)
    for reason, definition in described.items():
        assert definition, reason
        # One definition: the schema's is the about page's English one.
        assert definition == DISMISSAL_REASONS[reason]["en"][1], reason
        assert DISMISSAL_REASONS[reason]["km"][1], reason
    assert {"OPINION", "SATIRE", "NOT_VERIFIABLE", "OUT_OF_SCOPE"} <= set(described)


@pytest.mark.parametrize("reason", ["OPINION", "SATIRE", "NOT_VERIFIABLE"])
async def test_a_claim_dismissed_as_opinion_satire_or_unverifiable_shows_it_in_public(
    gql: GraphQLClient, http: httpx.AsyncClient, reason: str
) -> None:
    claim_id = await reported_claim(gql)
    note = {"km": "នេះជាមតិ", "en": "A columnist's view of the budget."}
    await ok(
        gql,
        "dismissClaim",
        {"claimId": claim_id, "reason": reason, "note": note},
        as_="coordinator",
    )

    data = await gql.execute(
        "query($id: ID!) { node(id: $id) { ... on Claim { status dismissal { reason } } } }",
        {"id": claim_id},
    )
    assert data["node"] == {"status": "DISMISSED", "dismissal": {"reason": reason}}
    for language in ("en", "km"):
        document = html.fromstring((await http.get(f"/{language}/dismissed")).text)
        label = DISMISSAL_REASONS[reason][language][0]
        assert label in document.text_content(), (language, reason)
