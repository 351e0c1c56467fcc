"""Near-duplicate claims: the normal form, the score on both databases, possibleDuplicates and
similarClaims over GraphQL, and what a caller may not read never suggested."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tortoise import connections

from coordhub.db import count_statements
from coordhub.similarity import normalise, similarity, trigrams
from coordhub.workflow.duplicates import THRESHOLD
from tests.flows import published_rebuttal, report_input
from tests.support import GraphQLClient

PAIRS = Path(__file__).parents[1] / "bench" / "duplicates.jsonl"

REPORT = """
mutation($input: ReportClaimInput!, $first: Int!) {
  reportClaim(input: $input) {
    claim { id }
    possibleDuplicates(first: $first) { score claim { id summary { en } } }
    errors { code }
  }
}
"""
SIMILAR = """
query($id: ID!) {
  node(id: $id) { ... on Claim { similarClaims(first: 3) { score claim { id } } } }
}
"""
KM = "សាលារៀនទាំងអស់នឹងបិទរយៈពេល ៣ សប្តាហ៍ចាប់ពីថ្ងៃច័ន្ទ"
EN = "All schools will close for three weeks starting Monday"
#: The same claim as typed elsewhere: zero-width spaces, Arabic digits, another case and stops.
KM_VARIANT = "សាលា\u200bរៀន\u200bទាំង\u200bអស់\u200bនឹង\u200bបិទ\u200bរយៈពេល 3 សប្តាហ៍ ចាប់ពីថ្ងៃច័ន្ទ។"
EN_VARIANT = "ALL schools will close for 3 weeks, starting Monday!!"
OTHER_KM = "តម្លៃអង្ករនឹងឡើងថ្លៃទ្វេដងនៅខែក្រោយ"
OTHER_EN = "The price of rice will double next month"

khmer = st.text(
    alphabet=st.sampled_from(
        [chr(c) for c in range(0x1780, 0x17DE)] + [chr(c) for c in range(0x17E0, 0x17EA)]
    ),
    max_size=40,
)
texts = st.one_of(khmer, st.text(max_size=40), st.lists(khmer, max_size=5).map(" ".join))
invisible = st.sampled_from(["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"])


@given(texts)
def test_the_normal_form_is_a_fixed_point(text: str) -> None:
    assert normalise(normalise(text)) == normalise(text)


@given(texts, st.lists(st.tuples(st.integers(min_value=0), invisible), max_size=5))
def test_zero_width_characters_change_nothing(text: str, inserts: list[tuple[int, str]]) -> None:
    spaced = text
    for position, char in inserts:
        at = position % (len(spaced) + 1)
        spaced = spaced[:at] + char + spaced[at:]
    assert normalise(spaced) == normalise(text)


@given(st.integers(min_value=0, max_value=10**9))
def test_khmer_digits_are_arabic_ones(number: int) -> None:
    khmer_digits = str(number).translate({ord(d): 0x17E0 + int(d) for d in "0123456789"})
    assert normalise(f"ថ្ងៃទី {khmer_digits}") == normalise(f"ថ្ងៃទី {number}")


@given(texts, st.sampled_from([" ", "  ", "\t", ", ", "។ ", "! ", "\n"]))
def test_case_punctuation_and_spacing_are_evened_out(text: str, gap: str) -> None:
    assert normalise(text.upper() + gap + text) == normalise(text.lower() + " " + text)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("ស្ត្រី", "ស្រ្តី"),  # coeng TA and coeng RO in either order
        ("ក្រ្កាប", "ក្ក្រាប"),
        ("ប៉ា", "បា៉"),  # register shifter before or after the vowel
        ("ក្រសួង", "ក្រ\u200bសួង"),
    ],
)
def test_khmer_spelling_variants_share_a_normal_form(one: str, other: str) -> None:
    assert normalise(one) == normalise(other)


@given(texts, texts)
def test_the_score_is_symmetric_and_between_0_and_1(a: str, b: str) -> None:
    a, b = normalise(a), normalise(b)
    assert similarity(a, b) == similarity(b, a)
    assert 0.0 <= similarity(a, b) <= 1.0
    if trigrams(a):
        assert similarity(a, a) == 1.0


def _pairs() -> list[dict[str, Any]]:
    return [json.loads(line) for line in PAIRS.read_text(encoding="utf-8").splitlines()]


def test_the_labelled_set_is_large_and_varied() -> None:
    pairs = _pairs()
    kinds = {(p["lang"], p["kind"]) for p in pairs}
    assert len(pairs) >= 200
    assert {p["lang"] for p in pairs} == {"km", "en"}
    assert {("km", "zero-width"), ("km", "digits"), ("km", "reordered"), ("en", "dropped")} <= kinds
    assert sum(not p["duplicate"] for p in pairs) >= 50


@pytest.mark.postgres_only
async def test_postgres_similarity_agrees_with_the_python_score(db: None) -> None:
    """What the threshold means on PostgreSQL (pg_trgm's similarity) is what it means on
    SQLite (coordhub.similarity), on every pair of the labelled set."""
    client = connections.get("default")
    pairs = [(normalise(p["a"]), normalise(p["b"])) for p in _pairs()]
    worst = 0.0
    for a, b in pairs:
        rows = await client.execute_query_dict("SELECT similarity($1, $2) AS s", [a, b])
        worst = max(worst, abs(rows[0]["s"] - similarity(a, b)))
    assert worst < 1e-6


async def report(
    gql: GraphQLClient, km: str, en: str, *, as_: str = "reporter", first: int = 10
) -> dict[str, Any]:
    variables = {"input": report_input(km=km, en=en), "first": first}
    data = await gql.execute(REPORT, variables, as_=as_)
    payload = data["reportClaim"]
    assert payload["errors"] == []
    return payload


async def test_report_claim_suggests_the_same_claim_typed_another_way(gql: GraphQLClient) -> None:
    first = await report(gql, KM, EN)
    await report(gql, OTHER_KM, OTHER_EN)

    again = await report(gql, KM_VARIANT, EN_VARIANT)

    suggested = again["possibleDuplicates"]
    assert [s["claim"]["id"] for s in suggested] == [first["claim"]["id"]]
    assert THRESHOLD <= suggested[0]["score"] <= 1


async def test_suggestions_are_ranked_by_score(gql: GraphQLClient) -> None:
    exact = await report(gql, KM, EN)
    shorter = await report(gql, KM[:30], "All schools will close")

    payload = await report(gql, KM, EN, first=5)

    ranked = payload["possibleDuplicates"]
    assert [s["claim"]["id"] for s in ranked] == [exact["claim"]["id"], shorter["claim"]["id"]]
    assert ranked[0]["score"] == 1.0 > ranked[1]["score"]


async def test_claims_the_caller_may_not_read_are_never_suggested(gql: GraphQLClient) -> None:
    hidden = await report(gql, KM, EN, as_="reporter2")  # only reporter2 and operators read it

    as_reporter = await report(gql, KM, EN, as_="reporter")
    as_editor = await report(gql, KM, EN, as_="interior_editor")
    as_coordinator = await report(gql, KM, EN, as_="coordinator")

    assert as_reporter["possibleDuplicates"] == []
    assert as_editor["possibleDuplicates"] == []
    suggested = {s["claim"]["id"] for s in as_coordinator["possibleDuplicates"]}
    assert hidden["claim"]["id"] in suggested


async def test_public_claims_and_ones_own_are_suggested(gql: GraphQLClient) -> None:
    public_claim, _ = await published_rebuttal(gql)  # the sample claim, reported by `reporter`
    own = await report(gql, KM, EN, as_="reporter2")

    payload = await report(gql, *_sample_summary(), as_="reporter2")
    mine = await report(gql, KM_VARIANT, EN_VARIANT, as_="reporter2")

    assert [s["claim"]["id"] for s in payload["possibleDuplicates"]] == [public_claim]
    assert own["claim"]["id"] in {s["claim"]["id"] for s in mine["possibleDuplicates"]}


def _sample_summary() -> tuple[str, str]:
    summary = report_input()["summary"]
    return summary["km"], summary["en"]


async def test_similar_claims_are_for_the_coordinator(gql: GraphQLClient) -> None:
    first = await report(gql, KM, EN)
    second = await report(gql, KM_VARIANT, EN_VARIANT)
    await report(gql, OTHER_KM, OTHER_EN)
    claim_id = first["claim"]["id"]

    data = await gql.execute(SIMILAR, {"id": claim_id}, as_="coordinator")
    assert [s["claim"]["id"] for s in data["node"]["similarClaims"]] == [second["claim"]["id"]]
    for who in ("observer", "reporter"):
        data = await gql.execute(SIMILAR, {"id": claim_id}, as_=who)
        assert data["node"]["similarClaims"] is None, who


async def test_possible_duplicates_cost_one_statement_however_many_match(
    gql: GraphQLClient,
) -> None:
    async def statements() -> tuple[int, int]:
        with count_statements() as counter:
            payload = await report(gql, KM, EN, as_="coordinator")
        return len(counter.statements), len(payload["possibleDuplicates"])

    await report(gql, KM, EN)
    one = await statements()
    for n in range(8):
        await report(gql, f"{KM} {n}", f"{EN} {n}")
    many = await statements()
    assert one[1] == 1 and many[1] == 10
    assert one[0] == many[0]


async def test_the_migration_fills_the_normal_forms_of_claims_already_there(
    tmp_path: Path,
) -> None:
    """0017 on a database with claims: their normal forms filled; back to 0016 and forward
    again on SQLite keeps the text search triggers (the column is dropped in place)."""
    from tortoise.context import TortoiseContext
    from tortoise.migrations.api.migrate import migrate as migrate_api

    from coordhub.db import tortoise_config

    url = f"sqlite://{tmp_path / 'x.db'}"
    async with TortoiseContext():
        await migrate_api(config=tortoise_config(url), target="models.0016_appearance_added_event")
    async with TortoiseContext() as ctx:
        await ctx.init(config=tortoise_config(url))
        await ctx.connections.get("default").execute_script(
            "INSERT INTO claim (summary_km, summary_en, topic, status, priority, first_seen_at,"
            " public, search_text, created_at, updated_at) VALUES"
            f" ('{KM_VARIANT}', '{EN_VARIANT}', 't', 'REPORTED', 'NORMAL', '2026-01-01', 0, 'x',"
            " '2026-01-01', '2026-01-01')"
        )
    for target in (None, "models.0016_appearance_added_event", None):
        async with TortoiseContext():
            await migrate_api(config=tortoise_config(url), target=target)
    async with TortoiseContext() as ctx:
        await ctx.init(config=tortoise_config(url))
        client = ctx.connections.get("default")
        rows = await client.execute_query_dict("SELECT similar_km, similar_en FROM claim")
        triggers = await client.execute_query_dict(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'claim_search%'"
        )
    assert rows == [{"similar_km": normalise(KM_VARIANT), "similar_en": normalise(EN_VARIANT)}]
    assert len(triggers) == 6
