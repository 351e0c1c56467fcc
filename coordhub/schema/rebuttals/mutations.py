"""Rebuttals: drafting, review, publication, correction and retraction, through
``coordhub.workflow.rebuttals``."""

from __future__ import annotations

from datetime import datetime
from typing import Self

import strawberry

from coordhub.models import Rebuttal as RebuttalRow
from coordhub.schema.common import LocalizedTextInput
from coordhub.schema.context import Info
from coordhub.schema.errors import UserError, attempt, decode_id
from coordhub.schema.rebuttals.types import Rebuttal, ReviewDecisionEnum, VerdictEnum
from coordhub.workflow import rebuttals as flow
from coordhub.workflow.inputs import EvidenceInput as EvidenceData
from coordhub.workflow.inputs import RebuttalContent


@strawberry.input(description="A source that supports a rebuttal.")
class EvidenceInput:
    url: str = strawberry.field(description="Absolute http(s) address.")
    title: LocalizedTextInput = strawberry.field(
        description="Title of the source in Khmer and English (each at most 500 characters)."
    )
    note: LocalizedTextInput | None = strawberry.field(
        default=None,
        description="What the source shows, in Khmer and English (each at most 4,000 "
        "characters; either may be empty). Omitted: no note.",
    )


@strawberry.input(description="Start a rebuttal of a triaged claim for your institution.")
class DraftRebuttalInput:
    claim_id: strawberry.ID = strawberry.field(description="The claim to answer.")
    verdict: VerdictEnum = strawberry.field(description="The rating of the claim.")
    headline: LocalizedTextInput = strawberry.field(description="Headline (at most 300).")
    body: LocalizedTextInput = strawberry.field(description="Full text.")
    evidence: list[EvidenceInput] = strawberry.field(
        default_factory=list, description="Sources (at most 20)."
    )
    channels: list[str] = strawberry.field(
        default_factory=list, description="Connector names to deliver to, e.g. `akp`."
    )


@strawberry.input(description="Edit a rebuttal's working copy. Omitted fields stay as they are.")
class UpdateRebuttalInput:
    rebuttal_id: strawberry.ID = strawberry.field(description="The rebuttal.")
    verdict: VerdictEnum | None = strawberry.field(default=None, description="New verdict.")
    headline: LocalizedTextInput | None = strawberry.field(default=None, description="Headline.")
    body: LocalizedTextInput | None = strawberry.field(default=None, description="Full text.")
    evidence: list[EvidenceInput] | None = strawberry.field(
        default=None, description="Replaces all evidence."
    )
    channels: list[str] | None = strawberry.field(
        default=None, description="Replaces the channels."
    )


@strawberry.input(description="Names a rebuttal.")
class RebuttalIdInput:
    rebuttal_id: strawberry.ID = strawberry.field(description="The rebuttal.")


@strawberry.input(description="Publish a rebuttal now, or schedule it.")
class PublishRebuttalInput:
    rebuttal_id: strawberry.ID = strawberry.field(description="The rebuttal.")
    publish_at: datetime | None = strawberry.field(
        default=None,
        description="When to publish, with a timezone, in the future and at most a year ahead: "
        "the rebuttal is SCHEDULED until then, and nothing of it is public or delivered before. "
        "Left out: now.",
    )


@strawberry.input(description="An approver's decision on a submitted rebuttal.")
class ReviewRebuttalInput:
    rebuttal_id: strawberry.ID = strawberry.field(description="The rebuttal.")
    decision: ReviewDecisionEnum = strawberry.field(description="APPROVE or REQUEST_CHANGES.")
    comment: str = strawberry.field(default="", description="Required when requesting changes.")


@strawberry.input(description="Retract a published rebuttal for good, with a public reason.")
class RetractRebuttalInput:
    rebuttal_id: strawberry.ID = strawberry.field(description="The rebuttal.")
    reason: LocalizedTextInput = strawberry.field(
        description="Why, in Khmer and English (each required, at most 4,000 characters); public."
    )


@strawberry.type(description="The result of a rebuttal mutation.")
class RebuttalPayload:
    rebuttal: Rebuttal | None = strawberry.field(description="The rebuttal after the change.")
    errors: list[UserError] = strawberry.field(description="Empty on success.")

    @classmethod
    def of(cls, row: RebuttalRow | None, errors: list[UserError]) -> Self:
        return cls(rebuttal=Rebuttal.from_row(row) if row else None, errors=errors)


def _evidence(items: list[EvidenceInput] | None) -> list[EvidenceData] | None:
    if items is None:
        return None
    return [
        EvidenceData(
            url=e.url,
            title=e.title.to_localized(),
            note=e.note.to_localized() if e.note is not None else None,
        )
        for e in items
    ]


def _installed(info: Info) -> frozenset[str] | None:
    registry = info.context.registry
    return frozenset(registry.connectors) if registry is not None else None


def _rebuttal_pk(value: strawberry.ID) -> int:
    return decode_id(value, "Rebuttal", "rebuttalId")


def _draft(info: Info, input: DraftRebuttalInput) -> RebuttalContent:
    return RebuttalContent(
        verdict=input.verdict,
        headline=input.headline.to_localized(),
        body=input.body.to_localized(),
        evidence=_evidence(input.evidence),
        channels=list(input.channels),
        known_channels=_installed(info),
    )


def _changes(info: Info, input: UpdateRebuttalInput) -> RebuttalContent:
    return RebuttalContent(
        verdict=input.verdict,
        headline=input.headline.to_localized() if input.headline else None,
        body=input.body.to_localized() if input.body else None,
        evidence=_evidence(input.evidence),
        channels=list(input.channels) if input.channels is not None else None,
        known_channels=_installed(info),
    )


@strawberry.type
class RebuttalMutations:
    @strawberry.mutation(
        description="Draft a rebuttal (editors and approvers of the claim's "
        "lead or supporting institutions). Moves the claim to IN_PROGRESS."
    )
    async def draft_rebuttal(self, info: Info, input: DraftRebuttalInput) -> RebuttalPayload:
        return await attempt(
            RebuttalPayload.of,
            lambda: flow.draft_rebuttal(
                info.context.actor,
                decode_id(input.claim_id, "Claim", "claimId"),
                _draft(info, input),
            ),
        )

    @strawberry.mutation(description="Edit the working copy (DRAFT or CHANGES_REQUESTED).")
    async def update_rebuttal(self, info: Info, input: UpdateRebuttalInput) -> RebuttalPayload:
        return await attempt(
            RebuttalPayload.of,
            lambda: flow.update_rebuttal(
                info.context.actor, _rebuttal_pk(input.rebuttal_id), _changes(info, input)
            ),
        )

    @strawberry.mutation(description="Submit the working copy for review (to IN_REVIEW).")
    async def submit_rebuttal(self, info: Info, input: RebuttalIdInput) -> RebuttalPayload:
        return await attempt(
            RebuttalPayload.of,
            lambda: flow.submit_rebuttal(info.context.actor, _rebuttal_pk(input.rebuttal_id)),
        )

    @strawberry.mutation(
        description="Approve or request changes (approvers of the institution; one who "
        "edited this revision may request changes but not approve it)."
    )
    async def review_rebuttal(self, info: Info, input: ReviewRebuttalInput) -> RebuttalPayload:
        return await attempt(
            RebuttalPayload.of,
            lambda: flow.review_rebuttal(
                info.context.actor, _rebuttal_pk(input.rebuttal_id), input.decision, input.comment
            ),
        )

    @strawberry.mutation(
        description="Publish an APPROVED working copy as the next revision: now, and the claim "
        "becomes REBUTTED; or, with `publishAt`, SCHEDULED, and the worker publishes it at "
        "that time, as the account that scheduled it, once however many workers run. Until "
        "then it may be scheduled again, published now, or unscheduled "
        "(`unscheduleRebuttal`). If by then its claim was dismissed or merged, or the account "
        "may no longer publish for the institution, it goes back to APPROVED and the "
        "REBUTTAL_UNSCHEDULED event says why."
    )
    async def publish_rebuttal(self, info: Info, input: PublishRebuttalInput) -> RebuttalPayload:
        return await attempt(
            RebuttalPayload.of,
            lambda: flow.publish_rebuttal(
                info.context.actor,
                _rebuttal_pk(input.rebuttal_id),
                info.context.settings,
                input.publish_at,
            ),
        )

    @strawberry.mutation(
        description="Cancel a scheduled publication: the rebuttal is APPROVED again "
        "(the institution's editors and approvers)."
    )
    async def unschedule_rebuttal(self, info: Info, input: RebuttalIdInput) -> RebuttalPayload:
        return await attempt(
            RebuttalPayload.of,
            lambda: flow.unschedule_rebuttal(info.context.actor, _rebuttal_pk(input.rebuttal_id)),
        )

    @strawberry.mutation(
        description="Open a correction: a new DRAFT while the live revision "
        "stays live until the correction is published."
    )
    async def revise_rebuttal(self, info: Info, input: RebuttalIdInput) -> RebuttalPayload:
        return await attempt(
            RebuttalPayload.of,
            lambda: flow.revise_rebuttal(info.context.actor, _rebuttal_pk(input.rebuttal_id)),
        )

    @strawberry.mutation(
        description="Retract a published rebuttal for good (the institution's "
        "approvers or the coordinator). It stays public with its reason."
    )
    async def retract_rebuttal(self, info: Info, input: RetractRebuttalInput) -> RebuttalPayload:
        return await attempt(
            RebuttalPayload.of,
            lambda: flow.retract_rebuttal(
                info.context.actor,
                _rebuttal_pk(input.rebuttal_id),
                input.reason.to_localized(),
                info.context.settings,
            ),
        )
