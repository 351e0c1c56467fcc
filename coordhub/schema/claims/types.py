"""Claims: the type and what it holds (appearances, a dismissal)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Self

import strawberry
from strawberry import relay

from coordhub.models import Claim as ClaimRow
from coordhub.models import ClaimStatus, DismissalReason, Priority, Role
from coordhub.schema.cacheability import valid_until
from coordhub.schema.common import LocalizedText
from coordhub.schema.context import Info
from coordhub.schema.institutions.types import Institution, load_institution
from coordhub.schema.nodes import as_node, load_nodes, register
from coordhub.workflow import duplicates
from coordhub.workflow.duplicates import MAX_SUGGESTIONS, THRESHOLD

if TYPE_CHECKING:
    from coordhub.schema.rebuttals.types import Rebuttal

ClaimStatusEnum = strawberry.enum(
    ClaimStatus,
    description=(
        "REPORTED -> TRIAGED -> IN_PROGRESS -> REBUTTED, or DISMISSED (with a public reason) "
        "or MERGED (a duplicate of another claim)."
    ),
)
PriorityEnum = strawberry.enum(
    Priority, description="How urgent a claim is. Sets its due-by (an SLA) at triage."
)
DismissalReasonEnum = strawberry.enum(
    DismissalReason,
    description=(
        "Why a claim needs no rebuttal. Public, with its note. News is a statement of fact on a "
        "matter of public concern, presented as true and circulating in public; the reasons "
        "below say why a claim is not, or needs no answer."
    ),
)
#: The public definition of each dismissal reason (the about page gives them in both languages).
DISMISSAL_DEFINITIONS: dict[DismissalReason, str] = {
    DismissalReason.ACCURATE: "The claim is true: there is nothing to rebut.",
    DismissalReason.NOT_NEWS: (
        "Not a statement of fact on a matter of public concern: advertising, a private "
        "exchange, a question or a rumour about nobody's act. Opinion and satire have reasons "
        "of their own."
    ),
    DismissalReason.OPINION: (
        "A view, a judgement or a prediction, presented as such, not a statement of fact: it "
        "can be disagreed with, not refuted with evidence."
    ),
    DismissalReason.SATIRE: (
        "Satire or parody that a reasonable reader recognises as such (it presents itself as "
        "satire, or its outlet does). Satire passed off as fact is news, and answered."
    ),
    DismissalReason.NOT_VERIFIABLE: (
        "A statement of fact that no record can confirm or refute: it names no act, time or "
        "place that evidence could speak to, so a rebuttal would have nothing to show."
    ),
    DismissalReason.OUT_OF_SCOPE: (
        "The claim does not concern a ministry or state institution of the working group."
    ),
    DismissalReason.INSUFFICIENT_REACH: (
        "The claim has circulated so little that a public rebuttal would spread it further "
        "rather than correct it."
    ),
}
_reasons = DismissalReasonEnum.__strawberry_definition__  # type: ignore[attr-defined]
_reasons.values = [
    replace(value, description=DISMISSAL_DEFINITIONS[DismissalReason(value.value)])
    for value in _reasons.values
]
OVERDUE_STATUSES = (ClaimStatus.TRIAGED, ClaimStatus.IN_PROGRESS)


@strawberry.type(description="Where a claim was seen. Never a person: an address, a platform.")
class Appearance:
    url: str = strawberry.field(description="Address of the item.")
    outlet: str = strawberry.field(description="Outlet or platform name.")
    seen_at: datetime = strawberry.field(description="When it was seen there.")


@strawberry.type(description="Why a claim was closed without a rebuttal. Public.")
class Dismissal:
    reason: DismissalReasonEnum = strawberry.field(description="The reason, as a code.")
    note: LocalizedText = strawberry.field(description="The public explanation.")
    dismissed_at: datetime = strawberry.field(description="When it was dismissed.")


@strawberry.type(description="A circulating item of false or misleading news.")
class Claim(relay.Node):
    pk: relay.NodeID[int]
    summary: LocalizedText = strawberry.field(description="What the claim says.")
    topic: str = strawberry.field(description="A short topic tag, e.g. `health`.")
    status: ClaimStatusEnum = strawberry.field(description="Where the claim stands.")
    priority: PriorityEnum = strawberry.field(description="How urgent it is.")
    first_seen_at: datetime = strawberry.field(description="When it was first seen anywhere.")
    reported_at: datetime = strawberry.field(description="When it was reported.")
    triaged_at: datetime | None = strawberry.field(description="When it was last triaged.")
    due_at: datetime | None = strawberry.field(description="When a rebuttal is due.")
    rebutted_at: datetime | None = strawberry.field(description="When it was first rebutted.")
    overdue: bool = strawberry.field(description="Triaged or in progress, and past its due-by.")
    dismissal: Dismissal | None = strawberry.field(description="Set when DISMISSED.")
    lead_institution_id: strawberry.Private[int | None]
    merged_into_id: strawberry.Private[int | None]
    cluster_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: ClaimRow) -> Self:
        dismissal = None
        if row.dismissal_reason is not None and row.dismissed_at is not None:
            dismissal = Dismissal(
                reason=row.dismissal_reason,
                note=LocalizedText(km=row.dismissal_note_km or "", en=row.dismissal_note_en or ""),
                dismissed_at=row.dismissed_at,
            )
        overdue = False
        if row.due_at is not None and row.status in OVERDUE_STATUSES:
            overdue = row.due_at < datetime.now(UTC)
            if not overdue:
                valid_until(row.due_at)  # turns true with time alone, without any write
        return cls(
            pk=row.id,
            summary=LocalizedText(km=row.summary_km, en=row.summary_en),
            topic=row.topic,
            status=row.status,
            priority=row.priority,
            first_seen_at=row.first_seen_at,
            reported_at=row.created_at,
            triaged_at=row.triaged_at,
            due_at=row.due_at,
            rebutted_at=row.rebutted_at,
            overdue=overdue,
            dismissal=dismissal,
            lead_institution_id=row.lead_institution_id,
            merged_into_id=row.merged_into_id,
            cluster_id=row.cluster_id,
        )

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        return await load_nodes(info.context.loaders.claim, node_ids, cls.from_row)

    @strawberry.field(description="The institution that answers the claim (set at triage).")
    async def lead_institution(self, info: Info) -> Institution | None:
        return await load_institution(info, self.lead_institution_id)

    @strawberry.field(description="Institutions that support the lead institution.")
    async def supporting_institutions(self, info: Info) -> list[Institution]:
        supports = await info.context.loaders.supporting.load(self.pk)
        rows = await info.context.loaders.institution.load_many(
            [s.institution_id for s in supports]
        )
        return [Institution.from_row(row) for row in rows if row is not None]

    @strawberry.field(description="Where the claim was seen, oldest first.")
    async def appearances(self, info: Info) -> list[Appearance]:
        rows = await info.context.loaders.appearances.load(self.pk)
        return [Appearance(url=r.url, outlet=r.outlet, seen_at=r.seen_at) for r in rows]

    @strawberry.field(description="The rebuttals of this claim that you may see, oldest first.")
    async def rebuttals(
        self, info: Info
    ) -> list[Annotated[Rebuttal, strawberry.lazy("coordhub.schema.rebuttals.types")]]:
        rows = await info.context.loaders.rebuttals_of_claim.load(self.pk)
        return [as_node(row) for row in rows]

    @strawberry.field(
        description=(
            "Claims that say nearly the same thing (see `SimilarClaim`), best first, at most "
            f"`first` (up to {MAX_SUGGESTIONS}); open ones and closed ones alike, this one left "
            "out. For the coordinator only: null for everyone else."
        )
    )
    async def similar_claims(self, info: Info, first: int = 5) -> list[SimilarClaim] | None:
        actor = info.context.actor
        if actor is None or actor.role != Role.COORDINATOR:
            return None
        found = await duplicates.similar_claims(
            actor,
            duplicates.Probe.of(self.summary.km, self.summary.en),
            first=first,
            exclude=self.pk,
        )
        return [SimilarClaim.of(s) for s in found]

    @strawberry.field(
        description="The other claims of its cluster (`linkClaims`) that you may read, oldest "
        "first: related claims, not duplicates. Null for the public, reporters and services "
        "(a cluster is the desks' working view); empty when the claim is in no cluster."
    )
    async def linked_claims(self, info: Info) -> list[Claim] | None:
        actor = info.context.actor
        if actor is None or actor.role in (Role.REPORTER, Role.SERVICE):
            return None
        if self.cluster_id is None:
            return []
        rows = await info.context.loaders.cluster_members.load(self.cluster_id)
        return [Claim.from_row(row) for row in rows if row.id != self.pk]

    @strawberry.field(description="The claim this one duplicates, when MERGED.")
    async def merged_into(self, info: Info) -> Claim | None:
        if self.merged_into_id is None:
            return None
        row = await info.context.loaders.claim.load(self.merged_into_id)
        return Claim.from_row(row) if row else None


@strawberry.type(
    description=(
        "A claim that says nearly the same thing as another: their summaries compared by "
        "character trigrams, Khmer or English, once spelling variants are evened out "
        "(zero-width spaces, Khmer or Arabic digits, the order of subscripts and vowel signs, "
        "case, punctuation and spacing)."
    )
)
class SimilarClaim:
    claim: Claim = strawberry.field(description="The similar claim.")
    score: float = strawberry.field(
        description=(
            "How alike, from 0 to 1: the higher of the Khmer and the English summaries' share "
            f"of character trigrams (PostgreSQL pg_trgm's similarity()). From {THRESHOLD} up a "
            "claim is suggested; 1 means the same text once evened out."
        )
    )

    @classmethod
    def of(cls, suggestion: duplicates.Suggestion) -> SimilarClaim:
        return cls(claim=Claim.from_row(suggestion.claim), score=suggestion.score)


register(ClaimRow, Claim.from_row)
