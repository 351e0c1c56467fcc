"""The claim-to-rebuttal workflow over GraphQL, as a front-end drives it."""

from __future__ import annotations

from tests.flows import (
    KHMER_PHRASE,
    KHMER_SUMMARY,
    draft_input,
    ok,
    published_rebuttal,
    reported_claim,
    triaged_claim,
)
from tests.support import GraphQLClient

PUBLIC_REBUTTAL = """
query($id: ID!) {
  node(id: $id) {
    ... on Rebuttal {
      status revision verdict headline { km en }
      evidence { url title { km en } note { km en } }
      revisions { number headline { en } evidence { url } }
      draft { headline { en } }
      claim { status summary { km } }
    }
  }
}
"""


async def test_a_khmer_claim_goes_from_report_to_a_public_rebuttal(gql: GraphQLClient) -> None:
    _, rebuttal_id = await published_rebuttal(gql)

    data = await gql.execute(PUBLIC_REBUTTAL, {"id": rebuttal_id})

    rebuttal = data["node"]
    assert rebuttal["status"] == "PUBLISHED"
    assert rebuttal["revision"] == 1
    assert rebuttal["verdict"] == "FALSE"
    assert rebuttal["evidence"] == [
        {
            "url": "https://who.example/hpv",
            "title": {"km": "អង្គការសុខភាពពិភពលោកអំពីវ៉ាក់សាំង HPV", "en": "WHO on HPV vaccines"},
            "note": {"km": "សុវត្ថិភាព", "en": "Safety"},
        }
    ]
    assert [r["number"] for r in rebuttal["revisions"]] == [1]
    assert rebuttal["draft"] is None
    assert rebuttal["claim"] == {"status": "REBUTTED", "summary": {"km": KHMER_SUMMARY}}


async def test_triage_sets_due_by_from_priority(gql: GraphQLClient) -> None:
    claim_id = await triaged_claim(gql)
    data = await gql.execute(
        "query($id: ID!) { node(id: $id) { ... on Claim { status priority triagedAt dueAt "
        "leadInstitution { slug } supportingInstitutions { slug } } } }",
        {"id": claim_id},
        as_="coordinator",
    )
    claim = data["node"]
    assert claim["status"] == "TRIAGED"
    assert claim["leadInstitution"] == {"slug": "health"}
    assert claim["supportingInstitutions"] == [{"slug": "education"}]
    from datetime import datetime, timedelta

    due = datetime.fromisoformat(claim["dueAt"]) - datetime.fromisoformat(claim["triagedAt"])
    assert due == timedelta(hours=24)


async def test_drafting_moves_the_claim_in_progress(gql: GraphQLClient) -> None:
    claim_id = await triaged_claim(gql)
    await ok(gql, "draftRebuttal", draft_input(claim_id), as_="health_editor")
    data = await gql.execute(
        "query($id: ID!) { node(id: $id) { ... on Claim { status } } }",
        {"id": claim_id},
        as_="coordinator",
    )
    assert data["node"]["status"] == "IN_PROGRESS"


async def test_a_correction_publishes_revision_two_while_one_stays_live(
    gql: GraphQLClient,
) -> None:
    _, rebuttal_id = await published_rebuttal(gql)
    await ok(gql, "reviseRebuttal", {"rebuttalId": rebuttal_id}, as_="health_editor")
    corrected = {"rebuttalId": rebuttal_id, "headline": {"km": "កែតម្រូវ", "en": "Corrected"}}
    await ok(gql, "updateRebuttal", corrected, as_="health_editor")

    during = (await gql.execute(PUBLIC_REBUTTAL, {"id": rebuttal_id}))["node"]
    assert during["revision"] == 1
    assert during["headline"]["en"] == "The vaccine is safe"
    assert during["draft"] is None  # the public never sees the working copy

    staff = (await gql.execute(PUBLIC_REBUTTAL, {"id": rebuttal_id}, as_="health_editor"))["node"]
    assert staff["status"] == "DRAFT"
    assert staff["draft"] == {"headline": {"en": "Corrected"}}

    await ok(gql, "submitRebuttal", {"rebuttalId": rebuttal_id}, as_="health_editor")
    review = {"rebuttalId": rebuttal_id, "decision": "APPROVE"}
    await ok(gql, "reviewRebuttal", review, as_="health_approver")
    await ok(gql, "publishRebuttal", {"rebuttalId": rebuttal_id}, as_="health_editor")

    after = (await gql.execute(PUBLIC_REBUTTAL, {"id": rebuttal_id}))["node"]
    assert after["revision"] == 2
    assert after["headline"]["en"] == "Corrected"
    assert [r["headline"]["en"] for r in after["revisions"]] == ["The vaccine is safe", "Corrected"]
    assert all(r["evidence"] for r in after["revisions"])


async def test_a_retraction_is_public_with_its_reason_and_reopens_the_claim(
    gql: GraphQLClient,
) -> None:
    _, rebuttal_id = await published_rebuttal(gql)
    reason = {"km": "ការសិក្សាដែលបានយោងត្រូវបានអានខុស។", "en": "The cited study was misread."}
    retract = {"rebuttalId": rebuttal_id, "reason": reason}
    await ok(gql, "retractRebuttal", retract, as_="health_approver")

    data = await gql.execute(
        "query($id: ID!) { node(id: $id) { ... on Rebuttal { status "
        "retraction { reason { km en } } revision claim { status } } } }",
        {"id": rebuttal_id},
    )
    assert data["node"] == {
        "status": "RETRACTED",
        "retraction": {"reason": reason},
        "revision": 1,
        "claim": {"status": "IN_PROGRESS"},
    }


async def test_a_dismissal_reason_is_public(gql: GraphQLClient) -> None:
    claim_id = await reported_claim(gql)
    dismiss = {
        "claimId": claim_id,
        "reason": "ACCURATE",
        "note": {"km": "ព័ត៌មាននេះត្រឹមត្រូវ", "en": "The report is accurate."},
    }
    await ok(gql, "dismissClaim", dismiss, as_="coordinator")
    data = await gql.execute(
        "{ claims { edges { node { status dismissal { reason note { en } } } } } }"
    )
    assert data["claims"]["edges"] == [
        {
            "node": {
                "status": "DISMISSED",
                "dismissal": {"reason": "ACCURATE", "note": {"en": "The report is accurate."}},
            }
        }
    ]


async def test_merge_points_the_duplicate_at_its_original(gql: GraphQLClient) -> None:
    original = await reported_claim(gql)
    duplicate = await reported_claim(gql, en="Same rumour, again")
    await ok(gql, "mergeClaim", {"claimId": duplicate, "intoClaimId": original}, as_="coordinator")
    data = await gql.execute(
        "query($id: ID!) { node(id: $id) { ... on Claim { status mergedInto { id } } } }",
        {"id": duplicate},
        as_="observer",
    )
    assert data["node"] == {"status": "MERGED", "mergedInto": {"id": original}}


async def test_khmer_substring_search_finds_a_phrase_inside_unspaced_text(
    gql: GraphQLClient,
) -> None:
    wanted = await reported_claim(gql)
    await reported_claim(gql, km="ការផ្សព្វផ្សាយអំពីពន្ធម៉ូតូថ្មី", en="A new motorbike tax")
    query = """query($text: String!) {
        claims(filter: { text: $text }) { edges { node { id } } } }"""

    khmer = await gql.execute(query, {"text": KHMER_PHRASE}, as_="observer")
    english = await gql.execute(query, {"text": "VACCINE causes"}, as_="observer")
    wildcard = await gql.execute(query, {"text": "%"}, as_="observer")

    assert [e["node"]["id"] for e in khmer["claims"]["edges"]] == [wanted]
    assert [e["node"]["id"] for e in english["claims"]["edges"]] == [wanted]
    assert wildcard["claims"]["edges"] == []


async def test_claims_filter_by_status_institution_priority_and_overdue(
    gql: GraphQLClient,
) -> None:
    triaged = await triaged_claim(gql)
    await reported_claim(gql)
    query = "query($f: ClaimFilter) { claims(filter: $f) { edges { node { id } } } }"

    async def ids(filter: dict) -> list[str]:
        data = await gql.execute(query, {"f": filter}, as_="observer")
        return [e["node"]["id"] for e in data["claims"]["edges"]]

    assert await ids({"status": ["TRIAGED"]}) == [triaged]
    assert await ids({"institution": "education"}) == [triaged]
    assert await ids({"institution": "health", "priority": ["HIGH"]}) == [triaged]
    assert await ids({"priority": ["LOW"]}) == []
    assert await ids({"overdue": True}) == []
    assert len(await ids({"overdue": False})) == 2


async def test_pages_follow_cursors_newest_first_without_gaps(gql: GraphQLClient) -> None:
    created = [await reported_claim(gql, en=f"claim {i}") for i in range(7)]
    seen: list[str] = []
    after = None
    while True:
        data = await gql.execute(
            "query($after: String) { claims(first: 3, after: $after) { edges { node { id } } "
            "pageInfo { hasNextPage endCursor } } }",
            {"after": after},
            as_="observer",
        )
        page = data["claims"]
        seen += [e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == list(reversed(created))


async def test_events_record_every_transition_in_order(gql: GraphQLClient) -> None:
    await published_rebuttal(gql)
    data = await gql.execute(
        "{ events(first: 50) { edges { node { type seq payload } } } }", as_="observer"
    )
    types = [e["node"]["type"] for e in data["events"]["edges"]]
    assert types == [
        "CLAIM_REPORTED",
        "CLAIM_TRIAGED",
        "REBUTTAL_DRAFTED",
        "REBUTTAL_SUBMITTED",
        "REBUTTAL_APPROVED",
        "REBUTTAL_PUBLISHED",
        "CLAIM_REBUTTED",
    ]
    seqs = [int(e["node"]["seq"]) for e in data["events"]["edges"]]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)


async def test_public_callers_read_only_public_events(gql: GraphQLClient) -> None:
    await published_rebuttal(gql)
    data = await gql.execute("{ events { edges { node { type public } } } }")
    assert [e["node"]["type"] for e in data["events"]["edges"]] == [
        "REBUTTAL_PUBLISHED",
        "CLAIM_REBUTTED",
    ]


async def test_a_retraction_needs_its_reason_in_both_languages(gql: GraphQLClient) -> None:
    _, rebuttal_id = await published_rebuttal(gql)
    for missing in ("km", "en"):
        reason = {"km": "ខុស។", "en": "Wrong.", missing: "  "}
        answer = await gql.execute(
            "mutation($input: RetractRebuttalInput!) { retractRebuttal(input: $input) {"
            " rebuttal { status } errors { code field } } }",
            {"input": {"rebuttalId": rebuttal_id, "reason": reason}},
            as_="health_approver",
        )
        assert answer["retractRebuttal"] == {
            "rebuttal": None,
            "errors": [{"code": "INVALID", "field": f"reason.{missing}"}],
        }


async def test_evidence_needs_its_title_in_both_languages_and_a_note_is_optional(
    gql: GraphQLClient,
) -> None:
    claim_id = await triaged_claim(gql)
    source = {"url": "https://who.example/hpv", "title": {"km": "", "en": "WHO"}}
    answer = await gql.execute(
        "mutation($input: DraftRebuttalInput!) { draftRebuttal(input: $input) {"
        " errors { code field } } }",
        {"input": draft_input(claim_id, evidence=[source])},
        as_="health_editor",
    )
    assert answer["draftRebuttal"]["errors"] == [
        {"code": "INVALID", "field": "evidence.0.title.km"}
    ]
    source["title"] = {"km": "អង្គការ WHO", "en": "WHO"}
    answer = await gql.execute(
        "mutation($input: DraftRebuttalInput!) { draftRebuttal(input: $input) {"
        " rebuttal { draft { evidence { title { km en } note { km en } } } } errors { code } } }",
        {"input": draft_input(claim_id, evidence=[source])},
        as_="health_editor",
    )
    assert answer["draftRebuttal"] == {
        "rebuttal": {
            "draft": {
                "evidence": [
                    {"title": {"km": "អង្គការ WHO", "en": "WHO"}, "note": {"km": "", "en": ""}}
                ]
            }
        },
        "errors": [],
    }
