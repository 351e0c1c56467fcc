"""Correction requests: answering them and setting them aside, through
``coordhub.workflow.corrections``. Readers send them from the public pages (no account)."""

from __future__ import annotations

from typing import Self

import strawberry

from coordhub.models import CorrectionRequest as CorrectionRow
from coordhub.schema.common import LocalizedTextInput
from coordhub.schema.context import Info
from coordhub.schema.corrections.types import CorrectionOutcomeEnum, CorrectionRequest
from coordhub.schema.errors import UserError, attempt, decode_id
from coordhub.workflow import corrections as flow


@strawberry.input(description="Answer an open correction request, publicly.")
class AnswerCorrectionRequestInput:
    id: strawberry.ID = strawberry.field(description="The correction request.")
    outcome: CorrectionOutcomeEnum = strawberry.field(
        description="CORRECTED (needs a correction published after the request) or UPHELD."
    )
    answer: LocalizedTextInput = strawberry.field(
        description="The public answer, in Khmer and English (at most 4000 each)."
    )


@strawberry.input(description="Set aside an abusive open correction request.")
class RejectCorrectionRequestInput:
    id: strawberry.ID = strawberry.field(description="The correction request.")
    note: str = strawberry.field(description="Why (internal, never public; at most 4000).")


@strawberry.type(description="The result of a correction request mutation.")
class CorrectionRequestPayload:
    correction_request: CorrectionRequest | None = strawberry.field(
        description="The request after the change."
    )
    errors: list[UserError] = strawberry.field(description="Empty on success.")

    @classmethod
    def of(cls, row: CorrectionRow | None, errors: list[UserError]) -> Self:
        return cls(
            correction_request=CorrectionRequest.from_row(row) if row else None, errors=errors
        )


def _pk(value: strawberry.ID) -> int:
    return decode_id(value, "CorrectionRequest", "id")


@strawberry.type
class CorrectionMutations:
    @strawberry.mutation(
        description="Answer an open correction request (editors and approvers of the "
        "rebuttal's institution, or the coordinator). The request and its answer become "
        "public on the rebuttal's page."
    )
    async def answer_correction_request(
        self, info: Info, input: AnswerCorrectionRequestInput
    ) -> CorrectionRequestPayload:
        return await attempt(
            CorrectionRequestPayload.of,
            lambda: flow.answer_correction(
                info.context.actor, _pk(input.id), input.outcome, input.answer.to_localized()
            ),
        )

    @strawberry.mutation(
        description="Set aside an abusive open correction request (approvers of the "
        "rebuttal's institution, or the coordinator). It is never public."
    )
    async def reject_correction_request(
        self, info: Info, input: RejectCorrectionRequestInput
    ) -> CorrectionRequestPayload:
        return await attempt(
            CorrectionRequestPayload.of,
            lambda: flow.reject_correction(info.context.actor, _pk(input.id), input.note),
        )
