"""Claims: types, queries and mutations."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Self

import strawberry
from strawberry import relay
from tortoise.expressions import Q, Subquery

from coordhub.models import Claim as ClaimRow
from coordhub.models import ClaimStatus, ClaimSupport, DismissalReason, Priority
from coordhub.schema.cacheability import mark_volatile, valid_until
from coordhub.schema.common import LocalizedText, LocalizedTextInput
from coordhub.schema.context import Info
from coordhub.schema.errors import UserError, attempt, decode_id
from coordhub.schema.institutions import Institution, load_institution
from coordhub.schema.nodes import load_nodes
from coordhub.schema.pagination import Connection, build_connection, decode_cursor, page_size
from coordhub.workflow import claims as flow
from coordhub.workflow.inputs import AppearanceInput as AppearanceData
from coordhub.workflow.inputs import ClaimReport
from coordhub.workflow.search import claims_containing
from coordhub.workflow.visibility import claims_filter

if TYPE_CHECKING:
    from coordhub.schema.rebuttals import Rebuttal

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
    DismissalReason, description="Why a claim needs no rebuttal. Public."
)
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
    ) -> list[Annotated[Rebuttal, strawberry.lazy("coordhub.schema.rebuttals")]]:
        from coordhub.schema.rebuttals import Rebuttal

        rows = await info.context.loaders.rebuttals_of_claim.load(self.pk)
        return [Rebuttal.from_row(row) for row in rows]

    @strawberry.field(description="The claim this one duplicates, when MERGED.")
    async def merged_into(self, info: Info) -> Claim | None:
        if self.merged_into_id is None:
            return None
        row = await info.context.loaders.claim.load(self.merged_into_id)
        return Claim.from_row(row) if row else None


@strawberry.input(description="Filters on the claims list; all given filters must match.")
class ClaimFilter:
    status: list[ClaimStatusEnum] | None = strawberry.field(
        default=None, description="Any of these statuses."
    )
    institution: str | None = strawberry.field(
        default=None, description="Slug of the lead or a supporting institution."
    )
    priority: list[PriorityEnum] | None = strawberry.field(
        default=None, description="Any of these priorities."
    )
    overdue: bool | None = strawberry.field(
        default=None, description="Only overdue claims (true) or only those not overdue (false)."
    )
    topic: str | None = strawberry.field(default=None, description="Exactly this topic.")
    text: str | None = strawberry.field(
        default=None,
        description="Substring of the summary (Khmer or English) or topic, case-insensitive. "
        "Khmer phrases are found inside unspaced text.",
    )

    def to_q(self) -> Q:
        q = Q()
        if self.status:
            q &= Q(status__in=list(self.status))
        if self.priority:
            q &= Q(priority__in=list(self.priority))
        if self.topic:
            q &= Q(topic=self.topic)
        if self.institution:
            supported = ClaimSupport.filter(institution__slug=self.institution).values("claim_id")
            q &= Q(lead_institution__slug=self.institution) | Q(id__in=Subquery(supported))
        if self.overdue is not None:
            mark_volatile()
            late = Q(due_at__lt=datetime.now(UTC), status__in=list(OVERDUE_STATUSES))
            q &= late if self.overdue else ~late
        if self.text and self.text.strip():
            q &= claims_containing(self.text)
        return q


@strawberry.type
class ClaimQueries:
    @strawberry.field(description="Claims you may see, newest first.")
    async def claims(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        filter: ClaimFilter | None = None,
    ) -> Connection[Claim]:
        settings = info.context.settings
        size = page_size(first, default=settings.default_page_size, cap=settings.max_page_size)
        query = ClaimRow.filter(claims_filter(info.context.actor))
        if filter is not None:
            query = query.filter(filter.to_q())
        after_id = decode_cursor("claim", after)
        if after_id is not None:
            query = query.filter(id__lt=after_id)
        rows = await query.order_by("-id").limit(size + 1)
        return build_connection(rows, size, kind="claim", key=lambda r: r.id, node=Claim.from_row)


@strawberry.input(description="Where a claim was seen. Name the outlet or platform, not a person.")
class AppearanceInput:
    url: str = strawberry.field(description="Absolute http(s) address of the item.")
    outlet: str = strawberry.field(description="Outlet or platform name, e.g. `Facebook`.")
    seen_at: datetime = strawberry.field(description="When it was seen, with a timezone.")


@strawberry.input(description="A claim to report.")
class ReportClaimInput:
    summary: LocalizedTextInput = strawberry.field(description="What the claim says.")
    topic: str = strawberry.field(description="Short lowercase tag, e.g. `health`.")
    appearances: list[AppearanceInput] = strawberry.field(
        default_factory=list, description="Where it was seen (at most 50)."
    )
    first_seen_at: datetime | None = strawberry.field(
        default=None, description="When it was first seen; defaults to the earliest appearance."
    )


@strawberry.input(description="Assign a claim to institutions (coordinator only).")
class TriageClaimInput:
    claim_id: strawberry.ID = strawberry.field(description="The claim.")
    lead: str = strawberry.field(description="Slug of the lead institution.")
    supporting: list[str] = strawberry.field(
        default_factory=list, description="Slugs of supporting institutions."
    )
    priority: PriorityEnum = strawberry.field(description="Sets the due-by.")
    due_at: datetime | None = strawberry.field(
        default=None, description="Override the due-by the priority gives."
    )


@strawberry.input(description="Close a claim without a rebuttal (coordinator only).")
class DismissClaimInput:
    claim_id: strawberry.ID = strawberry.field(description="The claim.")
    reason: DismissalReasonEnum = strawberry.field(description="Why; public.")
    note: LocalizedTextInput = strawberry.field(description="Public explanation.")


@strawberry.input(description="Mark a claim as a duplicate of another (coordinator only).")
class MergeClaimInput:
    claim_id: strawberry.ID = strawberry.field(description="The duplicate.")
    into_claim_id: strawberry.ID = strawberry.field(description="The claim it duplicates.")


@strawberry.type(description="The result of a claim mutation.")
class ClaimPayload:
    claim: Claim | None = strawberry.field(description="The claim after the change.")
    errors: list[UserError] = strawberry.field(description="Empty on success.")

    @classmethod
    def of(cls, row: ClaimRow | None, errors: list[UserError]) -> Self:
        return cls(claim=Claim.from_row(row) if row else None, errors=errors)


def _claim_pk(value: strawberry.ID, field: str = "claimId") -> int:
    return decode_id(value, "Claim", field)


@strawberry.type
class ClaimMutations:
    @strawberry.mutation(description="Report a circulating claim. Starts as REPORTED.")
    async def report_claim(self, info: Info, input: ReportClaimInput) -> ClaimPayload:
        report = ClaimReport(
            summary=input.summary.to_localized(),
            topic=input.topic,
            appearances=[
                AppearanceData(url=a.url, outlet=a.outlet, seen_at=a.seen_at)
                for a in input.appearances
            ],
            first_seen_at=input.first_seen_at,
        )
        return ClaimPayload.of(*await attempt(flow.report_claim(info.context.actor, report)))

    @strawberry.mutation(description="Set lead and supporting institutions, priority, due-by.")
    async def triage_claim(self, info: Info, input: TriageClaimInput) -> ClaimPayload:
        async def run() -> ClaimRow:
            return await flow.triage_claim(
                info.context.actor,
                _claim_pk(input.claim_id),
                lead=input.lead,
                supporting=input.supporting,
                priority=input.priority,
                due_at=input.due_at,
                settings=info.context.settings,
            )

        return ClaimPayload.of(*await attempt(run()))

    @strawberry.mutation(description="Dismiss a claim with a public reason.")
    async def dismiss_claim(self, info: Info, input: DismissClaimInput) -> ClaimPayload:
        async def run() -> ClaimRow:
            return await flow.dismiss_claim(
                info.context.actor,
                _claim_pk(input.claim_id),
                reason=input.reason,
                note=input.note.to_localized(),
            )

        return ClaimPayload.of(*await attempt(run()))

    @strawberry.mutation(description="Merge a duplicate claim into another.")
    async def merge_claim(self, info: Info, input: MergeClaimInput) -> ClaimPayload:
        async def run() -> ClaimRow:
            return await flow.merge_claim(
                info.context.actor,
                _claim_pk(input.claim_id),
                _claim_pk(input.into_claim_id, "intoClaimId"),
            )

        return ClaimPayload.of(*await attempt(run()))
