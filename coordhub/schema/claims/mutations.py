"""Claims: reporting, triage, dismissal and merging, through ``coordhub.workflow.claims``."""

from __future__ import annotations

from datetime import datetime
from typing import Self

import strawberry

from coordhub.models import Claim as ClaimRow
from coordhub.schema.claims.types import (
    Appearance,
    Claim,
    DismissalReasonEnum,
    PriorityEnum,
    SimilarClaim,
)
from coordhub.schema.common import LocalizedTextInput
from coordhub.schema.context import Info
from coordhub.schema.errors import UserError, attempt, decode_id
from coordhub.workflow import claims as flow
from coordhub.workflow import duplicates
from coordhub.workflow.inputs import AppearanceInput as AppearanceData
from coordhub.workflow.inputs import ClaimReport


@strawberry.input(
    description=(
        "Where a claim was seen, not who shared it: an address, an outlet or platform, a time. "
        "Personal data is refused with INVALID."
    )
)
class AppearanceInput:
    url: str = strawberry.field(
        description=(
            "Absolute http(s) address of the item (a post, video or message), stored without "
            "tracking parameters (`utm_*`, `fbclid`, `si`, ...). An account's profile, page or "
            "channel (`facebook.com/<name>`, `t.me/<name>`, `youtube.com/@channel`) is refused."
        )
    )
    outlet: str = strawberry.field(
        description=(
            "Outlet or platform name, e.g. `Facebook`; a phone number, an e-mail address or a "
            "handle is refused."
        )
    )
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


@strawberry.input(
    description=(
        "A claim seen again: where, not who shared it. The same checks as a reported "
        "appearance's: personal data is refused with INVALID, tracking parameters are stripped."
    )
)
class AddAppearanceInput:
    claim_id: strawberry.ID = strawberry.field(description="The claim seen again.")
    url: str = strawberry.field(
        description=(
            "Absolute http(s) address of the item, as in `AppearanceInput.url`. An address "
            "already on the claim (once cleaned) is not added twice."
        )
    )
    outlet: str = strawberry.field(description="Outlet or platform name, e.g. `Facebook`.")
    seen_at: datetime = strawberry.field(description="When it was seen there, with a timezone.")


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


@strawberry.type(description="The result of reportClaim.")
class ReportClaimPayload:
    claim: Claim | None = strawberry.field(description="The claim reported.")
    errors: list[UserError] = strawberry.field(description="Empty on success.")
    row: strawberry.Private[ClaimRow | None]

    @classmethod
    def of(cls, row: ClaimRow | None, errors: list[UserError]) -> Self:
        return cls(claim=Claim.from_row(row) if row else None, errors=errors, row=row)

    @strawberry.field(
        description=(
            "Claims you may read that say nearly what this one does, best first (at most "
            f"`first`, up to {duplicates.MAX_SUGGESTIONS}), with their score: check them before "
            "triage, and merge a duplicate. Claims you may not read are never suggested. "
            "Empty when the report was refused."
        )
    )
    async def possible_duplicates(
        self, info: Info, first: int = duplicates.MAX_SUGGESTIONS
    ) -> list[SimilarClaim]:
        if self.row is None:
            return []
        found = await duplicates.similar_claims(
            info.context.actor,
            duplicates.Probe.of(self.row.summary_km, self.row.summary_en),
            first=first,
            exclude=self.row.id,
        )
        return [SimilarClaim.of(s) for s in found]


@strawberry.type(description="The result of addAppearance.")
class AddAppearancePayload:
    claim: Claim | None = strawberry.field(description="The claim, with the appearance.")
    appearance: Appearance | None = strawberry.field(
        description="The claim's appearance at that address: the new one, or the one already there."
    )
    added: bool = strawberry.field(
        description="Whether it is new; false when the address was already on the claim."
    )
    errors: list[UserError] = strawberry.field(description="Empty on success.")

    @classmethod
    def of(cls, result: flow.AddedAppearance | None, errors: list[UserError]) -> Self:
        if result is None:
            return cls(claim=None, appearance=None, added=False, errors=errors)
        row = result.appearance
        return cls(
            claim=Claim.from_row(result.claim),
            appearance=Appearance(url=row.url, outlet=row.outlet, seen_at=row.seen_at),
            added=result.added,
            errors=errors,
        )


def claim_pk(value: strawberry.ID, field: str = "claimId") -> int:
    return decode_id(value, "Claim", field)


def _report(input: ReportClaimInput) -> ClaimReport:
    return ClaimReport(
        summary=input.summary.to_localized(),
        topic=input.topic,
        appearances=[
            AppearanceData(url=a.url, outlet=a.outlet, seen_at=a.seen_at) for a in input.appearances
        ],
        first_seen_at=input.first_seen_at,
    )


@strawberry.type
class ClaimMutations:
    @strawberry.mutation(
        description=(
            "Report a circulating claim. Starts as REPORTED; `possibleDuplicates` lists claims "
            "that say nearly the same thing."
        )
    )
    async def report_claim(self, info: Info, input: ReportClaimInput) -> ReportClaimPayload:
        return await attempt(
            ReportClaimPayload.of, lambda: flow.report_claim(info.context.actor, _report(input))
        )

    @strawberry.mutation(description="Set lead and supporting institutions, priority, due-by.")
    async def triage_claim(self, info: Info, input: TriageClaimInput) -> ClaimPayload:
        return await attempt(
            ClaimPayload.of,
            lambda: flow.triage_claim(
                info.context.actor,
                claim_pk(input.claim_id),
                lead=input.lead,
                supporting=input.supporting,
                priority=input.priority,
                due_at=input.due_at,
                settings=info.context.settings,
            ),
        )

    @strawberry.mutation(description="Dismiss a claim with a public reason.")
    async def dismiss_claim(self, info: Info, input: DismissClaimInput) -> ClaimPayload:
        return await attempt(
            ClaimPayload.of,
            lambda: flow.dismiss_claim(
                info.context.actor,
                claim_pk(input.claim_id),
                reason=input.reason,
                note=input.note.to_localized(),
            ),
        )

    @strawberry.mutation(
        description=(
            "Record that a claim was seen again. Who may: the coordinator and reporters (on the "
            "claims they may read: reporters their own and public ones), and an institution's "
            "editors and approvers on the claims their institution leads or supports, or that "
            "they reported; observers and services may not. Refused with INVALID_TRANSITION on "
            "a MERGED claim (the message names the claim it was merged into), with CONFLICT "
            "past 50 appearances. An address already on the claim is answered with its "
            "appearance (`added: false`), nothing written; a new one writes a "
            "CLAIM_APPEARANCE_ADDED event."
        )
    )
    async def add_appearance(self, info: Info, input: AddAppearanceInput) -> AddAppearancePayload:
        return await attempt(
            AddAppearancePayload.of,
            lambda: flow.add_appearance(
                info.context.actor,
                claim_pk(input.claim_id),
                AppearanceData(url=input.url, outlet=input.outlet, seen_at=input.seen_at),
            ),
        )

    @strawberry.mutation(
        description=(
            "Merge a duplicate claim into another (coordinator only). The duplicate's "
            "appearances move to the surviving claim in the same transaction, one per address "
            "(the earlier sighting kept), at most 50 there."
        )
    )
    async def merge_claim(self, info: Info, input: MergeClaimInput) -> ClaimPayload:
        return await attempt(
            ClaimPayload.of,
            lambda: flow.merge_claim(
                info.context.actor,
                claim_pk(input.claim_id),
                claim_pk(input.into_claim_id, "intoClaimId"),
            ),
        )
