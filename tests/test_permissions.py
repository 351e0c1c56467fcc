"""Who may move a claim or a rebuttal, and who may read it: the permission matrix.

Every allowed move is made over GraphQL by each role and institution that may make it. Every
forbidden or out-of-order move is attempted over GraphQL by each role and institution that may
not make it: the refusal is a typed error in the payload and changes nothing (after each refusal
the observer, who reads everything, sees the same objects as before and no new event). Reads are
checked through the lists and through ``node(id:)``.

The cast (``tests/support.py``): a claim reported by ``reporter`` is triaged to the Ministry of
Health (lead) with the Ministry of Education supporting; the Ministry of the Interior has nothing
to do with it. ``coordinator`` acts for the Ministry of Information.

Speed: the matrix has some 200 refusals. This module therefore shares one database, one world of
accounts and one app between its tests (the module-scoped ``gql`` below, in place of conftest's
per-test one), and every test works only on claims it creates itself, so tests stay independent
of each other and of their order. The starting states are arranged through the workflow rules
directly (``Arrange``, on ``coordhub.demo.scenario``), which still check every move, rather than
over HTTP.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx
import pytest
import pytest_asyncio
from strawberry import relay
from tortoise.backends.base.executor import EXECUTOR_CACHE

from coordhub.actor import Actor
from coordhub.app import create_app
from coordhub.auth import actor_for_token, create_token, revoke_token
from coordhub.db import database
from coordhub.demo.scenario import RebuttalState, Scenario, Story
from coordhub.models import DismissalReason, Priority, Rebuttal, Role, Verdict
from coordhub.settings import Settings
from coordhub.workflow.inputs import (
    AppearanceInput,
    ClaimReport,
    EvidenceInput,
    Localized,
    RebuttalContent,
)
from tests.databases import Databases, kind_for
from tests.flows import desks
from tests.support import GraphQLClient, build_world

pytestmark = pytest.mark.asyncio(loop_scope="module")

PUBLIC = None
ALLOWED = None  # an expected outcome: no error

FORBIDDEN = "FORBIDDEN"
NOT_FOUND = "NOT_FOUND"
UNAUTHENTICATED = "UNAUTHENTICATED"
INVALID_TRANSITION = "INVALID_TRANSITION"

SUMMARY = {
    "km": "មន្ទីរពេទ្យខេត្តអស់វ៉ាក់សាំងហើយ",
    "en": "Provincial hospitals have run out of vaccines",
}
APPEARANCE = {
    "url": "https://facebook.com/posts/1001",
    "outlet": "Facebook",
    "seenAt": "2026-01-05T08:00:00+07:00",
}
CLAIM_REPORT = {"summary": SUMMARY, "topic": "health", "appearances": [APPEARANCE]}
FIRST_HEADLINE = {"km": "មន្ទីរពេទ្យមានវ៉ាក់សាំងគ្រប់គ្រាន់", "en": "Hospitals have enough vaccines"}
CORRECTED_HEADLINE = {
    "km": "មន្ទីរពេទ្យមានវ៉ាក់សាំងគ្រប់គ្រាន់ (កែតម្រូវ)",
    "en": "Hospitals have enough vaccines (corrected)",
}
BODY = {"km": "ក្រសួងសុខាភិបាលបញ្ជាក់ថា...", "en": "The Ministry of Health confirms..."}
EVIDENCE = {
    "url": "https://moh.gov.kh/vaccine-stock-2026-01",
    "title": {
        "km": "របាយការណ៍ស្តុកវ៉ាក់សាំង ខែមករា ឆ្នាំ២០២៦",
        "en": "Vaccine stock report, January 2026",
    },
    "note": {
        "km": "ស្តុកគ្រប់គ្រាន់សម្រាប់ដប់ពីរសប្តាហ៍ នៅគ្រប់ខេត្ត។",
        "en": "Stock covers twelve weeks in every province.",
    },
}
DRAFT_CONTENT = {
    "verdict": "FALSE",
    "headline": FIRST_HEADLINE,
    "body": BODY,
    "evidence": [EVIDENCE],
    "channels": [],
}
DISMISSAL_NOTE = {"km": "ព័ត៌មាននេះត្រឹមត្រូវ", "en": "The report is accurate."}
RETRACTION_REASON = {
    "km": "របាយការណ៍ស្តុកត្រូវបានដកវិញ។",
    "en": "The stock report was withdrawn.",
}
CHANGES_COMMENT = "Cite the source."


# =============================================================================================
# One database, world and app for the module
# =============================================================================================


@pytest.fixture(scope="module")
def hub_settings(database_factory: Databases, request: pytest.FixtureRequest) -> Iterator[Settings]:
    with database_factory.fresh(kind_for(request.node)) as url:
        yield Settings(database_url=url, max_page_size=100)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def gql(hub_settings: Settings) -> AsyncIterator[GraphQLClient]:
    """conftest's GraphQL client and world of accounts, over one database and one app that all
    tests of this module share."""
    EXECUTOR_CACHE.clear()  # as conftest's ``db`` does: the suite alternates SQL dialects
    async with database(hub_settings, global_fallback=False):
        app = create_app(hub_settings, manage_database=False)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://coordhub.test") as http:
            yield GraphQLClient(http, await build_world())
    EXECUTOR_CACHE.clear()


# =============================================================================================
# Arranging: a claim, or Health's rebuttal of it, in a given state
# =============================================================================================


def global_id(type_name: str, pk: int) -> str:
    return str(relay.GlobalID(type_name, str(pk)))


def pk(node_id: str) -> int:
    return int(relay.GlobalID.from_id(node_id).node_id)


def localized(text: dict[str, str]) -> Localized:
    return Localized(km=text["km"], en=text["en"])


@dataclass(frozen=True)
class Case:
    """A claim and the Ministry of Health's rebuttal of it (global ids)."""

    claim: str
    rebuttal: str


#: The cases' story: a claim about vaccine stock, Health leading and Education supporting.
STORY = Story(
    report=ClaimReport(
        summary=localized(SUMMARY),
        topic="health",
        appearances=[
            AppearanceInput(
                url=APPEARANCE["url"],
                outlet=APPEARANCE["outlet"],
                seen_at=datetime.fromisoformat(APPEARANCE["seenAt"]),
            )
        ],
    ),
    lead="health",
    supporting=("education",),
    priority=Priority.HIGH,
    rebuttal=RebuttalContent(
        verdict=Verdict.FALSE,
        headline=localized(FIRST_HEADLINE),
        body=localized(BODY),
        evidence=[
            EvidenceInput(
                url=EVIDENCE["url"],
                title=localized(EVIDENCE["title"]),
                note=localized(EVIDENCE["note"]),
            )
        ],
        channels=[],
    ),
    correction=RebuttalContent(verdict=Verdict.MISLEADING, headline=localized(CORRECTED_HEADLINE)),
    dismissal_reason=DismissalReason.ACCURATE,
    dismissal_note=localized(DISMISSAL_NOTE),
    changes_comment=CHANGES_COMMENT,
    retraction_reason=localized(RETRACTION_REASON),
)


class Arrange:
    """Puts new claims and rebuttals into a given state with ``coordhub.demo.scenario``, each
    move made by an account that may make it, through the workflow rules (which check every
    move). Names accounts by their test key and objects by their global ids."""

    def __init__(self, gql: GraphQLClient, scenario: Scenario) -> None:
        self.tokens = gql.world.tokens
        self.scenario = scenario
        self.actors: dict[str, Actor] = {}

    async def actor(self, key: str) -> Actor:
        if key not in self.actors:
            self.actors[key] = await actor_for_token(self.tokens[key])
        return self.actors[key]

    # -- claims -----------------------------------------------------------------------------

    async def reported_claim(self, by: str = "reporter") -> str:
        """A REPORTED claim (not public)."""
        claim = await self.scenario.claim("REPORTED", reporter=await self.actor(by))
        return global_id("Claim", claim.id)

    async def triaged_claim(self) -> str:
        """A TRIAGED claim: Health leads, Education supports (not public)."""
        return global_id("Claim", (await self.scenario.claim("TRIAGED")).id)

    async def dismissed_claim(self) -> str:
        """A triaged claim, then DISMISSED with a public reason (public)."""
        claim = await self.scenario.claim("TRIAGED")
        await self.scenario.dismiss(claim)
        return global_id("Claim", claim.id)

    async def merged_claim(self) -> str:
        """A triaged claim MERGED into another, open one (not public)."""
        claim = await self.scenario.claim("TRIAGED")
        await self.scenario.merge(claim, await self.scenario.claim("REPORTED"))
        return global_id("Claim", claim.id)

    # -- Health's rebuttal of a triaged claim ---------------------------------------------

    async def rebuttal(
        self, state: RebuttalState, by: str = "health_editor", approver: str = "health_approver"
    ) -> Case:
        """Health's rebuttal of a new triaged claim in ``state``, written (and edited,
        submitted, published, corrected) by ``by`` and reviewed by ``approver``."""
        rebuttal = await self.scenario.rebuttal(
            state, author=await self.actor(by), approver=await self.actor(approver)
        )
        return Case(global_id("Claim", rebuttal.claim_id), global_id("Rebuttal", rebuttal.id))

    async def drafted(self, by: str = "health_editor") -> Case:
        """Health's rebuttal in DRAFT; the claim IN_PROGRESS. Nothing public yet."""
        return await self.rebuttal("DRAFT", by)

    async def in_review(self, by: str = "health_editor") -> Case:
        """Health's rebuttal submitted by its author: IN_REVIEW."""
        return await self.rebuttal("IN_REVIEW", by)

    async def changes_requested(self) -> Case:
        """Health's rebuttal sent back by an approver: CHANGES_REQUESTED."""
        return await self.rebuttal("CHANGES_REQUESTED")

    async def approved(self, by: str = "health_editor", approver: str = "health_approver") -> Case:
        """Health's rebuttal APPROVED, not yet published."""
        return await self.rebuttal("APPROVED", by, approver)

    async def published(self, by: str = "health_editor", approver: str = "health_approver") -> Case:
        """Health's rebuttal PUBLISHED as revision 1; the claim REBUTTED. Both public."""
        return await self.rebuttal("PUBLISHED", by, approver)

    async def correction_in_review(self) -> Case:
        """Revision 1 live; a correction (new verdict and headline) IN_REVIEW."""
        return await self.rebuttal("CORRECTION_IN_REVIEW")

    async def retracted(self) -> Case:
        """Health's published rebuttal RETRACTED; the claim back IN_PROGRESS."""
        return await self.rebuttal("RETRACTED")

    async def step(self, case: Case, move: str, by: str) -> None:
        """One rebuttal move by ``by``: a mutation name, or ``requestChanges``."""
        scenario = self.scenario
        moves: dict[str, Callable[..., Awaitable[Rebuttal]]] = {
            "updateRebuttal": scenario.update,  # the story's correction
            "submitRebuttal": scenario.submit,
            "reviewRebuttal": scenario.approve,
            "requestChanges": scenario.request_changes,
            "publishRebuttal": scenario.publish,
            "reviseRebuttal": scenario.revise,
            "retractRebuttal": scenario.retract,
        }
        await moves[move](pk(case.rebuttal), by=await self.actor(by))


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def arrange(gql: GraphQLClient, hub_settings: Settings) -> Arrange:
    return Arrange(gql, Scenario(await desks(gql.world), hub_settings, STORY))


# =============================================================================================
# Moves over GraphQL
# =============================================================================================


def triage(claim: str, lead: str = "health", supporting: Sequence[str] = ("education",)) -> dict:
    return {"claimId": claim, "lead": lead, "supporting": list(supporting), "priority": "HIGH"}


def dismissal(claim: str) -> dict[str, Any]:
    return {"claimId": claim, "reason": "ACCURATE", "note": DISMISSAL_NOTE}


def merge(claim: str, into: str) -> dict[str, Any]:
    return {"claimId": claim, "intoClaimId": into}


def draft(claim: str) -> dict[str, Any]:
    return {"claimId": claim, **DRAFT_CONTENT}


def edit(rebuttal: str) -> dict[str, Any]:
    """A correction: new verdict and headline."""
    return {"rebuttalId": rebuttal, "verdict": "MISLEADING", "headline": CORRECTED_HEADLINE}


def approval(rebuttal: str) -> dict[str, Any]:
    return {"rebuttalId": rebuttal, "decision": "APPROVE"}


def request_changes(rebuttal: str) -> dict[str, Any]:
    return {"rebuttalId": rebuttal, "decision": "REQUEST_CHANGES", "comment": CHANGES_COMMENT}


def retraction(rebuttal: str) -> dict[str, Any]:
    return {"rebuttalId": rebuttal, "reason": RETRACTION_REASON}


def rebuttal_move(name: str, rebuttal: str) -> dict[str, Any]:
    """The input of a rebuttal move, as it would succeed if the caller and state allowed it."""
    special = {"updateRebuttal": edit, "reviewRebuttal": approval, "retractRebuttal": retraction}
    return special.get(name, lambda r: {"rebuttalId": r})(rebuttal)


async def succeed(
    gql: GraphQLClient, name: str, input: dict[str, Any], *, as_: str | None
) -> dict[str, Any]:
    """Make a move that must be allowed; the changed object (``id status``)."""
    payload = await gql.mutate(name, input, as_=as_)
    assert payload["errors"] == [], f"{name} as {as_} was refused: {payload['errors']}"
    return payload["claim" if "Claim" in name else "rebuttal"]


# =============================================================================================
# Refusals: the expected error, and nothing changed
# =============================================================================================

#: What a move would change, per type: enough to see any change, as every move also appends an
#: event.
OBSERVED = {
    "Claim": "status priority dueAt leadInstitution { slug }",
    "Rebuttal": "status revision draft { updatedAt } claim { status }",
}


class Referee:
    """Attempts refused moves and checks, as the observer (who reads everything), that each
    left the watched objects as they were and appended no event to the log."""

    def __init__(self, gql: GraphQLClient) -> None:
        self.gql = gql
        self.tail: str | None = None  # the last event looked at

    async def look(self, watch: Sequence[str]) -> tuple[dict[str, Any], list[str]]:
        """The watched objects, and the types of the events appended since the last look."""
        variables: dict[str, Any] = {f"n{i}": node_id for i, node_id in enumerate(watch)}
        params = "".join(f", ${name}: ID!" for name in variables)
        nodes = "".join(
            f"{name}: node(id: ${name}) {{ ... on {kind} {{ {OBSERVED[kind]} }} }} "
            for name, kind in (
                (n, relay.GlobalID.from_id(v).type_name) for n, v in variables.items()
            )
        )
        document = (
            f"query($tail: String{params}) {{ {nodes} "
            "events(first: 100, after: $tail) { edges { node { type } } "
            "pageInfo { hasNextPage endCursor } } }"
        )
        appended: list[str] = []
        more = True
        while more:
            variables["tail"] = self.tail
            data = await self.gql.execute(document, variables, as_="observer")
            events = data.pop("events")
            appended += [edge["node"]["type"] for edge in events["edges"]]
            self.tail = events["pageInfo"]["endCursor"] or self.tail
            more = events["pageInfo"]["hasNextPage"]
        return data, appended

    async def refusal(
        self,
        name: str,
        input: dict[str, Any],
        *,
        as_: str | None,
        code: str,
        watch: Sequence[str],
        before: dict[str, Any],
    ) -> str | None:
        """What went wrong with a move that must be refused with ``code``, or None."""
        payload = await self.gql.mutate(name, input, as_=as_)
        after, appended = await self.look(watch)
        problems = []
        if [error["code"] for error in payload["errors"]] != [code]:
            got = payload["errors"] or "success"
            problems.append(f"{name} as {as_}: expected {code}, got {got}")
        if after != before or appended:
            problems.append(f"{name} as {as_} changed something (new events: {appended})")
        return "; ".join(problems) or None

    async def assert_refused(
        self,
        moves: Sequence[tuple[str, dict[str, Any], str | None, str]],
        *,
        watch: Sequence[str],
    ) -> None:
        """Each ``(name, input, caller, code)`` is refused with its code and changes nothing."""
        before, _ = await self.look(watch)
        problems = [
            await self.refusal(name, input, as_=caller, code=code, watch=watch, before=before)
            for name, input, caller, code in moves
        ]
        assert [p for p in problems if p] == []


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def referee(gql: GraphQLClient) -> Referee:
    return Referee(gql)


# =============================================================================================
# Reading as a given caller
# =============================================================================================

CLAIM_FIELDS = "id status leadInstitution { slug } supportingInstitutions { slug } rebuttals { id }"
REBUTTAL_FIELDS = """
  id status revision verdict headline { en } institution { slug } claim { id status }
  draft { verdict headline { en } nextRevision } reviews { round decision }
  liveRevision { number verdict headline { en } } revisions { number }
  evidence { url title { km en } note { km en } } retraction { reason { km en } }
"""
READ = f"""
query($claim: ID!, $rebuttal: ID!) {{
  claim: node(id: $claim) {{ ... on Claim {{ {CLAIM_FIELDS} }} }}
  rebuttal: node(id: $rebuttal) {{ ... on Rebuttal {{ {REBUTTAL_FIELDS} }} }}
  claims(first: 100) {{ edges {{ node {{ id }} }} }}
  rebuttals(first: 100) {{ edges {{ node {{ id }} }} }}
}}
"""
READ_CLAIM = f"query($id: ID!) {{ node(id: $id) {{ ... on Claim {{ {CLAIM_FIELDS} }} }} }}"
READ_REBUTTAL = f"query($id: ID!) {{ node(id: $id) {{ ... on Rebuttal {{ {REBUTTAL_FIELDS} }} }} }}"


FILTERED = """
{
  published: rebuttals(first: 100, filter: {status: [PUBLISHED]}) { edges { node { id } } }
  changesRequested: rebuttals(first: 100, filter: {status: [CHANGES_REQUESTED]}) {
    edges { node { id } }
  }
  liveVerdict: rebuttals(first: 100, filter: {verdict: [FALSE]}) { edges { node { id } } }
  draftVerdict: rebuttals(first: 100, filter: {verdict: [MISLEADING]}) { edges { node { id } } }
}
"""


def ids(connection: dict[str, Any]) -> list[str]:
    return [edge["node"]["id"] for edge in connection["edges"]]


@dataclass(frozen=True)
class Reads:
    """What one caller sees of a case through node(id:), and whether the lists show it (both
    lists are newest first, so the case's objects, the newest, are on their first page)."""

    claim: dict[str, Any] | None
    rebuttal: dict[str, Any] | None
    claim_listed: bool
    rebuttal_listed: bool


async def read(gql: GraphQLClient, case: Case, as_: str | None) -> Reads:
    data = await gql.execute(READ, {"claim": case.claim, "rebuttal": case.rebuttal}, as_=as_)
    return Reads(
        claim=data["claim"],
        rebuttal=data["rebuttal"],
        claim_listed=case.claim in ids(data["claims"]),
        rebuttal_listed=case.rebuttal in ids(data["rebuttals"]),
    )


async def read_claim(gql: GraphQLClient, claim: str, as_: str | None) -> dict[str, Any] | None:
    return (await gql.execute(READ_CLAIM, {"id": claim}, as_=as_))["node"]


async def read_rebuttal(
    gql: GraphQLClient, rebuttal: str, as_: str | None
) -> dict[str, Any] | None:
    return (await gql.execute(READ_REBUTTAL, {"id": rebuttal}, as_=as_))["node"]


async def event_types(gql: GraphQLClient, claim: str) -> list[str]:
    data = await gql.execute(
        "query($c: ID!) { events(filter: {claimId: $c}) { edges { node { type } } } }",
        {"c": claim},
        as_="observer",
    )
    return [edge["node"]["type"] for edge in data["events"]["edges"]]


# =============================================================================================
# Reporting a claim: reporters, institution staff and the coordinator
# =============================================================================================


@pytest.mark.parametrize(
    ("caller", "outcome"),
    [
        ("reporter", ALLOWED),
        ("health_editor", ALLOWED),
        ("education_approver", ALLOWED),
        ("coordinator", ALLOWED),
        ("observer", FORBIDDEN),
        ("service", FORBIDDEN),
        (PUBLIC, UNAUTHENTICATED),
    ],
)
async def test_who_may_report_a_claim(
    gql: GraphQLClient, referee: Referee, caller: str | None, outcome: str | None
) -> None:
    if outcome is not ALLOWED:
        await referee.assert_refused([("reportClaim", CLAIM_REPORT, caller, outcome)], watch=[])
        return

    claim = await succeed(gql, "reportClaim", CLAIM_REPORT, as_=caller)

    assert claim["status"] == "REPORTED"
    assert (await read_claim(gql, claim["id"], caller))["status"] == "REPORTED"
    assert await event_types(gql, claim["id"]) == ["CLAIM_REPORTED"]


# =============================================================================================
# Triage, dismissal and merge: the coordinator only
# =============================================================================================


async def test_the_coordinator_triages_dismisses_and_merges_claims(
    gql: GraphQLClient, arrange: Arrange
) -> None:
    claim = await arrange.reported_claim()
    duplicate = await arrange.reported_claim()
    accurate = await arrange.reported_claim()

    triaged = await succeed(gql, "triageClaim", triage(claim), as_="coordinator")
    merged = await succeed(gql, "mergeClaim", merge(duplicate, claim), as_="coordinator")
    dismissed = await succeed(gql, "dismissClaim", dismissal(accurate), as_="coordinator")

    assert [triaged["status"], merged["status"], dismissed["status"]] == [
        "TRIAGED",
        "MERGED",
        "DISMISSED",
    ]
    seen = await read_claim(gql, claim, "health_editor")
    assert seen["leadInstitution"] == {"slug": "health"}
    assert seen["supportingInstitutions"] == [{"slug": "education"}]
    data = await gql.execute(
        "query($id: ID!) { node(id: $id) { ... on Claim { mergedInto { id } } } }",
        {"id": duplicate},
        as_="observer",
    )
    assert data["node"] == {"mergedInto": {"id": claim}}
    data = await gql.execute(
        "query($id: ID!) { node(id: $id) { ... on Claim { dismissal { reason } } } }",
        {"id": accurate},
        as_=PUBLIC,
    )
    assert data["node"] == {"dismissal": {"reason": "ACCURATE"}}  # a dismissal is public


@pytest.mark.parametrize(
    ("caller", "code"),
    [
        ("health_editor", FORBIDDEN),  # lead institution: sees the claim
        ("health_approver", FORBIDDEN),
        ("education_editor", FORBIDDEN),  # supporting institution: sees the claim
        ("education_approver", FORBIDDEN),
        ("interior_editor", FORBIDDEN),  # cannot see the claim, but the role is refused first
        ("interior_approver", FORBIDDEN),
        ("reporter", FORBIDDEN),  # reported the claim
        ("observer", FORBIDDEN),
        ("service", FORBIDDEN),
        (PUBLIC, UNAUTHENTICATED),
    ],
)
async def test_no_one_but_the_coordinator_may_triage_dismiss_or_merge(
    arrange: Arrange, referee: Referee, caller: str | None, code: str
) -> None:
    claim = await arrange.triaged_claim()
    other = await arrange.reported_claim()

    await referee.assert_refused(
        [
            ("triageClaim", triage(claim, lead="interior", supporting=[]), caller, code),
            ("dismissClaim", dismissal(claim), caller, code),
            ("mergeClaim", merge(claim, other), caller, code),
        ],
        watch=[claim, other],
    )


# =============================================================================================
# Drafting: editors and approvers of the claim's lead or supporting institutions
# =============================================================================================


@pytest.mark.parametrize(
    ("caller", "outcome"),
    [
        ("health_editor", ALLOWED),  # lead
        ("health_approver", ALLOWED),
        ("education_editor", ALLOWED),  # supporting
        ("education_approver", ALLOWED),
        ("interior_editor", NOT_FOUND),  # unrelated: the claim is invisible to them
        ("interior_approver", NOT_FOUND),
        ("coordinator", FORBIDDEN),
        ("reporter", FORBIDDEN),
        ("observer", FORBIDDEN),
        ("service", FORBIDDEN),
        (PUBLIC, UNAUTHENTICATED),
    ],
)
async def test_who_may_draft_a_rebuttal_of_a_triaged_claim(
    gql: GraphQLClient,
    arrange: Arrange,
    referee: Referee,
    caller: str | None,
    outcome: str | None,
) -> None:
    claim = await arrange.triaged_claim()
    if outcome is not ALLOWED:
        await referee.assert_refused(
            [("draftRebuttal", draft(claim), caller, outcome)], watch=[claim]
        )
        return

    rebuttal = await succeed(gql, "draftRebuttal", draft(claim), as_=caller)

    seen = await read_rebuttal(gql, rebuttal["id"], caller)
    assert seen["status"] == "DRAFT"
    assert seen["institution"] == {"slug": caller.split("_")[0]}
    assert seen["draft"]["headline"] == {"en": FIRST_HEADLINE["en"]}
    assert seen["claim"] == {"id": claim, "status": "IN_PROGRESS"}


@pytest.mark.parametrize("caller", ["interior_editor", "interior_approver"])
async def test_an_unrelated_institution_may_not_draft_a_rebuttal_of_a_public_claim(
    arrange: Arrange, referee: Referee, caller: str
) -> None:
    case = await arrange.published()

    await referee.assert_refused(
        [("draftRebuttal", draft(case.claim), caller, FORBIDDEN)],
        watch=[case.claim, case.rebuttal],
    )


# =============================================================================================
# Editing, submitting, publishing and revising: the institution's editors and approvers only
# =============================================================================================


@pytest.mark.parametrize(
    "member", ["health_editor", "health_editor2", "health_approver", "health_approver2"]
)
async def test_any_editor_or_approver_of_the_institution_may_edit_submit_publish_and_revise(
    gql: GraphQLClient, arrange: Arrange, member: str
) -> None:
    case = await arrange.drafted(by="health_editor")
    # approved by an approver who did not edit it
    approver = "health_approver2" if member == "health_approver" else "health_approver"

    for revision in (1, 2):  # the first publication, then a correction
        for name in ("updateRebuttal", "submitRebuttal"):
            await succeed(gql, name, rebuttal_move(name, case.rebuttal), as_=member)
        await arrange.step(case, "reviewRebuttal", approver)
        published = await succeed(gql, "publishRebuttal", {"rebuttalId": case.rebuttal}, as_=member)
        assert published["status"] == "PUBLISHED"
        if revision == 1:
            revised = await succeed(
                gql, "reviseRebuttal", {"rebuttalId": case.rebuttal}, as_=member
            )
            assert revised["status"] == "DRAFT"

    live = await read_rebuttal(gql, case.rebuttal, PUBLIC)
    assert (live["revision"], live["revisions"]) == (2, [{"number": 1}, {"number": 2}])
    assert live["headline"] == {"en": CORRECTED_HEADLINE["en"]}


#: Everyone but Health's editors and approvers, with the error each gets for a move on Health's
#: rebuttal while it is unpublished (invisible unless one reads everything) and once public.
OUTSIDERS = [
    # caller, before publication, once published
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
async def test_no_outsider_may_edit_submit_review_publish_revise_or_retract_the_rebuttal(
    arrange: Arrange, referee: Referee, caller: str | None, unpublished: str, public: str
) -> None:
    """Health's rebuttal goes through its life: at each step the outsider tries every move Health
    could make there, then Health makes its move."""
    case = await arrange.drafted()
    # the coordinator may retract, but only a published rebuttal (see the transition tests)
    retract = [] if caller == "coordinator" else ["retractRebuttal"]
    life = [
        # the outsider's attempts, the error expected, then Health's move and who makes it
        (["updateRebuttal", "submitRebuttal", "reviseRebuttal", *retract], unpublished),
        ("submitRebuttal", "health_editor"),
        (["reviewRebuttal"], unpublished),
        ("reviewRebuttal", "health_approver"),
        (["publishRebuttal"], unpublished),
        ("publishRebuttal", "health_editor"),
        (["reviseRebuttal", *retract], public),
        ("reviseRebuttal", "health_editor"),
        (["updateRebuttal", "submitRebuttal"], public),
        ("submitRebuttal", "health_editor"),
        (["reviewRebuttal"], public),
        ("reviewRebuttal", "health_approver"),
        (["publishRebuttal"], public),
    ]
    watch = [case.rebuttal]
    problems: list[str | None] = []

    for attempts_or_move, code_or_by in life:
        if isinstance(attempts_or_move, str):
            await arrange.step(case, attempts_or_move, code_or_by)
            continue
        before, _ = await referee.look(watch)
        for name in attempts_or_move:
            input = rebuttal_move(name, case.rebuttal)
            problems.append(
                await referee.refusal(
                    name, input, as_=caller, code=code_or_by, watch=watch, before=before
                )
            )

    assert [p for p in problems if p] == []


# =============================================================================================
# Review: the institution's approvers, never the approver who edited the revision
# =============================================================================================


@pytest.mark.parametrize("approver", ["health_approver", "health_approver2"])
async def test_an_approver_of_the_institution_may_request_changes_and_approve(
    gql: GraphQLClient, arrange: Arrange, approver: str
) -> None:
    case = await arrange.in_review(by="health_editor")

    sent_back = await succeed(gql, "reviewRebuttal", request_changes(case.rebuttal), as_=approver)
    assert sent_back["status"] == "CHANGES_REQUESTED"
    await arrange.step(case, "updateRebuttal", "health_editor")
    await arrange.step(case, "submitRebuttal", "health_editor")
    approved = await succeed(gql, "reviewRebuttal", approval(case.rebuttal), as_=approver)
    assert approved["status"] == "APPROVED"

    seen = await read_rebuttal(gql, case.rebuttal, "health_editor")
    assert seen["reviews"] == [
        {"round": 1, "decision": "REQUEST_CHANGES"},
        {"round": 1, "decision": "APPROVE"},
    ]


@pytest.mark.parametrize("editor", ["health_editor", "health_editor2"])
async def test_an_editor_of_the_institution_may_neither_review_nor_retract(
    arrange: Arrange, referee: Referee, editor: str
) -> None:
    case = await arrange.in_review(by="health_editor")
    watch = [case.rebuttal]

    await referee.assert_refused(
        [
            ("reviewRebuttal", approval(case.rebuttal), editor, FORBIDDEN),
            ("reviewRebuttal", request_changes(case.rebuttal), editor, FORBIDDEN),
        ],
        watch=watch,
    )
    await arrange.step(case, "reviewRebuttal", "health_approver")
    await arrange.step(case, "publishRebuttal", "health_editor")
    await referee.assert_refused(
        [("retractRebuttal", retraction(case.rebuttal), editor, FORBIDDEN)], watch=watch
    )


@pytest.mark.parametrize("edited_by", ["drafting", "updating"])
async def test_the_approver_who_edited_a_revision_may_not_approve_it_but_another_may(
    gql: GraphQLClient, arrange: Arrange, referee: Referee, edited_by: str
) -> None:
    if edited_by == "drafting":
        case = await arrange.in_review(by="health_approver")
    else:
        case = await arrange.drafted(by="health_editor")
        await arrange.step(case, "updateRebuttal", "health_approver")
        await arrange.step(case, "submitRebuttal", "health_editor")

    await referee.assert_refused(
        [("reviewRebuttal", approval(case.rebuttal), "health_approver", FORBIDDEN)],
        watch=[case.rebuttal],
    )
    approved = await succeed(gql, "reviewRebuttal", approval(case.rebuttal), as_="health_approver2")
    assert approved["status"] == "APPROVED"


async def test_authorship_counts_per_revision_the_author_of_a_correction_may_not_approve_it(
    gql: GraphQLClient, arrange: Arrange, referee: Referee
) -> None:
    # health_approver drafted revision 1 and health_approver2 approved it
    case = await arrange.published(by="health_approver", approver="health_approver2")
    # health_approver2 opens, edits and submits the correction
    for name in ("reviseRebuttal", "updateRebuttal", "submitRebuttal"):
        await arrange.step(case, name, "health_approver2")

    await referee.assert_refused(
        [("reviewRebuttal", approval(case.rebuttal), "health_approver2", FORBIDDEN)],
        watch=[case.rebuttal],
    )
    # the author of revision 1 did not touch revision 2
    approved = await succeed(gql, "reviewRebuttal", approval(case.rebuttal), as_="health_approver")
    assert approved["status"] == "APPROVED"


# =============================================================================================
# Retraction: the institution's approvers or the coordinator
# =============================================================================================


@pytest.mark.parametrize("caller", ["health_approver", "health_approver2", "coordinator"])
async def test_the_institutions_approvers_and_the_coordinator_may_retract(
    gql: GraphQLClient, arrange: Arrange, caller: str
) -> None:
    case = await arrange.published()

    await succeed(gql, "retractRebuttal", retraction(case.rebuttal), as_=caller)

    seen = await read_rebuttal(gql, case.rebuttal, PUBLIC)
    assert seen["status"] == "RETRACTED"
    assert seen["retraction"] == {"reason": RETRACTION_REASON}
    assert seen["liveRevision"]["number"] == 1
    assert seen["claim"] == {"id": case.claim, "status": "IN_PROGRESS"}


# =============================================================================================
# Moves out of order: INVALID_TRANSITION, even for those who may make the move
# =============================================================================================

#: Per rebuttal state, the moves it does not allow, each by an account that may make the move in
#: another state (the approver who reviews never edited the working copy).
INVALID_REBUTTAL_MOVES = {
    "DRAFT": [
        ("reviewRebuttal", "health_approver2"),
        ("publishRebuttal", "health_editor"),  # before approval
        ("reviseRebuttal", "health_editor"),
        ("retractRebuttal", "health_approver"),  # never published
        ("retractRebuttal", "coordinator"),
    ],
    "IN_REVIEW": [
        ("submitRebuttal", "health_editor"),
        ("updateRebuttal", "health_editor"),
        ("publishRebuttal", "health_editor"),  # before approval
        ("reviseRebuttal", "health_editor"),
        ("retractRebuttal", "health_approver"),
    ],
    "CHANGES_REQUESTED": [
        ("reviewRebuttal", "health_approver2"),
        ("publishRebuttal", "health_editor"),  # approval was refused
        ("reviseRebuttal", "health_editor"),
        ("retractRebuttal", "coordinator"),
    ],
    "APPROVED": [
        ("updateRebuttal", "health_editor"),
        ("submitRebuttal", "health_editor"),
        ("reviewRebuttal", "health_approver2"),
        ("reviseRebuttal", "health_editor"),
        ("retractRebuttal", "health_approver"),  # approved, never published
        ("retractRebuttal", "coordinator"),
    ],
    "PUBLISHED": [
        ("updateRebuttal", "health_editor"),
        ("submitRebuttal", "health_editor"),
        ("reviewRebuttal", "health_approver2"),
        ("publishRebuttal", "health_editor"),
    ],
    "correction-IN_REVIEW": [
        ("updateRebuttal", "health_editor"),
        ("submitRebuttal", "health_editor"),
        ("publishRebuttal", "health_editor"),
        ("reviseRebuttal", "health_editor"),
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


@pytest.mark.parametrize("state", list(INVALID_REBUTTAL_MOVES))
async def test_rebuttal_moves_the_state_does_not_allow_are_invalid_transitions(
    gql: GraphQLClient, arrange: Arrange, referee: Referee, state: str
) -> None:
    build = {
        "DRAFT": arrange.drafted,
        "IN_REVIEW": arrange.in_review,
        "CHANGES_REQUESTED": arrange.changes_requested,
        "APPROVED": arrange.approved,
        "PUBLISHED": arrange.published,
        "correction-IN_REVIEW": arrange.correction_in_review,
        "RETRACTED": arrange.retracted,
    }
    case = await build[state]()
    assert (await read_rebuttal(gql, case.rebuttal, "observer"))["status"] == state.split("-")[-1]

    await referee.assert_refused(
        [
            (name, rebuttal_move(name, case.rebuttal), caller, INVALID_TRANSITION)
            for name, caller in INVALID_REBUTTAL_MOVES[state]
        ],
        watch=[case.rebuttal],
    )


@pytest.mark.parametrize("state", ["DISMISSED", "REBUTTED", "MERGED"])
async def test_a_closed_claim_cannot_be_triaged_dismissed_merged_merged_into_or_answered(
    gql: GraphQLClient, arrange: Arrange, referee: Referee, state: str
) -> None:
    closed = {"DISMISSED": arrange.dismissed_claim, "MERGED": arrange.merged_claim}
    claim = (await arrange.published()).claim if state == "REBUTTED" else await closed[state]()
    open_claim = await arrange.reported_claim()
    assert (await read_claim(gql, claim, "observer"))["status"] == state
    moves = [
        ("triageClaim", triage(claim), "coordinator"),
        ("dismissClaim", dismissal(claim), "coordinator"),
        ("mergeClaim", merge(claim, open_claim), "coordinator"),
    ]
    if state != "REBUTTED":  # a rebutted claim may still be merged into and answered
        moves.append(("mergeClaim", merge(open_claim, claim), "coordinator"))
        moves.append(("draftRebuttal", draft(claim), "health_editor"))

    await referee.assert_refused(
        [(name, input, caller, INVALID_TRANSITION) for name, input, caller in moves],
        watch=[claim, open_claim],
    )


@pytest.mark.parametrize("author", ["health_editor", "health_approver"])
async def test_a_claim_not_yet_triaged_cannot_be_answered_even_by_staff_who_reported_it(
    gql: GraphQLClient, arrange: Arrange, referee: Referee, author: str
) -> None:
    claim = await arrange.reported_claim(by=author)
    assert (await read_claim(gql, claim, author))["status"] == "REPORTED"  # they can see it

    await referee.assert_refused(
        [("draftRebuttal", draft(claim), author, INVALID_TRANSITION)], watch=[claim]
    )


# =============================================================================================
# Reading: lists and node(id:) show each caller the same records
# =============================================================================================

#: caller, reads the claim before it is public, reads Health's unpublished rebuttal, reads
#: Health's working copies and reviews.
READERS = [
    (PUBLIC, False, False, False),
    ("reporter", True, False, False),  # reported the claim
    ("reporter2", False, False, False),
    ("service", False, False, False),
    ("interior_editor", False, False, False),  # unrelated institution
    ("interior_approver", False, False, False),
    ("education_editor", True, False, False),  # supporting: the claim, not Health's rebuttal
    ("health_editor", True, True, True),
    ("health_approver2", True, True, True),
    ("coordinator", True, True, True),
    ("observer", True, True, True),
]


@pytest.mark.parametrize(("caller", "reads_claim", "reads_rebuttal", "reads_work"), READERS)
async def test_what_each_caller_reads_before_publication_once_published_and_during_a_correction(
    gql: GraphQLClient,
    arrange: Arrange,
    caller: str | None,
    reads_claim: bool,
    reads_rebuttal: bool,
    reads_work: bool,
) -> None:
    case = await arrange.drafted()

    # Before publication: only those concerned, through node(id:) and the lists alike.
    seen = await read(gql, case, caller)
    assert (seen.claim is not None, seen.claim_listed) == (reads_claim, reads_claim)
    assert (seen.rebuttal is not None, seen.rebuttal_listed) == (reads_rebuttal, reads_rebuttal)
    if reads_claim:
        assert seen.claim["rebuttals"] == ([{"id": case.rebuttal}] if reads_rebuttal else [])
    if reads_rebuttal:
        assert seen.rebuttal["status"] == "DRAFT"
        assert seen.rebuttal["draft"]["headline"] == {"en": FIRST_HEADLINE["en"]}
        assert seen.rebuttal["claim"] == {"id": case.claim, "status": "IN_PROGRESS"}

    # Once published: everyone reads the rebuttal, its claim, its evidence and revision 1.
    await arrange.step(case, "submitRebuttal", "health_editor")
    await arrange.step(case, "reviewRebuttal", "health_approver")
    await arrange.step(case, "publishRebuttal", "health_editor")
    seen = await read(gql, case, caller)
    revision_1 = {"number": 1, "verdict": "FALSE", "headline": {"en": FIRST_HEADLINE["en"]}}
    assert (seen.claim_listed, seen.rebuttal_listed) == (True, True)
    assert seen.claim["status"] == "REBUTTED"
    assert seen.claim["rebuttals"] == [{"id": case.rebuttal}]
    assert seen.rebuttal["status"] == "PUBLISHED"
    assert seen.rebuttal["claim"] == {"id": case.claim, "status": "REBUTTED"}
    assert (seen.rebuttal["revision"], seen.rebuttal["revisions"]) == (1, [{"number": 1}])
    assert seen.rebuttal["liveRevision"] == revision_1
    assert seen.rebuttal["evidence"] == [EVIDENCE]
    assert seen.rebuttal["draft"] is None
    assert seen.rebuttal["reviews"] == ([{"round": 1, "decision": "APPROVE"}] if reads_work else [])

    # During a correction: its working copy and reviews stay with those concerned, while
    # revision 1 stays live and readable for everyone.
    for name in ("reviseRebuttal", "updateRebuttal", "submitRebuttal"):
        await arrange.step(case, name, "health_editor")
    await arrange.step(case, "requestChanges", "health_approver")
    rebuttal = (await read(gql, case, caller)).rebuttal
    assert (rebuttal["revision"], rebuttal["liveRevision"]) == (1, revision_1)
    assert (rebuttal["verdict"], rebuttal["headline"]) == ("FALSE", {"en": FIRST_HEADLINE["en"]})
    assert rebuttal["evidence"] == [EVIDENCE]
    if reads_work:
        assert rebuttal["status"] == "CHANGES_REQUESTED"
        assert rebuttal["draft"] == {
            "verdict": "MISLEADING",
            "headline": {"en": CORRECTED_HEADLINE["en"]},
            "nextRevision": 2,
        }
        assert rebuttal["reviews"] == [
            {"round": 1, "decision": "APPROVE"},
            {"round": 2, "decision": "REQUEST_CHANGES"},
        ]
    else:
        assert rebuttal["status"] == "PUBLISHED"
        assert rebuttal["draft"] is None
        assert rebuttal["reviews"] == []


@pytest.mark.parametrize(
    ("caller", "reads_work"),
    [
        (PUBLIC, False),
        ("education_editor", False),
        ("health_editor", True),
        ("coordinator", True),
        ("observer", True),
    ],
)
async def test_list_filters_find_a_rebuttal_under_correction_by_what_the_caller_sees_of_it(
    gql: GraphQLClient, arrange: Arrange, caller: str | None, reads_work: bool
) -> None:
    case = await arrange.correction_in_review()
    await arrange.step(case, "requestChanges", "health_approver")
    status = (await read_rebuttal(gql, case.rebuttal, caller))["status"]
    assert status == ("CHANGES_REQUESTED" if reads_work else "PUBLISHED")

    filtered = await gql.execute(FILTERED, as_=caller)

    found = {name: case.rebuttal in ids(connection) for name, connection in filtered.items()}
    # the status filter matches the status the caller sees; the verdict filter the live verdict
    assert found == {
        "published": not reads_work,
        "changesRequested": reads_work,
        "liveVerdict": True,
        "draftVerdict": False,
    }


# =============================================================================================
# Tokens: a bad token is an error, never public access
# =============================================================================================

LISTS = "{ claims { edges { node { id } } } rebuttals { edges { node { id } } } }"


def assert_unauthenticated(response: httpx.Response) -> None:
    assert response.status_code == 401, response.text
    body = response.json()
    assert "data" not in body
    assert [error["extensions"]["code"] for error in body["errors"]] == [UNAUTHENTICATED]


async def test_a_revoked_token_gets_401_not_public_data(
    gql: GraphQLClient, arrange: Arrange, referee: Referee
) -> None:
    case = await arrange.published()  # there is public data to fall back on
    # a token of its own: the accounts of tests/support.py are shared by this module's tests
    issued = await create_token("health_approver_revoked", Role.APPROVER, "health")
    gql.world.tokens["health_approver_revoked"] = issued.secret
    gql.world.token_ids["health_approver_revoked"] = issued.token.id
    assert (await gql.execute("{ viewer { name } }", as_="health_approver_revoked"))["viewer"]
    await revoke_token(gql.world.token_ids["health_approver_revoked"])  # audited: an event
    before, _ = await referee.look([case.claim, case.rebuttal])

    query = await gql.post(LISTS, as_="health_approver_revoked")
    mutation = await gql.post(
        "mutation($input: RetractRebuttalInput!) { retractRebuttal(input: $input) "
        "{ errors { code } } }",
        {"input": retraction(case.rebuttal)},
        as_="health_approver_revoked",
    )

    assert_unauthenticated(query)
    assert_unauthenticated(mutation)
    assert await referee.look([case.claim, case.rebuttal]) == (before, [])
    # the institution's other tokens keep working
    viewer = await gql.execute("{ viewer { name } }", as_="health_approver")
    assert viewer == {"viewer": {"name": "health_approver"}}


@pytest.mark.parametrize(
    "authorization",
    [
        f"Bearer chub_{secrets.token_urlsafe(32)}",
        "Bearer not-a-coordhub-token",
        "Basic aGVhbHRoOmVkaXRvcg==",
    ],
    ids=["unknown", "malformed", "not-bearer"],
)
async def test_an_unknown_or_malformed_token_gets_401_not_public_data(
    gql: GraphQLClient, arrange: Arrange, authorization: str
) -> None:
    await arrange.published()

    response = await gql.post(LISTS, headers={"authorization": authorization})

    assert_unauthenticated(response)
