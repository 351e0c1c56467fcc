"""A claim seen again: addAppearance, and mergeClaim moving a duplicate's appearances."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from strawberry.relay import GlobalID

from coordhub.models import Appearance, Event, EventType
from coordhub.workflow.inputs import MAX_APPEARANCES_PER_CLAIM
from tests.flows import ok, published_rebuttal, reported_claim, triaged_claim
from tests.support import GraphQLClient

ADD = """
mutation($input: AddAppearanceInput!) {
  addAppearance(input: $input) {
    claim { id firstSeenAt appearances { url outlet seenAt } }
    appearance { url outlet seenAt }
    added
    errors { code field message }
  }
}
"""
APPEARANCES = """
query($id: ID!) { node(id: $id) { ... on Claim { firstSeenAt appearances { url outlet seenAt } } } }
"""
#: The sample claim's one appearance (tests.flows' report), as GraphQL gives it back.
SAMPLE_URL = "https://social.example/p/1"


def seen_again(claim_id: str, url: str = "https://t.me/freshnews/77", **overrides: Any) -> dict:
    return {
        "claimId": claim_id,
        "url": url,
        "outlet": "Telegram",
        "seenAt": "2026-11-22T09:30:00+07:00",
        **overrides,
    }


async def add(gql: GraphQLClient, input: dict[str, Any], *, as_: str | None) -> dict[str, Any]:
    return (await gql.execute(ADD, {"input": input}, as_=as_))["addAppearance"]


async def appearances(gql: GraphQLClient, claim_id: str) -> list[dict[str, Any]]:
    data = await gql.execute(APPEARANCES, {"id": claim_id}, as_="coordinator")
    return data["node"]["appearances"]


async def test_a_claim_seen_again_gets_an_appearance_and_an_event(gql: GraphQLClient) -> None:
    claim_id = await reported_claim(gql)

    payload = await add(
        gql, seen_again(claim_id, "https://t.me/freshnews/77?utm_source=share"), as_="reporter"
    )

    assert payload["errors"] == []
    assert payload["added"] is True
    assert payload["appearance"] == {
        "url": "https://t.me/freshnews/77",  # tracking parameters stripped, as on report
        "outlet": "Telegram",
        "seenAt": "2026-11-22T02:30:00+00:00",
    }
    assert [a["url"] for a in payload["claim"]["appearances"]] == [
        SAMPLE_URL,
        "https://t.me/freshnews/77",
    ]
    events = await Event.filter(type=EventType.CLAIM_APPEARANCE_ADDED)
    assert len(events) == 1
    assert events[0].payload["url"] == "https://t.me/freshnews/77"
    assert events[0].public is False  # the claim is not public yet


async def test_the_same_address_again_is_answered_without_a_new_row(gql: GraphQLClient) -> None:
    claim_id = await reported_claim(gql)
    first = await add(gql, seen_again(claim_id), as_="reporter")
    before = await Event.all().count()

    # The same address once cleaned: a tracking parameter, another outlet spelling, a later time.
    again = await add(
        gql,
        seen_again(
            claim_id,
            "https://t.me/freshnews/77?fbclid=abc",
            outlet="telegram",
            seenAt="2026-11-23T10:00:00+07:00",
        ),
        as_="coordinator",
    )

    assert again["errors"] == []
    assert again["added"] is False
    assert again["appearance"] == first["appearance"]
    assert await Appearance.filter(url="https://t.me/freshnews/77").count() == 1
    assert await Event.all().count() == before


async def test_an_earlier_sighting_moves_first_seen_back(gql: GraphQLClient) -> None:
    claim_id = await reported_claim(gql)  # first seen 2026-11-20T01:00Z
    payload = await add(
        gql, seen_again(claim_id, seenAt="2026-11-19T07:00:00+07:00"), as_="reporter"
    )
    assert payload["claim"]["firstSeenAt"] == "2026-11-19T00:00:00+00:00"
    assert payload["claim"]["appearances"][0]["url"] == "https://t.me/freshnews/77"


@pytest.mark.parametrize(
    ("field", "value", "path"),
    [
        ("url", "https://www.facebook.com/sok.dara", "url"),
        ("url", "ftp://files.example/x", "url"),
        ("outlet", "Sok Dara, +855 12 345 678", "outlet"),
        ("outlet", "dara@example.com", "outlet"),
        ("seenAt", "2026-11-22T09:30:00", "seenAt"),
    ],
)
async def test_personal_data_and_bad_input_are_refused_as_on_report(
    gql: GraphQLClient, field: str, value: str, path: str
) -> None:
    claim_id = await reported_claim(gql)
    before = await Appearance.all().count(), await Event.all().count()

    payload = await add(gql, seen_again(claim_id, **{field: value}), as_="reporter")

    assert [(e["code"], e["field"]) for e in payload["errors"]] == [("INVALID", path)]
    assert payload["claim"] is None and payload["added"] is False
    assert (await Appearance.all().count(), await Event.all().count()) == before


async def test_who_may_add_an_appearance(gql: GraphQLClient) -> None:
    claim_id = await triaged_claim(gql)  # reported by `reporter`, led by health, education supports

    allowed = ["reporter", "coordinator", "health_editor", "health_approver", "education_editor"]
    for n, who in enumerate(allowed):
        payload = await add(gql, seen_again(claim_id, f"https://news.example/a/{n}"), as_=who)
        assert payload["errors"] == [], who
        assert payload["added"] is True, who

    codes = {}
    for who in ("interior_editor", "observer", "service", "reporter2", None):
        payload = await add(gql, seen_again(claim_id, "https://news.example/refused"), as_=who)
        codes[who] = payload["errors"][0]["code"]
    assert codes == {
        "interior_editor": "NOT_FOUND",  # cannot read it: indistinguishable from no claim
        "observer": "FORBIDDEN",
        "service": "FORBIDDEN",
        "reporter2": "NOT_FOUND",
        None: "UNAUTHENTICATED",
    }
    assert await Appearance.filter(url="https://news.example/refused").count() == 0


async def test_another_institution_may_not_add_to_a_public_claim(gql: GraphQLClient) -> None:
    claim_id, _ = await published_rebuttal(gql)

    refused = await add(gql, seen_again(claim_id), as_="interior_editor")
    reporter = await add(gql, seen_again(claim_id), as_="reporter2")

    assert refused["errors"][0]["code"] == "FORBIDDEN"
    assert reporter["errors"] == []
    event = await Event.get(type=EventType.CLAIM_APPEARANCE_ADDED)
    assert event.public is True  # the claim, and so its appearances, are public


async def test_a_merged_claim_refuses_and_names_the_surviving_one(gql: GraphQLClient) -> None:
    original = await reported_claim(gql)
    duplicate = await reported_claim(gql, en="Same rumour, again")
    await ok(gql, "mergeClaim", {"claimId": duplicate, "intoClaimId": original}, as_="coordinator")

    payload = await add(gql, seen_again(duplicate), as_="reporter")

    assert payload["errors"][0]["code"] == "INVALID_TRANSITION"
    assert original in payload["errors"][0]["message"]


async def test_a_claim_keeps_at_most_its_cap_of_appearances(gql: GraphQLClient) -> None:
    claim_id = await reported_claim(gql)
    await Appearance.bulk_create(
        [
            Appearance(
                claim_id=int(GlobalID.from_id(claim_id).node_id),
                url=f"https://news.example/{n}",
                outlet="News",
                seen_at=datetime(2026, 11, 21, tzinfo=UTC),
            )
            for n in range(MAX_APPEARANCES_PER_CLAIM - 1)
        ]
    )
    payload = await add(gql, seen_again(claim_id), as_="reporter")
    assert payload["errors"][0]["code"] == "CONFLICT"
    known = await add(gql, seen_again(claim_id, "https://news.example/3"), as_="reporter")
    assert known["errors"] == [] and known["added"] is False


async def test_merge_moves_appearances_one_per_address(gql: GraphQLClient) -> None:
    original = await reported_claim(gql)
    duplicate = await reported_claim(gql, en="Same rumour, again")
    await add(gql, seen_again(original, "https://news.example/both"), as_="reporter")
    # The same address on the duplicate, seen earlier; and one the original lacks.
    await add(
        gql,
        seen_again(
            duplicate, "https://news.example/both?utm_medium=x", seenAt="2026-11-18T08:00:00+07:00"
        ),
        as_="reporter",
    )
    await add(gql, seen_again(duplicate, "https://news.example/only-dup"), as_="reporter")

    await ok(gql, "mergeClaim", {"claimId": duplicate, "intoClaimId": original}, as_="coordinator")

    surviving = await gql.execute(APPEARANCES, {"id": original}, as_="coordinator")
    kept = surviving["node"]["appearances"]
    assert sorted(a["url"] for a in kept) == [
        "https://news.example/both",
        "https://news.example/only-dup",
        SAMPLE_URL,  # on both claims (the sample report's): kept once
    ]
    both = next(a for a in kept if a["url"] == "https://news.example/both")
    assert both["seenAt"] == "2026-11-18T01:00:00+00:00"  # the earlier sighting
    assert surviving["node"]["firstSeenAt"] == "2026-11-18T01:00:00+00:00"
    assert await appearances(gql, duplicate) == []
    merged = await Event.get(type=EventType.CLAIM_MERGED)
    assert merged.payload["appearancesMoved"] == 1


async def test_a_refused_merge_moves_nothing(gql: GraphQLClient) -> None:
    original = await reported_claim(gql)
    duplicate = await reported_claim(gql, en="Same rumour, again")
    await add(gql, seen_again(duplicate), as_="reporter")
    await ok(gql, "dismissClaim", _dismissal(original), as_="coordinator")

    payload = await gql.mutate(
        "mergeClaim", {"claimId": duplicate, "intoClaimId": original}, as_="coordinator"
    )

    assert payload["errors"][0]["code"] == "INVALID_TRANSITION"
    assert len(await appearances(gql, duplicate)) == 2


def _dismissal(claim_id: str) -> dict[str, Any]:
    return {
        "claimId": claim_id,
        "reason": "ACCURATE",
        "note": {"km": "ត្រឹមត្រូវ", "en": "Accurate."},
    }
