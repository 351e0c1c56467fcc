"""Correction requests: the type, its status and outcome."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Self

import strawberry
from strawberry import relay

from coordhub.models import CorrectionOutcome, CorrectionStatus
from coordhub.models import CorrectionRequest as CorrectionRow
from coordhub.schema.common import LocalizedText
from coordhub.schema.context import Info
from coordhub.schema.nodes import as_node, node_key
from coordhub.workflow.visibility import correction_requests_filter

if TYPE_CHECKING:
    from coordhub.schema.rebuttals.types import Rebuttal

CorrectionStatusEnum = strawberry.enum(
    CorrectionStatus,
    description=(
        "OPEN (awaiting an answer; seen only by the rebuttal's institution and the "
        "coordinator), ANSWERED (public, with its answer), REJECTED (set aside as abuse; never "
        "public)."
    ),
)
CorrectionOutcomeEnum = strawberry.enum(
    CorrectionOutcome,
    description=(
        "CORRECTED (a correction of the rebuttal was published after the request) or UPHELD "
        "(the rebuttal stands; the answer says why)."
    ),
)


@strawberry.type(
    description="A reader's request to correct a published rebuttal, sent from its public "
    "page without an account. Nothing about the sender is kept."
)
class CorrectionRequest(relay.Node):
    pk: relay.NodeID[int]
    revision: int = strawberry.field(description="The live revision the reader read.")
    language: str = strawberry.field(description="`km` or `en`: the page it was sent from.")
    text: str = strawberry.field(description="What the reader says is wrong.")
    source_url: str | None = strawberry.field(description="The reader's source, if given.")
    status: CorrectionStatusEnum = strawberry.field(description="Where it stands.")
    outcome: CorrectionOutcomeEnum | None = strawberry.field(description="Once answered.")
    answer: LocalizedText | None = strawberry.field(description="The public answer.")
    requested_at: datetime = strawberry.field(description="When it was sent.")
    answered_at: datetime | None = strawberry.field(description="When answered or set aside.")
    row: strawberry.Private[CorrectionRow]

    @classmethod
    def from_row(cls, row: CorrectionRow) -> Self:
        answered = row.answer_km is not None and row.answer_en is not None
        return cls(
            pk=row.id,
            revision=row.revision,
            language=row.language,
            text=row.text,
            source_url=row.source_url,
            status=row.status,
            outcome=row.outcome,
            answer=LocalizedText(km=row.answer_km or "", en=row.answer_en or "")
            if answered
            else None,
            requested_at=row.requested_at,
            answered_at=row.answered_at,
            row=row,
        )

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        keys = [node_key(node_id) for node_id in node_ids]
        readable = correction_requests_filter(info.context.actor)
        rows = {row.id: row for row in await CorrectionRow.filter(readable, id__in=keys)}
        return [cls.from_row(rows[key]) if key in rows else None for key in keys]

    @strawberry.field(description="The rebuttal it asks to correct.")
    async def rebuttal(
        self, info: Info
    ) -> Annotated[Rebuttal, strawberry.lazy("coordhub.schema.rebuttals.types")] | None:
        return as_node(await info.context.loaders.rebuttal.load(self.row.rebuttal_id))
