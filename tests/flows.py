"""Building blocks for tests: drive a claim or rebuttal to a state through GraphQL."""

from __future__ import annotations

from typing import Any

from tests.support import GraphQLClient

KHMER_SUMMARY = "ពាក្យចចាមអារ៉ាមថាវ៉ាក់សាំងបង្កឱ្យមានភាពគ្មានកូន"
KHMER_PHRASE = "វ៉ាក់សាំងបង្ក"


def report_input(km: str = KHMER_SUMMARY, en: str = "Rumour that a vaccine causes infertility"):
    return {
        "summary": {"km": km, "en": en},
        "topic": "health",
        "appearances": [
            {
                "url": "https://social.example/p/1",
                "outlet": "Facebook",
                "seenAt": "2026-11-20T08:00:00+07:00",
            }
        ],
    }


def draft_input(claim_id: str, **overrides: Any) -> dict[str, Any]:
    base = {
        "claimId": claim_id,
        "verdict": "FALSE",
        "headline": {"km": "វ៉ាក់សាំងមានសុវត្ថិភាព", "en": "The vaccine is safe"},
        "body": {"km": "ក្រសួងសុខាភិបាលបញ្ជាក់ថា...", "en": "The Ministry of Health confirms..."},
        "evidence": [
            {"url": "https://who.example/hpv", "title": "WHO on HPV vaccines", "note": "Safety"}
        ],
        "channels": ["akp", "tvk"],
    }
    base.update(overrides)
    return base


async def ok(gql: GraphQLClient, name: str, input: dict[str, Any], *, as_: str) -> dict[str, Any]:
    payload = await gql.mutate(name, input, as_=as_)
    assert payload["errors"] == [], payload["errors"]
    return payload["claim" if "Claim" in name else "rebuttal"]


async def reported_claim(gql: GraphQLClient, **kwargs: Any) -> str:
    return (await ok(gql, "reportClaim", report_input(**kwargs), as_="reporter"))["id"]


async def triaged_claim(gql: GraphQLClient, supporting: list[str] | None = None) -> str:
    claim_id = await reported_claim(gql)
    triage = {
        "claimId": claim_id,
        "lead": "health",
        "supporting": supporting if supporting is not None else ["education"],
        "priority": "HIGH",
    }
    await ok(gql, "triageClaim", triage, as_="coordinator")
    return claim_id


async def drafted_rebuttal(gql: GraphQLClient, claim_id: str | None = None) -> tuple[str, str]:
    claim_id = claim_id or await triaged_claim(gql)
    rebuttal = await ok(gql, "draftRebuttal", draft_input(claim_id), as_="health_editor")
    return claim_id, rebuttal["id"]


async def approved_rebuttal(gql: GraphQLClient) -> tuple[str, str]:
    claim_id, rebuttal_id = await drafted_rebuttal(gql)
    await ok(gql, "submitRebuttal", {"rebuttalId": rebuttal_id}, as_="health_editor")
    review = {"rebuttalId": rebuttal_id, "decision": "APPROVE"}
    await ok(gql, "reviewRebuttal", review, as_="health_approver")
    return claim_id, rebuttal_id


async def published_rebuttal(gql: GraphQLClient) -> tuple[str, str]:
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


async def approve_and_publish(gql: GraphQLClient, rebuttal_id: str) -> None:
    await ok(gql, "submitRebuttal", {"rebuttalId": rebuttal_id}, as_="health_editor")
    review = {"rebuttalId": rebuttal_id, "decision": "APPROVE"}
    await ok(gql, "reviewRebuttal", review, as_="health_approver")
    await ok(gql, "publishRebuttal", {"rebuttalId": rebuttal_id}, as_="health_editor")


async def correct(gql: GraphQLClient, rebuttal_id: str, headline: str) -> None:
    await ok(gql, "reviseRebuttal", {"rebuttalId": rebuttal_id}, as_="health_editor")
    change = {"rebuttalId": rebuttal_id, "headline": {"km": headline, "en": headline}}
    await ok(gql, "updateRebuttal", change, as_="health_editor")
    await approve_and_publish(gql, rebuttal_id)
