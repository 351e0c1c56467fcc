"""Claim clusters: linking related claims and triaging a cluster, through
``coordhub.workflow.clusters``."""

from __future__ import annotations

from typing import Self

import strawberry

from coordhub.models import Claim as ClaimRow
from coordhub.schema.claims.mutations import ClaimPayload, TriageClaimInput, claim_pk
from coordhub.schema.claims.types import Claim
from coordhub.schema.context import Info
from coordhub.schema.errors import UserError, attempt
from coordhub.workflow import clusters as flow
from coordhub.workflow.clusters import MAX_CLUSTER


@strawberry.input(description="Link related claims into one cluster (coordinator only).")
class LinkClaimsInput:
    claim_ids: list[strawberry.ID] = strawberry.field(
        description=f"From 2 to {MAX_CLUSTER} claims. Clusters they are already in join too."
    )


@strawberry.input(description="Take a claim out of its cluster (coordinator only).")
class UnlinkClaimInput:
    claim_id: strawberry.ID = strawberry.field(description="The claim.")


@strawberry.type(description="The result of a mutation on several claims.")
class ClaimsPayload:
    claims: list[Claim] = strawberry.field(description="The claims after the change.")
    errors: list[UserError] = strawberry.field(description="Empty on success.")

    @classmethod
    def of(cls, rows: list[ClaimRow] | None, errors: list[UserError]) -> Self:
        return cls(claims=[Claim.from_row(row) for row in rows or []], errors=errors)


def _claim_pks(values: list[strawberry.ID]) -> list[int]:
    if len(values) > MAX_CLUSTER:  # refused before decoding a long list
        return [claim_pk(v, "claimIds") for v in values[: MAX_CLUSTER + 1]]
    return [claim_pk(v, "claimIds") for v in values]


@strawberry.type
class ClusterMutations:
    @strawberry.mutation(
        description="Link related claims (the same rumour told differently, often answered by "
        "several institutions) into one cluster without merging them: each keeps its own "
        "status, lead and rebuttals, and `linkedClaims` lists the others. Writes CLAIM_LINKED "
        "for each claim that joins (not public). MERGED claims cannot be linked."
    )
    async def link_claims(self, info: Info, input: LinkClaimsInput) -> ClaimsPayload:
        return await attempt(
            ClaimsPayload.of,
            lambda: flow.link_claims(info.context.actor, _claim_pks(input.claim_ids)),
        )

    @strawberry.mutation(
        description="Take a claim out of its cluster (CLAIM_UNLINKED); a cluster left with "
        "one claim is dissolved."
    )
    async def unlink_claim(self, info: Info, input: UnlinkClaimInput) -> ClaimPayload:
        return await attempt(
            ClaimPayload.of,
            lambda: flow.unlink_claim(info.context.actor, claim_pk(input.claim_id)),
        )

    @strawberry.mutation(
        description="Triage the claim and every other open claim (REPORTED, TRIAGED, "
        "IN_PROGRESS) of its cluster alike, in one transaction: one CLAIM_TRIAGED event "
        "each. Claims already rebutted, dismissed or merged are left as they are. Returns "
        "the claims triaged, the one named first."
    )
    async def triage_cluster(self, info: Info, input: TriageClaimInput) -> ClaimsPayload:
        return await attempt(
            ClaimsPayload.of,
            lambda: flow.triage_cluster(
                info.context.actor,
                claim_pk(input.claim_id),
                lead=input.lead,
                supporting=input.supporting,
                priority=input.priority,
                due_at=input.due_at,
                settings=info.context.settings,
            ),
        )
