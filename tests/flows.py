"""Building blocks for tests: drive a claim or rebuttal to a state through GraphQL, and the
test cast as ``coordhub.demo.scenario`` desks to drive them through the workflow instead.

Over GraphQL is for the tests that need the move made by the server under test (a live server in
another process, an app whose wake-ups or cache the test watches); elsewhere
``Scenario(await desks(gql.world), settings)`` is the shorter way. Both tell the same sample
story (``Story()``): what the claim says and what the Ministry of Health answers.
"""

from __future__ import annotations

from typing import Any

from coordhub.auth import actor_for_token
from coordhub.demo.scenario import Desks, Story
from coordhub.models import Role
from coordhub.workflow.inputs import ClaimReport, RebuttalContent
from tests.support import ACCOUNTS, GraphQLClient, World

SAMPLE = Story()
KHMER_SUMMARY = SAMPLE.report.summary.km
KHMER_PHRASE = "វ៉ាក់សាំងបង្ក"


async def desks(world: World) -> Desks:
    """The test cast (``tests.support.ACCOUNTS``) at their desks: ``reporter``,
    ``coordinator``, and the first editor and approver of each institution."""
    staff = [
        await actor_for_token(world.tokens[key])
        for key, (role, _) in ACCOUNTS.items()
        if role in (Role.EDITOR, Role.APPROVER)
    ]
    reporter = await actor_for_token(world.tokens["reporter"])
    coordinator = await actor_for_token(world.tokens["coordinator"])
    return Desks(reporter, coordinator, staff)


def graphql_report(report: ClaimReport) -> dict[str, Any]:
    """``report`` as a ``ReportClaimInput``."""
    out: dict[str, Any] = {
        "summary": {"km": report.summary.km, "en": report.summary.en},
        "topic": report.topic,
        "appearances": [
            {"url": a.url, "outlet": a.outlet, "seenAt": a.seen_at.isoformat()}
            for a in report.appearances
        ],
    }
    if report.first_seen_at is not None:
        out["firstSeenAt"] = report.first_seen_at.isoformat()
    return out


def graphql_content(content: RebuttalContent) -> dict[str, Any]:
    """The fields ``content`` sets, as in ``DraftRebuttalInput`` and ``UpdateRebuttalInput``."""
    out: dict[str, Any] = {}
    if content.verdict is not None:
        out["verdict"] = content.verdict.value
    for name in ("headline", "body"):
        text = getattr(content, name)
        if text is not None:
            out[name] = {"km": text.km, "en": text.en}
    if content.evidence is not None:
        out["evidence"] = [
            {
                "url": e.url,
                "title": {"km": e.title.km, "en": e.title.en},
                **({"note": {"km": e.note.km, "en": e.note.en}} if e.note else {}),
            }
            for e in content.evidence
        ]
    if content.channels is not None:
        out["channels"] = list(content.channels)
    return out


def report_input(km: str = KHMER_SUMMARY, en: str = SAMPLE.report.summary.en) -> dict[str, Any]:
    """The sample claim's ``ReportClaimInput``, its summary as given."""
    return {**graphql_report(SAMPLE.report), "summary": {"km": km, "en": en}}


def draft_input(claim_id: str, **overrides: Any) -> dict[str, Any]:
    """The sample rebuttal's ``DraftRebuttalInput`` of ``claim_id``, with ``overrides``."""
    return {"claimId": claim_id, **graphql_content(SAMPLE.rebuttal), **overrides}


async def ok(gql: GraphQLClient, name: str, input: dict[str, Any], *, as_: str) -> dict[str, Any]:
    """Run a mutation that must succeed; the claim or rebuttal it returns (``id status``)."""
    payload = await gql.mutate(name, input, as_=as_)
    assert payload["errors"] == [], payload["errors"]
    return payload["claim" if "Claim" in name else "rebuttal"]


async def reported_claim(gql: GraphQLClient, **kwargs: Any) -> str:
    """A new REPORTED sample claim (``report_input(**kwargs)``); its id."""
    return (await ok(gql, "reportClaim", report_input(**kwargs), as_="reporter"))["id"]


async def triaged_claim(gql: GraphQLClient, supporting: list[str] | None = None) -> str:
    """A new sample claim TRIAGED to the sample's lead (and ``supporting``); its id."""
    claim_id = await reported_claim(gql)
    triage = {
        "claimId": claim_id,
        "lead": SAMPLE.lead,
        "supporting": list(SAMPLE.supporting) if supporting is None else supporting,
        "priority": SAMPLE.priority.value,
    }
    await ok(gql, "triageClaim", triage, as_="coordinator")
    return claim_id


async def drafted_rebuttal(gql: GraphQLClient, claim_id: str | None = None) -> tuple[str, str]:
    """Health's sample rebuttal in DRAFT, of ``claim_id`` or a new triaged claim; both ids."""
    claim_id = claim_id or await triaged_claim(gql)
    rebuttal = await ok(gql, "draftRebuttal", draft_input(claim_id), as_="health_editor")
    return claim_id, rebuttal["id"]


async def approved_rebuttal(gql: GraphQLClient) -> tuple[str, str]:
    """Health's sample rebuttal of a new claim, APPROVED; the claim's and the rebuttal's ids."""
    claim_id, rebuttal_id = await drafted_rebuttal(gql)
    await approve(gql, rebuttal_id)
    return claim_id, rebuttal_id


async def published_rebuttal(gql: GraphQLClient) -> tuple[str, str]:
    """Health's sample rebuttal of a new claim, PUBLISHED; the claim's and the rebuttal's ids."""
    claim_id, rebuttal_id = await approved_rebuttal(gql)
    await ok(gql, "publishRebuttal", {"rebuttalId": rebuttal_id}, as_="health_editor")
    return claim_id, rebuttal_id


async def publish(gql: GraphQLClient, channels: list[str], *, claim_id: str | None = None) -> str:
    """Draft, approve and publish a rebuttal to ``channels``; its id."""
    claim_id = claim_id or await triaged_claim(gql)
    rebuttal = await ok(
        gql, "draftRebuttal", draft_input(claim_id, channels=channels), as_="health_editor"
    )
    await approve_and_publish(gql, rebuttal["id"])
    return rebuttal["id"]


async def approve(gql: GraphQLClient, rebuttal_id: str) -> None:
    """Submit the working copy (Health's editor) and approve it (Health's approver)."""
    await ok(gql, "submitRebuttal", {"rebuttalId": rebuttal_id}, as_="health_editor")
    review = {"rebuttalId": rebuttal_id, "decision": "APPROVE"}
    await ok(gql, "reviewRebuttal", review, as_="health_approver")


async def approve_and_publish(gql: GraphQLClient, rebuttal_id: str) -> None:
    """Submit, approve and publish the working copy as the next revision."""
    await approve(gql, rebuttal_id)
    await ok(gql, "publishRebuttal", {"rebuttalId": rebuttal_id}, as_="health_editor")


async def correct(gql: GraphQLClient, rebuttal_id: str, headline: str) -> None:
    """Publish a correction of a published rebuttal: a new headline, as the next revision."""
    await ok(gql, "reviseRebuttal", {"rebuttalId": rebuttal_id}, as_="health_editor")
    change = {"rebuttalId": rebuttal_id, "headline": {"km": headline, "en": headline}}
    await ok(gql, "updateRebuttal", change, as_="health_editor")
    await approve_and_publish(gql, rebuttal_id)
