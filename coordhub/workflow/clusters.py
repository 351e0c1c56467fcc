"""Claim clusters: related claims (one rumour told in several ways, often answered by several
institutions) linked without merging them, and triage applied to a whole cluster.

Only the coordinator links and unlinks. Linking claims joins their clusters into one (the
oldest survives); a cluster holds at most ``MAX_CLUSTER`` claims. Each claim that joins or
leaves writes CLAIM_LINKED or CLAIM_UNLINKED (not public: a cluster is the desks' working
view). Merged claims cannot be linked; merging a linked claim keeps its link.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from tortoise.transactions import in_transaction

from coordhub.actor import Actor
from coordhub.events.log import append, committed
from coordhub.models import Claim, ClaimCluster, ClaimStatus, EventType, Priority, Role
from coordhub.settings import Settings
from coordhub.workflow.claims import (
    OPEN,
    apply_triage,
    checked_triage,
    claim_institution_slugs,
    get_visible_claim,
)
from coordhub.workflow.errors import invalid, invalid_transition, not_found
from coordhub.workflow.permissions import require_role
from coordhub.workflow.visibility import claims_filter

#: The most claims one cluster holds.
MAX_CLUSTER = 50


async def link_claims(actor: Actor | None, claim_ids: Sequence[int]) -> list[Claim]:
    """Put the claims, and the clusters they are in, into one cluster; the claims named."""
    actor = require_role(actor, (Role.COORDINATOR,), "link claims")
    wanted = list(dict.fromkeys(claim_ids))
    if not 2 <= len(wanted) <= MAX_CLUSTER or len(claim_ids) > MAX_CLUSTER:
        raise invalid(f"Name from 2 to {MAX_CLUSTER} different claims.", "claimIds")
    async with in_transaction():
        named = await _locked(actor, wanted)
        merged = [c for c in named if c.status == ClaimStatus.MERGED]
        if merged:
            raise invalid_transition(
                f"Claim {merged[0].id} is MERGED: link the claim it was merged into instead."
            )
        clusters = sorted({c.cluster_id for c in named if c.cluster_id is not None})
        members = (
            await Claim.filter(cluster_id__in=clusters).select_for_update() if clusters else []
        )
        everyone = {c.id: c for c in [*members, *named]}
        if len(everyone) > MAX_CLUSTER:
            raise invalid(
                f"Together these claims and their clusters hold {len(everyone)} claims; a "
                f"cluster holds at most {MAX_CLUSTER}.",
                "claimIds",
            )
        cluster_id = clusters[0] if clusters else (await ClaimCluster.create()).id
        for claim in everyone.values():
            if claim.cluster_id == cluster_id:
                continue
            claim.cluster_id = cluster_id
            await Claim.filter(id=claim.id).update(cluster_id=cluster_id)
            await _record(EventType.CLAIM_LINKED, actor, claim, cluster_id, len(everyone))
        if clusters[1:]:
            await ClaimCluster.filter(id__in=clusters[1:]).delete()
    await committed()
    return named


async def unlink_claim(actor: Actor | None, claim_id: int) -> Claim:
    """Take a claim out of its cluster; a cluster left with one claim is dissolved."""
    actor = require_role(actor, (Role.COORDINATOR,), "unlink claims")
    async with in_transaction():
        claim = await get_visible_claim(actor, claim_id, lock=True)
        cluster_id = claim.cluster_id
        if cluster_id is None:
            raise invalid_transition("The claim is in no cluster.")
        rest = await Claim.filter(cluster_id=cluster_id).exclude(id=claim.id).select_for_update()
        leaving = [claim, *rest] if len(rest) == 1 else [claim]
        for row in leaving:
            row.cluster_id = None
            await Claim.filter(id=row.id).update(cluster_id=None)
            await _record(EventType.CLAIM_UNLINKED, actor, row, cluster_id, len(rest) + 1)
        if len(leaving) > 1:
            await ClaimCluster.filter(id=cluster_id).delete()
    await committed()
    return claim


async def triage_cluster(
    actor: Actor | None,
    claim_id: int,
    *,
    lead: str,
    supporting: Sequence[str],
    priority: Priority,
    due_at: datetime | None,
    settings: Settings,
) -> list[Claim]:
    """Triage every open claim of ``claim_id``'s cluster alike (the claim itself at least);
    claims already rebutted, dismissed or merged are left as they are. The claims triaged."""
    actor, triage = await checked_triage(
        actor, lead=lead, supporting=supporting, priority=priority, due_at=due_at
    )
    async with in_transaction():
        claim = await get_visible_claim(actor, claim_id, lock=True)
        if claim.status not in OPEN:
            raise invalid_transition(f"A {claim.status.value} claim cannot be triaged.")
        others = []
        if claim.cluster_id is not None:
            others = (
                await Claim.filter(cluster_id=claim.cluster_id, status__in=OPEN)
                .exclude(id=claim.id)
                .order_by("id")
                .select_for_update()
            )
        triaged = [claim, *others]
        now = datetime.now(UTC)  # one due-by for all
        for row in triaged:
            await apply_triage(actor, row, triage, settings, now)
    await committed()
    return triaged


async def _locked(actor: Actor, claim_ids: list[int]) -> list[Claim]:
    """The claims, locked in id order, in the order named; NOT_FOUND for one not there."""
    rows = {
        row.id: row
        for row in await Claim.filter(claims_filter(actor), id__in=claim_ids)
        .order_by("id")
        .select_for_update()
    }
    missing = [i for i in claim_ids if i not in rows]
    if missing:
        raise not_found(f"claim {missing[0]}", "claimIds")
    return [rows[i] for i in claim_ids]


async def _record(
    event_type: EventType, actor: Actor, claim: Claim, cluster_id: int, size: int
) -> None:
    await append(
        event_type,
        actor=actor,
        claim_id=claim.id,
        institutions=await claim_institution_slugs(claim),
        payload={"claimStatus": claim.status.value, "clusterId": cluster_id, "clusterSize": size},
    )
