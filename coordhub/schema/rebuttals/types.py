"""Rebuttals: the type, its revisions, working copy, reviews and retraction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Self

import strawberry
from strawberry import relay

from coordhub.models import Evidence as EvidenceRow
from coordhub.models import Rebuttal as RebuttalRow
from coordhub.models import RebuttalRevision as RevisionRow
from coordhub.models import RebuttalStatus, ReviewDecision, Verdict
from coordhub.schema.common import LocalizedText
from coordhub.schema.context import Info
from coordhub.schema.institutions.types import Institution, load_institution
from coordhub.schema.nodes import as_node, load_nodes, register
from coordhub.workflow.visibility import can_read_working_copy, status_as_seen_by

if TYPE_CHECKING:
    from coordhub.schema.claims.types import Claim

RebuttalStatusEnum = strawberry.enum(
    RebuttalStatus,
    description=(
        "The working copy's state: DRAFT -> IN_REVIEW -> (CHANGES_REQUESTED -> DRAFT) -> "
        "APPROVED -> (SCHEDULED ->) PUBLISHED, and RETRACTED (final). SCHEDULED: approved and "
        "to be published at the draft's `publishAt`. A published revision stays live while a "
        "correction goes through review and its schedule."
    ),
)
VerdictEnum = strawberry.enum(
    Verdict, description="The rating of the claim; maps to a ClaimReview rating."
)
ReviewDecisionEnum = strawberry.enum(ReviewDecision, description="An approver's decision.")


@strawberry.type(description="A source that supports a rebuttal.")
class Evidence:
    url: str = strawberry.field(description="Address of the source.")
    title: LocalizedText = strawberry.field(description="Title of the source.")
    note: LocalizedText = strawberry.field(
        description="What the source shows; either language may be empty."
    )

    @classmethod
    def from_row(cls, row: EvidenceRow) -> Self:
        return cls(
            url=row.url,
            title=LocalizedText(km=row.title_km, en=row.title_en),
            note=LocalizedText(km=row.note_km, en=row.note_en),
        )

    @classmethod
    def from_json(cls, item: dict[str, str]) -> Self:
        """An item of a working copy's evidence (the columns of ``Evidence``)."""
        return cls(
            url=item["url"],
            title=LocalizedText(km=item["title_km"], en=item["title_en"]),
            note=LocalizedText(km=item.get("note_km", ""), en=item.get("note_en", "")),
        )


@strawberry.type(description="A published, immutable version of a rebuttal.")
class RebuttalRevision:
    number: int = strawberry.field(description="1 for the first publication, then 2, 3, ...")
    verdict: VerdictEnum = strawberry.field(description="The rating of the claim.")
    headline: LocalizedText = strawberry.field(description="Headline.")
    body: LocalizedText = strawberry.field(description="Full text.")
    channels: list[str] = strawberry.field(description="Connectors it was delivered to.")
    published_at: datetime = strawberry.field(description="When it went live.")
    revision_id: strawberry.Private[int]

    @classmethod
    def from_row(cls, row: RevisionRow) -> Self:
        return cls(
            number=row.number,
            verdict=row.verdict,
            headline=LocalizedText(km=row.headline_km, en=row.headline_en),
            body=LocalizedText(km=row.body_km, en=row.body_en),
            channels=list(row.channels),
            published_at=row.published_at,
            revision_id=row.id,
        )

    @strawberry.field(description="The evidence, in the order given.")
    async def evidence(self, info: Info) -> list[Evidence]:
        rows = await info.context.loaders.evidence.load(self.revision_id)
        return [Evidence.from_row(row) for row in rows]


@strawberry.type(description="The unpublished working copy of a rebuttal (not public).")
class RebuttalDraft:
    verdict: VerdictEnum = strawberry.field(description="The rating of the claim.")
    headline: LocalizedText = strawberry.field(description="Headline.")
    body: LocalizedText = strawberry.field(description="Full text.")
    evidence: list[Evidence] = strawberry.field(description="The evidence, in order.")
    channels: list[str] = strawberry.field(description="Connectors to deliver to.")
    next_revision: int = strawberry.field(description="The number it gets when published.")
    updated_at: datetime = strawberry.field(description="Last change.")
    publish_at: datetime | None = strawberry.field(
        description="While SCHEDULED: when the worker publishes it."
    )


@strawberry.type(description="An approver's decision on a working copy (not public).")
class Review:
    round: int = strawberry.field(description="The revision number the reviewed copy targeted.")
    decision: ReviewDecisionEnum = strawberry.field(description="Approve or request changes.")
    comment: str = strawberry.field(description="The reviewer's comment.")
    created_at: datetime = strawberry.field(description="When the decision was made.")
    reviewer_id: strawberry.Private[int | None]

    @strawberry.field(description="The reviewing account's name.")
    async def reviewer(self, info: Info) -> str | None:
        if self.reviewer_id is None:
            return None
        account = await info.context.loaders.account.load(self.reviewer_id)
        return account.name if account else None


@strawberry.type(description="The public reason a rebuttal was retracted.")
class Retraction:
    reason: LocalizedText = strawberry.field(description="Why it was retracted.")
    retracted_at: datetime = strawberry.field(description="When.")


@strawberry.type(description="An institution's answer to a claim.")
class Rebuttal(relay.Node):
    pk: relay.NodeID[int]
    revision: int | None = strawberry.field(
        description="The number of the live (latest published) revision; null before publishing."
    )
    published_at: datetime | None = strawberry.field(description="First publication.")
    retraction: Retraction | None = strawberry.field(description="Set when RETRACTED.")
    row: strawberry.Private[RebuttalRow]

    @classmethod
    def from_row(cls, row: RebuttalRow) -> Self:
        retraction = None
        if row.retracted_at is not None:
            reason = LocalizedText(
                km=row.retraction_reason_km or "", en=row.retraction_reason_en or ""
            )
            retraction = Retraction(reason=reason, retracted_at=row.retracted_at)
        return cls(
            pk=row.id,
            revision=row.live_revision,
            published_at=row.published_at,
            retraction=retraction,
            row=row,
        )

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        return await load_nodes(info.context.loaders.rebuttal, node_ids, cls.from_row)

    @strawberry.field(
        description="Where the working copy stands. Those who may not read the working copy "
        "see PUBLISHED while a correction is under way."
    )
    def status(self, info: Info) -> RebuttalStatusEnum:
        return status_as_seen_by(info.context.actor, self.row)

    @strawberry.field(description="The claim it answers.")
    async def claim(
        self, info: Info
    ) -> Annotated[Claim, strawberry.lazy("coordhub.schema.claims.types")] | None:
        return as_node(await info.context.loaders.claim.load(self.row.claim_id))

    @strawberry.field(description="The institution that answers.")
    async def institution(self, info: Info) -> Institution | None:
        return await load_institution(info, self.row.institution_id)

    @strawberry.field(description="Every published revision, oldest first.")
    async def revisions(self, info: Info) -> list[RebuttalRevision]:
        rows = await info.context.loaders.revisions.load(self.pk)
        return [RebuttalRevision.from_row(row) for row in rows]

    @strawberry.field(description="The live revision (the latest published); null before.")
    async def live_revision(self, info: Info) -> RebuttalRevision | None:
        return await self._live(info)

    async def _live(self, info: Info) -> RebuttalRevision | None:
        if self.row.live_revision is None:
            return None
        rows = await info.context.loaders.revisions.load(self.pk)
        live = [r for r in rows if r.number == self.row.live_revision]
        return RebuttalRevision.from_row(live[0]) if live else None

    async def _current(self, info: Info) -> RebuttalRevision | RebuttalDraft | None:
        live = await self._live(info)
        return live if live is not None else self._draft(info)

    @strawberry.field(description="The live revision's verdict (the draft's before publishing).")
    def verdict(self, info: Info) -> VerdictEnum | None:
        if self.row.live_verdict is not None:
            return self.row.live_verdict
        draft = self._draft(info)
        return draft.verdict if draft else None

    @strawberry.field(description="The live revision's headline (the draft's before publishing).")
    async def headline(self, info: Info) -> LocalizedText | None:
        current = await self._current(info)
        return current.headline if current else None

    @strawberry.field(description="The live revision's body (the draft's before publishing).")
    async def body(self, info: Info) -> LocalizedText | None:
        current = await self._current(info)
        return current.body if current else None

    @strawberry.field(description="The live revision's evidence (the draft's before publishing).")
    async def evidence(self, info: Info) -> list[Evidence]:
        current = await self._current(info)
        if isinstance(current, RebuttalRevision):
            rows = await info.context.loaders.evidence.load(current.revision_id)
            return [Evidence.from_row(row) for row in rows]
        return current.evidence if current else []

    @strawberry.field(
        description="The working copy, for the institution's editors and approvers, the "
        "coordinator and observers; null for others and once published without a correction."
    )
    def draft(self, info: Info) -> RebuttalDraft | None:
        return self._draft(info)

    def _draft(self, info: Info) -> RebuttalDraft | None:
        row = self.row
        if row.status in (RebuttalStatus.PUBLISHED, RebuttalStatus.RETRACTED):
            return None
        if not can_read_working_copy(info.context.actor, row.institution_id):
            return None
        return RebuttalDraft(
            verdict=row.verdict,
            headline=LocalizedText(km=row.headline_km, en=row.headline_en),
            body=LocalizedText(km=row.body_km, en=row.body_en),
            evidence=[Evidence.from_json(item) for item in row.evidence],
            channels=list(row.channels),
            next_revision=row.next_revision,
            updated_at=row.updated_at,
            publish_at=row.publish_at,
        )

    @strawberry.field(description="Review decisions, oldest first (same readers as `draft`).")
    async def reviews(self, info: Info) -> list[Review]:
        if not can_read_working_copy(info.context.actor, self.row.institution_id):
            return []
        rows = await info.context.loaders.reviews.load(self.pk)
        return [
            Review(
                round=r.round,
                decision=r.decision,
                comment=r.comment,
                created_at=r.created_at,
                reviewer_id=r.reviewer_id,
            )
            for r in rows
        ]


register(RebuttalRow, Rebuttal.from_row)
