"""Who may move a claim or a rebuttal, and who may read it: the permission matrix.

Every allowed move is made by each role and institution that may make it. Every forbidden or
out-of-order move is attempted by each role and institution that may not make it; the refusal
is a typed error and changes nothing (the observer sees the same objects and the same number of
events before and after). Reads are checked through the lists and through ``node(id:)``.

The cast (see ``tests/support.py``): a claim reported by ``reporter`` is triaged to the Ministry
of Health (lead) with the Ministry of Education supporting; the Ministry of the Interior is
unrelated to it. ``coordinator`` acts for the Ministry of Information.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pytest

from coordhub.auth import revoke_token
from tests.support import GraphQLClient

PUBLIC = None

FORBIDDEN = "FORBIDDEN"
NOT_FOUND = "NOT_FOUND"
UNAUTHENTICATED = "UNAUTHENTICATED"
INVALID_TRANSITION = "INVALID_TRANSITION"

HEALTH_MEMBERS = ["health_editor", "health_editor2", "health_approver", "health_approver2"]

CLAIM_REPORT = {
    "summary": {
        "km": "មន្ទីរពេទ្យខេត្តអស់វ៉ាក់សាំងហើយ",
        "en": "Provincial hospitals have run out of vaccines",
    },
    "topic": "health",
    "appearances": [
        {
            "url": "https://facebook.com/posts/1001",
            "outlet": "Facebook",
            "seenAt": "2026-01-05T08:00:00+07:00",
        }
    ],
}
FIRST_HEADLINE = {"km": "មន្ទីរពេទ្យមានវ៉ាក់សាំងគ្រប់គ្រាន់", "en": "Hospitals have enough vaccines"}
CORRECTED_HEADLINE = {
    "km": "មន្ទីរពេទ្យមានវ៉ាក់សាំងគ្រប់គ្រាន់ (កែតម្រូវ)",
    "en": "Hospitals have enough vaccines (corrected)",
}
EVIDENCE = {
    "url": "https://moh.gov.kh/vaccine-stock-2026-01",
    "title": "Vaccine stock report, January 2026",
    "note": "Stock covers twelve weeks in every province.",
}
DRAFT_CONTENT = {
    "verdict": "FALSE",
    "headline": FIRST_HEADLINE,
    "body": {"km": "ក្រសួងសុខាភិបាលបញ្ជាក់ថា...", "en": "The Ministry of Health confirms..."},
    "evidence": [EVIDENCE],
    "channels": [],
}


# ---------------------------------------------------------------------------------------------
# Building a claim or a rebuttal in a given state, through the API, as the people who may.
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """A claim and the Ministry of Health's rebuttal of it (global ids)."""

    claim: str
    rebuttal: str


async def succeed(
    gql: GraphQLClient, name: str, input: dict[str, Any], *, as_: str | None
) -> dict[str, Any]:
    """Make a move that must be allowed; the changed object (``id status``)."""
    payload = await gql.mutate(name, input, as_=as_)
    assert payload["errors"] == [], f"{name} as {as_} was refused: {payload['errors']}"
    return payload["claim" if "Claim" in name else "rebuttal"]


async def reported_claim(gql: GraphQLClient, by: str = "reporter") -> str:
    """A REPORTED claim (not public)."""
    return (await succeed(gql, "reportClaim", CLAIM_REPORT, as_=by))["id"]


async def triaged_claim(gql: GraphQLClient, by: str = "reporter") -> str:
    """A TRIAGED claim: Health leads, Education supports (not public)."""
    claim = await reported_claim(gql, by)
    await succeed(
        gql,
        "triageClaim",
        {"claimId": claim, "lead": "health", "supporting": ["education"], "priority": "HIGH"},
        as_="coordinator",
    )
    return claim


async def dismissed_claim(gql: GraphQLClient) -> str:
    """A triaged claim, then DISMISSED (public)."""
    claim = await triaged_claim(gql)
    await succeed(gql, "dismissClaim", dismissal(claim), as_="coordinator")
    return claim


async def merged_claim(gql: GraphQLClient) -> str:
    """A triaged claim MERGED into another open one."""
    claim = await triaged_claim(gql)
    target = await reported_claim(gql)
    await succeed(gql, "mergeClaim", {"claimId": claim, "intoClaimId": target}, as_="coordinator")
    return claim


async def drafted(gql: GraphQLClient, by: str = "health_editor") -> Case:
    """Health's rebuttal in DRAFT; the claim IN_PROGRESS."""
    claim = await triaged_claim(gql)
    rebuttal = await succeed(gql, "draftRebuttal", {"claimId": claim, **DRAFT_CONTENT}, as_=by)
    return Case(claim, rebuttal["id"])


async def in_review(gql: GraphQLClient, by: str = "health_editor") -> Case:
    """Health's rebuttal submitted: IN_REVIEW."""
    case = await drafted(gql, by)
    await succeed(gql, "submitRebuttal", {"rebuttalId": case.rebuttal}, as_=by)
    return case


async def changes_requested(gql: GraphQLClient) -> Case:
    """Health's rebuttal sent back by an approver: CHANGES_REQUESTED."""
    case = await in_review(gql)
    await succeed(gql, "reviewRebuttal", request_changes(case.rebuttal), as_="health_approver")
    return case


async def approved(
    gql: GraphQLClient, by: str = "health_editor", approver: str = "health_approver"
) -> Case:
    """Health's rebuttal APPROVED, not yet published."""
    case = await in_review(gql, by)
    await succeed(gql, "reviewRebuttal", approval(case.rebuttal), as_=approver)
    return case


async def published(
    gql: GraphQLClient, by: str = "health_editor", approver: str = "health_approver"
) -> Case:
    """Health's rebuttal PUBLISHED as revision 1; the claim REBUTTED and public."""
    case = await approved(gql, by, approver)
    await succeed(gql, "publishRebuttal", {"rebuttalId": case.rebuttal}, as_=by)
    return case


async def correction(gql: GraphQLClient, status: str = "DRAFT") -> Case:
    """Revision 1 live, a correction (with a new headline) in DRAFT, IN_REVIEW or APPROVED."""
    case = await published(gql)
    rebuttal = {"rebuttalId": case.rebuttal}
    await succeed(gql, "reviseRebuttal", rebuttal, as_="health_editor")
    await succeed(gql, "updateRebuttal", edit(case.rebuttal), as_="health_editor")
    if status in ("IN_REVIEW", "APPROVED"):
        await succeed(gql, "submitRebuttal", rebuttal, as_="health_editor")
    if status == "APPROVED":
        await succeed(gql, "reviewRebuttal", approval(case.rebuttal), as_="health_approver")
    return case


async def retracted(gql: GraphQLClient) -> Case:
    """Health's published rebuttal RETRACTED; the claim back IN_PROGRESS."""
    case = await published(gql)
    await succeed(gql, "retractRebuttal", retraction(case.rebuttal), as_="health_approver")
    return case


# ---------------------------------------------------------------------------------------------
# Move inputs.
# ---------------------------------------------------------------------------------------------


def dismissal(claim: str) -> dict[str, Any]:
    note = {"km": "ព័ត៌មាននេះត្រឹមត្រូវ", "en": "The report is accurate."}
    return {"claimId": claim, "reason": "ACCURATE", "note": note}


def edit(rebuttal: str) -> dict[str, Any]:
    return {"rebuttalId": rebuttal, "headline": CORRECTED_HEADLINE}


def approval(rebuttal: str) -> dict[str, Any]:
    return {"rebuttalId": rebuttal, "decision": "APPROVE"}


def request_changes(rebuttal: str) -> dict[str, Any]:
    return {"rebuttalId": rebuttal, "decision": "REQUEST_CHANGES", "comment": "Cite the source."}


def retraction(rebuttal: str) -> dict[str, Any]:
    return {"rebuttalId": rebuttal, "reason": "The stock report was withdrawn."}


def rebuttal_move(name: str, rebuttal: str) -> dict[str, Any]:
    """The input of a rebuttal move that would succeed if allowed."""
    inputs = {
        "updateRebuttal": edit,
        "reviewRebuttal": approval,
        "retractRebuttal": retraction,
    }
    return inputs.get(name, lambda r: {"rebuttalId": r})(rebuttal)


# ---------------------------------------------------------------------------------------------
# Observing: what the observer (reads everything) sees, to show a refusal changed nothing.
# ---------------------------------------------------------------------------------------------

OBSERVED_FIELDS = """
  ... on Claim {
    claimStatus: status priority dueAt triagedAt rebuttedAt dismissal { reason }
    mergedInto { id } leadInstitution { slug } supportingInstitutions { slug }
    rebuttals { id status }
  }
  ... on Rebuttal {
    rebuttalStatus: status revision publishedAt retraction { reason } revisions { number }
    headline { en } draft { verdict headline { en } evidence { url } updatedAt }
    reviews { round decision reviewer } claim { status }
  }
"""


async def observed(gql: GraphQLClient, *ids: str) -> dict[str, Any]:
    """The given objects and how many claims, rebuttals and events exist, as the observer."""
    variables = {f"n{i}": node_id for i, node_id in enumerate(ids)}
    params = "".join(f"${name}: ID!, " for name in variables)
    nodes = "".join(f"{name}: node(id: ${name}) {{ {OBSERVED_FIELDS} }} " for name in variables)
    document = (
        f"query({params.rstrip(', ')}) {{ {nodes} "
        "claims(first: 100) { edges { cursor } } "
        "rebuttals(first: 100) { edges { cursor } } "
        "events(first: 100) { edges { cursor } pageInfo { hasNextPage } } }"
    ).replace("query() ", "query ")
    data = await gql.execute(document, variables, as_="observer")
    assert not data["events"]["pageInfo"]["hasNextPage"], "scenario too large to count events"
    return data


async def refusal(
    gql: GraphQLClient,
    name: str,
    input: dict[str, Any],
    *,
    as_: str | None,
    code: str,
    watch: Sequence[str],
    before: dict[str, Any] | None = None,
) -> str | None:
    """Attempt a move that must be refused with ``code`` and change nothing in ``watch``.

    Returns a description of what went wrong, or None, so a walk can report every problem.
    """
    before = before if before is not None else await observed(gql, *watch)
    payload = await gql.mutate(name, input, as_=as_)
    codes = [error["code"] for error in payload["errors"]]
    problems = []
    if codes != [code]:
        problems.append(f"{name} as {as_}: expected {code}, got {payload['errors'] or 'success'}")
    if await observed(gql, *watch) != before:
        problems.append(f"{name} as {as_}: the refused call changed something")
    return "; ".join(problems) or None


async def assert_refused(
    gql: GraphQLClient,
    name: str,
    input: dict[str, Any],
    *,
    as_: str | None,
    code: str,
    watch: Sequence[str],
) -> None:
    problem = await refusal(gql, name, input, as_=as_, code=code, watch=watch)
    assert problem is None, problem


async def event_types(gql: GraphQLClient) -> list[str]:
    data = await gql.execute(
        "{ events(first: 100) { edges { node { type } } } }", as_="observer"
    )
    return [edge["node"]["type"] for edge in data["events"]["edges"]]


NODE_REBUTTAL = """
query($id: ID!) {
  node(id: $id) {
    ... on Rebuttal {
      id status revision headline { en } institution { slug } claim { id status }
      draft { headline { en } nextRevision } reviews { round decision }
      liveRevision { number headline { en } } revisions { number }
      evidence { url title note } retraction { reason }
    }
  }
}
"""
NODE_CLAIM = """
query($id: ID!) {
  node(id: $id) {
    ... on Claim {
      id status leadInstitution { slug } supportingInstitutions { slug }
      dismissal { reason } mergedInto { id } rebuttals { id }
    }
  }
}
"""


async def rebuttal_as(gql: GraphQLClient, rebuttal: str, as_: str | None) -> dict | None:
    return (await gql.execute(NODE_REBUTTAL, {"id": rebuttal}, as_=as_))["node"]


async def claim_as(gql: GraphQLClient, claim: str, as_: str | None) -> dict | None:
    return (await gql.execute(NODE_CLAIM, {"id": claim}, as_=as_))["node"]


# =============================================================================================
# Reporting a claim
# =============================================================================================


@pytest.mark.parametrize(
    "caller",
    ["reporter", "health_editor", "health_approver", "interior_editor", "education_approver"]
    + ["coordinator"],
)
async def test_reporters_staff_and_the_coordinator_may_report_a_claim(
    gql: GraphQLClient, caller: str
) -> None:
    claim = await succeed(gql, "reportClaim", CLAIM_REPORT, as_=caller)

    assert claim["status"] == "REPORTED"
    assert (await claim_as(gql, claim["id"], caller))["status"] == "REPORTED"
    assert await event_types(gql) == ["CLAIM_REPORTED"]


@pytest.mark.parametrize(
    ("caller", "code"),
    [("observer", FORBIDDEN), ("service", FORBIDDEN), (PUBLIC, UNAUTHENTICATED)],
)
async def test_observers_services_and_the_public_may_not_report_a_claim(
    gql: GraphQLClient, caller: str | None, code: str
) -> None:
    await assert_refused(gql, "reportClaim", CLAIM_REPORT, as_=caller, code=code, watch=[])


# =============================================================================================
# Triage, dismissal and merge: the coordinator's moves
# =============================================================================================


async def test_the_coordinator_triages_a_reported_claim_to_lead_and_supporting_institutions(
    gql: GraphQLClient,
) -> None:
    claim = await reported_claim(gql)

    triage = {"claimId": claim, "lead": "health", "supporting": ["education"], "priority": "HIGH"}
    await succeed(gql, "triageClaim", triage, as_="coordinator")

    seen = await claim_as(gql, claim, "observer")
    assert seen["status"] == "TRIAGED"
    assert seen["leadInstitution"] == {"slug": "health"}
    assert seen["supportingInstitutions"] == [{"slug": "education"}]


async def test_the_coordinator_dismisses_an_open_claim_with_a_public_reason(
    gql: GraphQLClient,
) -> None:
    claim = await triaged_claim(gql)

    await succeed(gql, "dismissClaim", dismissal(claim), as_="coordinator")

    seen = await claim_as(gql, claim, PUBLIC)
    assert seen["status"] == "DISMISSED"
    assert seen["dismissal"] == {"reason": "ACCURATE"}


async def test_the_coordinator_merges_a_duplicate_into_an_open_claim(gql: GraphQLClient) -> None:
    duplicate = await triaged_claim(gql)
    original = await reported_claim(gql)

    await succeed(
        gql, "mergeClaim", {"claimId": duplicate, "intoClaimId": original}, as_="coordinator"
    )

    seen = await claim_as(gql, duplicate, "observer")
    assert seen["status"] == "MERGED"
    assert seen["mergedInto"] == {"id": original}


@pytest.mark.parametrize(
    ("caller", "code"),
    [
        ("health_editor", FORBIDDEN),  # lead institution: sees the claim
        ("health_approver", FORBIDDEN),
        ("education_editor", FORBIDDEN),  # supporting institution: sees the claim
        ("education_approver", FORBIDDEN),
        ("interior_editor", FORBIDDEN),  # unrelated: the role is refused before the lookup
        ("interior_approver", FORBIDDEN),
        ("reporter", FORBIDDEN),  # reported it
        ("reporter2", FORBIDDEN),
        ("observer", FORBIDDEN),
        ("service", FORBIDDEN),
        (PUBLIC, UNAUTHENTICATED),
    ],
)
async def test_only_the_coordinator_may_triage_dismiss_or_merge(
    gql: GraphQLClient, caller: str | None, code: str
) -> None:
    claim = await triaged_claim(gql)
    other = await reported_claim(gql)
    watch = [claim, other]
    before = await observed(gql, *watch)
    retriage = {"claimId": claim, "lead": "interior", "supporting": [], "priority": "LOW"}
    moves = [
        ("triageClaim", retriage),
        ("dismissClaim", dismissal(claim)),
        ("mergeClaim", {"claimId": claim, "intoClaimId": other}),
    ]

    problems = [
        await refusal(gql, name, input, as_=caller, code=code, watch=watch, before=before)
        for name, input in moves
    ]

    assert [p for p in problems if p] == []


# =============================================================================================
# Drafting a rebuttal
# =============================================================================================


@pytest.mark.parametrize(
    ("caller", "institution"),
    [
        ("health_editor", "health"),
        ("health_approver", "health"),
        ("education_editor", "education"),
        ("education_approver", "education"),
    ],
)
async def test_editors_and_approvers_of_lead_or_supporting_institutions_may_draft(
    gql: GraphQLClient, caller: str, institution: str
) -> None:
    claim = await triaged_claim(gql)

    rebuttal = await succeed(gql, "draftRebuttal", {"claimId": claim, **DRAFT_CONTENT}, as_=caller)

    seen = await rebuttal_as(gql, rebuttal["id"], caller)
    assert seen["status"] == "DRAFT"
    assert seen["institution"] == {"slug": institution}
    assert seen["draft"]["headline"] == {"en": FIRST_HEADLINE["en"]}
    assert seen["claim"] == {"id": claim, "status": "IN_PROGRESS"}


@pytest.mark.parametrize(
    ("caller", "code"),
    [
        ("interior_editor", NOT_FOUND),  # unrelated institution: the claim is invisible
        ("interior_approver", NOT_FOUND),
        ("coordinator", FORBIDDEN),
        ("reporter", FORBIDDEN),
        ("observer", FORBIDDEN),
        ("service", FORBIDDEN),
        (PUBLIC, UNAUTHENTICATED),
    ],
)
async def test_others_may_not_draft_on_a_claim_that_is_not_public(
    gql: GraphQLClient, caller: str | None, code: str
) -> None:
    claim = await triaged_claim(gql)

    await assert_refused(
        gql,
        "draftRebuttal",
        {"claimId": claim, **DRAFT_CONTENT},
        as_=caller,
        code=code,
        watch=[claim],
    )


@pytest.mark.parametrize("caller", ["interior_editor", "interior_approver"])
async def test_an_unrelated_institution_may_not_draft_on_a_public_claim(
    gql: GraphQLClient, caller: str
) -> None:
    case = await published(gql)

    await assert_refused(
        gql,
        "draftRebuttal",
        {"claimId": case.claim, **DRAFT_CONTENT},
        as_=caller,
        code=FORBIDDEN,
        watch=[case.claim, case.rebuttal],
    )


# =============================================================================================
# Editing, submitting, publishing and revising: the institution's editors and approvers
# =============================================================================================


@pytest.mark.parametrize("member", HEALTH_MEMBERS)
async def test_any_editor_or_approver_of_the_institution_may_edit_submit_publish_and_revise(
    gql: GraphQLClient, member: str
) -> None:
    case = await drafted(gql, by="health_editor")
    rebuttal = {"rebuttalId": case.rebuttal}
    # an approver who did not edit the revision approves it
    approver = "health_approver2" if member == "health_approver" else "health_approver"

    await succeed(gql, "updateRebuttal", edit(case.rebuttal), as_=member)
    await succeed(gql, "submitRebuttal", rebuttal, as_=member)
    await succeed(gql, "reviewRebuttal", approval(case.rebuttal), as_=approver)
    await succeed(gql, "publishRebuttal", rebuttal, as_=member)
    live = await rebuttal_as(gql, case.rebuttal, PUBLIC)
    assert (live["status"], live["revision"]) == ("PUBLISHED", 1)

    # a correction: the same moves again while revision 1 stays live
    await succeed(gql, "reviseRebuttal", rebuttal, as_=member)
    await succeed(gql, "updateRebuttal", edit(case.rebuttal), as_=member)
    await succeed(gql, "submitRebuttal", rebuttal, as_=member)
    await succeed(gql, "reviewRebuttal", approval(case.rebuttal), as_=approver)
    await succeed(gql, "publishRebuttal", rebuttal, as_=member)

    live = await rebuttal_as(gql, case.rebuttal, PUBLIC)
    assert (live["status"], live["revision"]) == ("PUBLISHED", 2)
    assert live["revisions"] == [{"number": 1}, {"number": 2}]


#: Outsiders to Health's rebuttal, and what they get while it is unpublished (invisible to all
#: but those who read everything) and once it is public.
OUTSIDERS = [
    # caller, before publication, after publication
    ("education_editor", NOT_FOUND, FORBIDDEN),  # supporting: sees the claim, not the rebuttal
    ("education_approver", NOT_FOUND, FORBIDDEN),
    ("interior_editor", NOT_FOUND, FORBIDDEN),
    ("interior_approver", NOT_FOUND, FORBIDDEN),
    ("reporter", NOT_FOUND, FORBIDDEN),  # reported the claim
    ("service", NOT_FOUND, FORBIDDEN),
    ("observer", FORBIDDEN, FORBIDDEN),
    ("coordinator", FORBIDDEN, FORBIDDEN),
    (PUBLIC, UNAUTHENTICATED, UNAUTHENTICATED),
]


@pytest.mark.parametrize(("caller", "unpublished", "public"), OUTSIDERS)
async def test_outsiders_may_not_edit_submit_review_publish_revise_or_retract(
    gql: GraphQLClient, caller: str | None, unpublished: str, public: str
) -> None:
    """Walks Health's rebuttal through its life; at each step the outsider tries every move
    the institution could make there."""
    case = await drafted(gql)
    rebuttal = {"rebuttalId": case.rebuttal}
    watch = [case.claim, case.rebuttal]
    problems: list[str | None] = []
    # the coordinator may retract, but only a published rebuttal (see the transition tests)
    retract = [] if caller == "coordinator" else ["retractRebuttal"]

    async def attempt(moves: list[str], code: str) -> None:
        before = await observed(gql, *watch)
        for name in moves:
            problems.append(
                await refusal(
                    gql,
                    name,
                    rebuttal_move(name, case.rebuttal),
                    as_=caller,
                    code=code,
                    watch=watch,
                    before=before,
                )
            )

    await attempt(["updateRebuttal", "submitRebuttal", "reviseRebuttal", *retract], unpublished)
    await succeed(gql, "submitRebuttal", rebuttal, as_="health_editor")
    await attempt(["reviewRebuttal"], unpublished)
    await succeed(gql, "reviewRebuttal", approval(case.rebuttal), as_="health_approver")
    await attempt(["publishRebuttal"], unpublished)
    await succeed(gql, "publishRebuttal", rebuttal, as_="health_editor")
    await attempt(["reviseRebuttal", *retract], public)
    await succeed(gql, "reviseRebuttal", rebuttal, as_="health_editor")
    await attempt(["updateRebuttal", "submitRebuttal"], public)
    await succeed(gql, "submitRebuttal", rebuttal, as_="health_editor")
    await attempt(["reviewRebuttal"], public)
    await succeed(gql, "reviewRebuttal", approval(case.rebuttal), as_="health_approver")
    await attempt(["publishRebuttal"], public)

    assert [p for p in problems if p] == []


# =============================================================================================
# Review: the institution's approvers, and never the approver who edited the revision
# =============================================================================================


@pytest.mark.parametrize("approver", ["health_approver", "health_approver2"])
async def test_an_approver_of_the_institution_may_request_changes_and_approve(
    gql: GraphQLClient, approver: str
) -> None:
    case = await in_review(gql, by="health_editor")
    rebuttal = {"rebuttalId": case.rebuttal}

    await succeed(gql, "reviewRebuttal", request_changes(case.rebuttal), as_=approver)
    assert (await rebuttal_as(gql, case.rebuttal, "health_editor"))["status"] == (
        "CHANGES_REQUESTED"
    )
    await succeed(gql, "updateRebuttal", edit(case.rebuttal), as_="health_editor")
    await succeed(gql, "submitRebuttal", rebuttal, as_="health_editor")
    await succeed(gql, "reviewRebuttal", approval(case.rebuttal), as_=approver)

    seen = await rebuttal_as(gql, case.rebuttal, "health_editor")
    assert seen["status"] == "APPROVED"
    assert seen["reviews"] == [
        {"round": 1, "decision": "REQUEST_CHANGES"},
        {"round": 1, "decision": "APPROVE"},
    ]


@pytest.mark.parametrize("editor", ["health_editor", "health_editor2"])
async def test_an_editor_may_not_review(gql: GraphQLClient, editor: str) -> None:
    case = await in_review(gql, by="health_editor")
    watch = [case.claim, case.rebuttal]
    before = await observed(gql, *watch)

    problems = [
        await refusal(
            gql, "reviewRebuttal", review, as_=editor, code=FORBIDDEN, watch=watch, before=before
        )
        for review in (approval(case.rebuttal), request_changes(case.rebuttal))
    ]

    assert [p for p in problems if p] == []


async def test_the_approver_who_drafted_a_revision_may_not_approve_it_but_another_may(
    gql: GraphQLClient,
) -> None:
    case = await in_review(gql, by="health_approver")

    await assert_refused(
        gql,
        "reviewRebuttal",
        approval(case.rebuttal),
        as_="health_approver",
        code=FORBIDDEN,
        watch=[case.claim, case.rebuttal],
    )
    approved_ = await succeed(
        gql, "reviewRebuttal", approval(case.rebuttal), as_="health_approver2"
    )
    assert approved_["status"] == "APPROVED"


async def test_the_approver_who_updated_a_revision_may_not_approve_it_but_another_may(
    gql: GraphQLClient,
) -> None:
    case = await drafted(gql, by="health_editor")
    await succeed(gql, "updateRebuttal", edit(case.rebuttal), as_="health_approver")
    await succeed(gql, "submitRebuttal", {"rebuttalId": case.rebuttal}, as_="health_editor")

    await assert_refused(
        gql,
        "reviewRebuttal",
        approval(case.rebuttal),
        as_="health_approver",
        code=FORBIDDEN,
        watch=[case.claim, case.rebuttal],
    )
    approved_ = await succeed(
        gql, "reviewRebuttal", approval(case.rebuttal), as_="health_approver2"
    )
    assert approved_["status"] == "APPROVED"


async def test_authorship_counts_per_revision_the_author_of_a_correction_may_not_approve_it(
    gql: GraphQLClient,
) -> None:
    # health_approver drafted revision 1; health_approver2 approved it
    case = await published(gql, by="health_approver", approver="health_approver2")
    rebuttal = {"rebuttalId": case.rebuttal}
    # health_approver2 opens and edits the correction
    await succeed(gql, "reviseRebuttal", rebuttal, as_="health_approver2")
    await succeed(gql, "updateRebuttal", edit(case.rebuttal), as_="health_approver2")
    await succeed(gql, "submitRebuttal", rebuttal, as_="health_approver2")

    await assert_refused(
        gql,
        "reviewRebuttal",
        approval(case.rebuttal),
        as_="health_approver2",
        code=FORBIDDEN,
        watch=[case.claim, case.rebuttal],
    )
    # the author of revision 1 did not edit revision 2
    approved_ = await succeed(gql, "reviewRebuttal", approval(case.rebuttal), as_="health_approver")
    assert approved_["status"] == "APPROVED"


# =============================================================================================
# Retraction: the institution's approvers or the coordinator
# =============================================================================================


@pytest.mark.parametrize("caller", ["health_approver", "health_approver2", "coordinator"])
async def test_the_institutions_approvers_and_the_coordinator_may_retract(
    gql: GraphQLClient, caller: str
) -> None:
    case = await published(gql)

    await succeed(gql, "retractRebuttal", retraction(case.rebuttal), as_=caller)

    seen = await rebuttal_as(gql, case.rebuttal, PUBLIC)
    assert seen["status"] == "RETRACTED"
    assert seen["retraction"] == {"reason": "The stock report was withdrawn."}
    assert seen["liveRevision"]["number"] == 1
    assert (await claim_as(gql, case.claim, "observer"))["status"] == "IN_PROGRESS"


@pytest.mark.parametrize("editor", ["health_editor", "health_editor2"])
async def test_an_editor_may_not_retract(gql: GraphQLClient, editor: str) -> None:
    case = await published(gql)

    await assert_refused(
        gql,
        "retractRebuttal",
        retraction(case.rebuttal),
        as_=editor,
        code=FORBIDDEN,
        watch=[case.claim, case.rebuttal],
    )


# =============================================================================================
# Moves out of order: INVALID_TRANSITION, whoever makes them
# =============================================================================================

#: Per rebuttal state: the moves that state does not allow, each by someone who may make the
#: move in principle (the approver reviews, never having edited the working copy).
INVALID_REBUTTAL_MOVES = {
    "DRAFT": [
        ("reviewRebuttal", "health_approver2"),
        ("publishRebuttal", "health_editor"),  # publish before approval
        ("reviseRebuttal", "health_editor"),
        ("retractRebuttal", "health_approver"),  # never published
        ("retractRebuttal", "coordinator"),
    ],
    "IN_REVIEW": [
        ("submitRebuttal", "health_editor"),
        ("updateRebuttal", "health_editor"),
        ("publishRebuttal", "health_editor"),
        ("reviseRebuttal", "health_editor"),
        ("retractRebuttal", "health_approver"),
    ],
    "CHANGES_REQUESTED": [
        ("reviewRebuttal", "health_approver2"),
        ("publishRebuttal", "health_editor"),
        ("reviseRebuttal", "health_editor"),
        ("retractRebuttal", "coordinator"),
    ],
    "APPROVED": [
        ("updateRebuttal", "health_editor"),
        ("submitRebuttal", "health_editor"),
        ("reviewRebuttal", "health_approver2"),
        ("reviseRebuttal", "health_editor"),
        ("retractRebuttal", "health_approver"),  # approved, but never published
        ("retractRebuttal", "coordinator"),
    ],
    "PUBLISHED": [
        ("updateRebuttal", "health_editor"),
        ("submitRebuttal", "health_editor"),
        ("reviewRebuttal", "health_approver2"),
        ("publishRebuttal", "health_editor"),
    ],
    "RETRACTED": [
        ("updateRebuttal", "health_editor"),
        ("submitRebuttal", "health_editor"),
        ("reviewRebuttal", "health_approver2"),
        ("publishRebuttal", "health_editor"),
        ("reviseRebuttal", "health_editor"),
        ("retractRebuttal", "health_approver"),
        ("retractRebuttal", "coordinator"),
    ],
}
REBUTTAL_IN = {
    "DRAFT": drafted,
    "IN_REVIEW": in_review,
    "CHANGES_REQUESTED": changes_requested,
    "APPROVED": approved,
    "PUBLISHED": published,
    "RETRACTED": retracted,
}


@pytest.mark.parametrize("state", list(INVALID_REBUTTAL_MOVES))
async def test_rebuttal_moves_the_state_does_not_allow_are_invalid_transitions(
    gql: GraphQLClient, state: str
) -> None:
    case = await REBUTTAL_IN[state](gql)
    watch = [case.claim, case.rebuttal]
    before = await observed(gql, *watch)
    assert before["n1"]["rebuttalStatus"] == state

    problems = [
        await refusal(
            gql,
            name,
            rebuttal_move(name, case.rebuttal),
            as_=caller,
            code=INVALID_TRANSITION,
            watch=watch,
            before=before,
        )
        for name, caller in INVALID_REBUTTAL_MOVES[state]
    ]

    assert [p for p in problems if p] == []


async def test_an_open_correction_cannot_be_revised_again_or_retracted_by_an_editor(
    gql: GraphQLClient,
) -> None:
    case = await correction(gql, "IN_REVIEW")
    watch = [case.claim, case.rebuttal]
    before = await observed(gql, *watch)

    problems = [
        await refusal(
            gql,
            "reviseRebuttal",
            {"rebuttalId": case.rebuttal},
            as_="health_editor",
            code=INVALID_TRANSITION,
            watch=watch,
            before=before,
        ),
        await refusal(
            gql,
            "retractRebuttal",
            retraction(case.rebuttal),
            as_="health_editor",
            code=FORBIDDEN,
            watch=watch,
            before=before,
        ),
    ]

    assert [p for p in problems if p] == []


CLAIM_IN = {"DISMISSED": dismissed_claim, "REBUTTED": None, "MERGED": merged_claim}


@pytest.mark.parametrize("state", ["DISMISSED", "REBUTTED", "MERGED"])
async def test_a_closed_claim_cannot_be_triaged_dismissed_merged_or_answered(
    gql: GraphQLClient, state: str
) -> None:
    if state == "REBUTTED":
        claim = (await published(gql)).claim
        answer_as = "education_editor"  # supporting, has no rebuttal of its own yet
    else:
        claim = await CLAIM_IN[state](gql)
        answer_as = "health_editor"
    open_claim = await reported_claim(gql)
    watch = [claim, open_claim]
    before = await observed(gql, *watch)
    assert before["n0"]["claimStatus"] == state
    triage = {"claimId": claim, "lead": "health", "supporting": [], "priority": "LOW"}
    moves = [
        ("triageClaim", triage, "coordinator"),
        ("dismissClaim", dismissal(claim), "coordinator"),
        ("mergeClaim", {"claimId": claim, "intoClaimId": open_claim}, "coordinator"),
    ]
    if state != "REBUTTED":  # a rebutted claim can still be answered by another institution
        moves.append(("draftRebuttal", {"claimId": claim, **DRAFT_CONTENT}, answer_as))

    problems = [
        await refusal(
            gql, name, input, as_=caller, code=INVALID_TRANSITION, watch=watch, before=before
        )
        for name, input, caller in moves
    ]

    assert [p for p in problems if p] == []


@pytest.mark.parametrize("state", ["DISMISSED", "MERGED"])
async def test_a_claim_cannot_be_merged_into_a_dismissed_or_merged_one(
    gql: GraphQLClient, state: str
) -> None:
    target = await CLAIM_IN[state](gql)
    duplicate = await reported_claim(gql)

    await assert_refused(
        gql,
        "mergeClaim",
        {"claimId": duplicate, "intoClaimId": target},
        as_="coordinator",
        code=INVALID_TRANSITION,
        watch=[duplicate, target],
    )


@pytest.mark.parametrize("author", ["health_editor", "health_approver"])
async def test_a_claim_not_yet_triaged_cannot_be_answered(gql: GraphQLClient, author: str) -> None:
    """Even by staff who reported it themselves (and so can see it)."""
    claim = await reported_claim(gql, by=author)

    await assert_refused(
        gql,
        "draftRebuttal",
        {"claimId": claim, **DRAFT_CONTENT},
        as_=author,
        code=INVALID_TRANSITION,
        watch=[claim],
    )


# =============================================================================================
# Reading: lists and node(id:) show each caller the same records
# =============================================================================================

LIST_IDS = """
{
  claims(first: 100) { edges { node { id } } }
  rebuttals(first: 100) { edges { node { id } } }
}
"""


async def listed(gql: GraphQLClient, as_: str | None) -> tuple[list[str], list[str]]:
    data = await gql.execute(LIST_IDS, as_=as_)
    return (
        [edge["node"]["id"] for edge in data["claims"]["edges"]],
        [edge["node"]["id"] for edge in data["rebuttals"]["edges"]],
    )


@pytest.mark.parametrize(
    ("caller", "sees_claim", "sees_rebuttal"),
    [
        (PUBLIC, False, False),
        ("reporter2", False, False),
        ("reporter", True, False),  # reported the claim
        ("service", False, False),
        ("interior_editor", False, False),  # unrelated institution
        ("interior_approver", False, False),
        ("education_editor", True, False),  # supporting institution: the claim, not Health's draft
        ("health_editor", True, True),
        ("health_approver2", True, True),
        ("coordinator", True, True),
        ("observer", True, True),
    ],
)
async def test_unpublished_rebuttals_and_claims_not_yet_public_are_visible_only_to_those_concerned(
    gql: GraphQLClient, caller: str | None, sees_claim: bool, sees_rebuttal: bool
) -> None:
    case = await drafted(gql)

    claim = await claim_as(gql, case.claim, caller)
    rebuttal = await rebuttal_as(gql, case.rebuttal, caller)
    claims, rebuttals = await listed(gql, caller)

    assert (claim is not None, case.claim in claims) == (sees_claim, sees_claim)
    assert (rebuttal is not None, case.rebuttal in rebuttals) == (sees_rebuttal, sees_rebuttal)
    if sees_claim:
        nested = [{"id": case.rebuttal}] if sees_rebuttal else []
        assert claim["rebuttals"] == nested
    if sees_rebuttal:
        assert rebuttal["draft"]["headline"] == {"en": FIRST_HEADLINE["en"]}
        assert rebuttal["claim"] == {"id": case.claim, "status": "IN_PROGRESS"}


@pytest.mark.parametrize(
    ("caller", "reads_working_copy"),
    [
        (PUBLIC, False),
        ("reporter", False),
        ("service", False),
        ("interior_editor", False),
        ("education_editor", False),
        ("health_editor", True),
        ("coordinator", True),
        ("observer", True),
    ],
)
async def test_a_correction_in_progress_stays_private_while_the_live_revision_stays_readable(
    gql: GraphQLClient, caller: str | None, reads_working_copy: bool
) -> None:
    case = await correction(gql, "IN_REVIEW")
    await succeed(gql, "reviewRebuttal", request_changes(case.rebuttal), as_="health_approver")

    seen = await rebuttal_as(gql, case.rebuttal, caller)

    assert seen is not None
    assert case.rebuttal in (await listed(gql, caller))[1]
    assert seen["revision"] == 1
    assert seen["headline"] == {"en": FIRST_HEADLINE["en"]}
    assert seen["liveRevision"] == {"number": 1, "headline": {"en": FIRST_HEADLINE["en"]}}
    assert seen["evidence"] == [EVIDENCE]
    if reads_working_copy:
        assert seen["draft"] == {
            "headline": {"en": CORRECTED_HEADLINE["en"]},
            "nextRevision": 2,
        }
        assert seen["reviews"] == [
            {"round": 1, "decision": "APPROVE"},
            {"round": 2, "decision": "REQUEST_CHANGES"},
        ]
    else:
        assert seen["draft"] is None
        assert seen["reviews"] == []


@pytest.mark.parametrize("caller", [PUBLIC, "service", "reporter2", "interior_editor"])
async def test_once_published_everyone_reads_the_rebuttal_its_claim_evidence_and_revision(
    gql: GraphQLClient, caller: str | None
) -> None:
    case = await published(gql)

    rebuttal = await rebuttal_as(gql, case.rebuttal, caller)
    claim = await claim_as(gql, case.claim, caller)
    claims, rebuttals = await listed(gql, caller)

    assert rebuttal["status"] == "PUBLISHED"
    assert rebuttal["revision"] == 1
    assert rebuttal["revisions"] == [{"number": 1}]
    assert rebuttal["liveRevision"] == {"number": 1, "headline": {"en": FIRST_HEADLINE["en"]}}
    assert rebuttal["evidence"] == [EVIDENCE]
    assert rebuttal["claim"] == {"id": case.claim, "status": "REBUTTED"}
    assert rebuttal["draft"] is None
    assert rebuttal["reviews"] == []
    assert claim["status"] == "REBUTTED"
    assert claim["rebuttals"] == [{"id": case.rebuttal}]
    assert case.claim in claims
    assert case.rebuttal in rebuttals


# =============================================================================================
# Tokens: a bad token is an error, never public access
# =============================================================================================


def assert_unauthenticated(response: Any) -> None:
    assert response.status_code == 401, response.text
    body = response.json()
    assert "data" not in body
    assert [error["extensions"]["code"] for error in body["errors"]] == [UNAUTHENTICATED]


async def test_a_revoked_token_gets_401_not_public_data(gql: GraphQLClient) -> None:
    case = await published(gql)  # public data exists
    before = await observed(gql, case.claim, case.rebuttal)
    await revoke_token(gql.world.token_ids["health_approver"])

    query = await gql.post(LIST_IDS, as_="health_approver")
    mutation = await gql.post(
        "mutation($input: RetractRebuttalInput!) { retractRebuttal(input: $input) { errors "
        "{ code } } }",
        {"input": retraction(case.rebuttal)},
        as_="health_approver",
    )

    assert_unauthenticated(query)
    assert_unauthenticated(mutation)
    assert await observed(gql, case.claim, case.rebuttal) == before
    # other tokens of the same institution keep working
    assert (await gql.execute("{ viewer { name } }", as_="health_approver2"))["viewer"] == {
        "name": "health_approver2"
    }


@pytest.mark.parametrize(
    "authorization",
    [
        f"Bearer chub_{secrets.token_urlsafe(32)}",  # well-formed, never issued
        "Bearer not-a-coordhub-token",
        "Basic aGVhbHRoOmVkaXRvcg==",
    ],
    ids=["unknown", "malformed", "not-bearer"],
)
async def test_an_unknown_or_malformed_token_gets_401_not_public_data(
    gql: GraphQLClient, authorization: str
) -> None:
    await published(gql)

    response = await gql.post(LIST_IDS, headers={"authorization": authorization})

    assert_unauthenticated(response)
