"""Rebuttal transitions: draft, update, submit, review, publish (now or scheduled), revise,
retract.

The working copy lives on the rebuttal row. Publishing freezes it into an immutable
``RebuttalRevision`` with its evidence. ``revise`` reopens the working copy for a correction
while the published revision stays live until the next one is published.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tortoise.transactions import in_transaction

from coordhub.actor import Actor, actor_for_account
from coordhub.connectors.outbox import enqueue_publication, enqueue_retraction
from coordhub.events.log import append, committed
from coordhub.metrics import REPORT_TO_PUBLISH
from coordhub.models import (
    Claim,
    ClaimStatus,
    EventType,
    Evidence,
    Institution,
    Rebuttal,
    RebuttalRevision,
    RebuttalStatus,
    Review,
    ReviewDecision,
    Role,
)
from coordhub.settings import Settings
from coordhub.workflow.claims import claim_institution_ids, first_alert_at, get_visible_claim
from coordhub.workflow.errors import (
    conflict,
    forbidden,
    invalid,
    invalid_transition,
    not_found,
    unauthenticated,
)
from coordhub.workflow.inputs import (
    MAX_NOTE,
    MAX_REBUTTALS_PER_CLAIM,
    MAX_REVISIONS,
    Localized,
    RebuttalContent,
    aware,
    clean_text,
)
from coordhub.workflow.permissions import require_member, require_role
from coordhub.workflow.visibility import rebuttals_filter

AUTHORS = (Role.EDITOR, Role.APPROVER)
EDITABLE = (RebuttalStatus.DRAFT, RebuttalStatus.CHANGES_REQUESTED)
ANSWERABLE = (ClaimStatus.TRIAGED, ClaimStatus.IN_PROGRESS, ClaimStatus.REBUTTED)
REQUIRED_CONTENT = ("verdict", "headline", "body")


async def _locked_rebuttal(actor: Actor | None, rebuttal_id: int) -> Rebuttal:
    """A rebuttal the actor may read, locked for the rest of the transaction, or NOT_FOUND."""
    if actor is None:
        raise unauthenticated()
    rebuttal = (
        await Rebuttal.filter(rebuttals_filter(actor), id=rebuttal_id).select_for_update().first()
    )
    if rebuttal is None:
        raise not_found("rebuttal", "rebuttalId")
    return rebuttal


async def _slug(institution_id: int) -> str:
    return (await Institution.get(id=institution_id)).slug


def _status_payload(rebuttal: Rebuttal, **extra: object) -> dict[str, object]:
    return {
        "rebuttalStatus": rebuttal.status.value,
        "revision": rebuttal.live_revision,
        **extra,
    }


async def draft_rebuttal(actor: Actor | None, claim_id: int, content: RebuttalContent) -> Rebuttal:
    """Start a rebuttal of a triaged claim for the actor's (lead or supporting) institution."""
    actor = require_role(actor, AUTHORS, "draft rebuttals")
    missing = [name for name in REQUIRED_CONTENT if getattr(content, name) is None]
    if missing:
        raise invalid("A draft needs a verdict, a headline and a body.", missing[0])
    changes = content.changes()
    async with in_transaction():
        claim = await get_visible_claim(actor, claim_id, lock=True)
        if claim.status not in ANSWERABLE:
            raise invalid_transition(
                f"A {claim.status.value} claim cannot be answered: it must be triaged first."
                if claim.status == ClaimStatus.REPORTED
                else f"A {claim.status.value} claim cannot be answered."
            )
        require_member(actor, AUTHORS, await claim_institution_ids(claim), "answer this claim")
        taken = Rebuttal.filter(claim_id=claim.id, institution_id=actor.institution_id)
        if await taken.exclude(status=RebuttalStatus.RETRACTED).exists():
            raise conflict("Your institution already has a rebuttal of this claim.", "claimId")
        if await Rebuttal.filter(claim_id=claim.id).count() >= MAX_REBUTTALS_PER_CLAIM:
            raise conflict(
                f"This claim has {MAX_REBUTTALS_PER_CLAIM} rebuttals, the most one may have: "
                "correct (revise) one of them instead.",
                "claimId",
            )
        rebuttal = await Rebuttal.create(
            claim_id=claim.id,
            institution_id=actor.institution_id,
            status=RebuttalStatus.DRAFT,
            created_by_id=actor.account_id,
            draft_authors=[actor.account_id],
            **changes,
        )
        if claim.status == ClaimStatus.TRIAGED:
            claim.status = ClaimStatus.IN_PROGRESS
            await claim.save(update_fields=["status", "updated_at"])
        await _record(EventType.REBUTTAL_DRAFTED, actor, rebuttal, claimStatus=claim.status.value)
    await committed()
    return rebuttal


async def update_rebuttal(
    actor: Actor | None, rebuttal_id: int, content: RebuttalContent
) -> Rebuttal:
    """Edit the working copy; changes requested by a reviewer send it back to DRAFT."""
    changes = content.changes()
    if not changes:
        raise invalid("Nothing to change: give at least one field.")
    async with in_transaction():
        rebuttal = await _locked_rebuttal(actor, rebuttal_id)
        actor = require_member(actor, AUTHORS, [rebuttal.institution_id], "edit this rebuttal")
        if rebuttal.status not in EDITABLE:
            raise invalid_transition(f"A {rebuttal.status.value} rebuttal cannot be edited.")
        for name, value in changes.items():
            setattr(rebuttal, name, value)
        rebuttal.status = RebuttalStatus.DRAFT
        if actor.account_id not in rebuttal.draft_authors:
            rebuttal.draft_authors = [*rebuttal.draft_authors, actor.account_id]
        await rebuttal.save()
        await _record(EventType.REBUTTAL_UPDATED, actor, rebuttal, fields=sorted(changes))
    await committed()
    return rebuttal


async def submit_rebuttal(actor: Actor | None, rebuttal_id: int) -> Rebuttal:
    """Send the working copy to the institution's approvers."""
    async with in_transaction():
        rebuttal = await _locked_rebuttal(actor, rebuttal_id)
        actor = require_member(actor, AUTHORS, [rebuttal.institution_id], "submit this rebuttal")
        if rebuttal.status not in EDITABLE:
            raise invalid_transition(f"A {rebuttal.status.value} rebuttal cannot be submitted.")
        rebuttal.status = RebuttalStatus.IN_REVIEW
        await rebuttal.save(update_fields=["status", "updated_at"])
        await _record(EventType.REBUTTAL_SUBMITTED, actor, rebuttal)
    await committed()
    return rebuttal


async def review_rebuttal(
    actor: Actor | None, rebuttal_id: int, decision: ReviewDecision, comment: str
) -> Rebuttal:
    """Approve the submitted working copy or request changes (approvers, not its authors)."""
    comment = clean_text(comment, "comment", limit=MAX_NOTE, required=False)
    if decision == ReviewDecision.REQUEST_CHANGES and not comment:
        raise invalid("Say what should change.", "comment")
    async with in_transaction():
        rebuttal = await _locked_rebuttal(actor, rebuttal_id)
        actor = require_member(
            actor, (Role.APPROVER,), [rebuttal.institution_id], "review this rebuttal"
        )
        if rebuttal.status != RebuttalStatus.IN_REVIEW:
            raise invalid_transition(f"A {rebuttal.status.value} rebuttal is not in review.")
        if decision == ReviewDecision.APPROVE and actor.account_id in rebuttal.draft_authors:
            raise forbidden("You edited this revision: another approver must approve it.")
        await Review.create(
            rebuttal_id=rebuttal.id,
            round=rebuttal.next_revision,
            reviewer_id=actor.account_id,
            decision=decision,
            comment=comment,
        )
        approved = decision == ReviewDecision.APPROVE
        rebuttal.status = RebuttalStatus.APPROVED if approved else RebuttalStatus.CHANGES_REQUESTED
        await rebuttal.save(update_fields=["status", "updated_at"])
        event = EventType.REBUTTAL_APPROVED if approved else EventType.REBUTTAL_CHANGES_REQUESTED
        await _record(event, actor, rebuttal)
    await committed()
    return rebuttal


#: How far ahead a publication may be scheduled.
MAX_SCHEDULE_AHEAD = timedelta(days=366)
PUBLISHABLE = (RebuttalStatus.APPROVED, RebuttalStatus.SCHEDULED)


async def publish_rebuttal(
    actor: Actor | None,
    rebuttal_id: int,
    settings: Settings,
    publish_at: datetime | None = None,
) -> Rebuttal:
    """Freeze the approved working copy as the next revision and make it live, now or, with
    ``publish_at``, by the worker at that time (``publish_due``). A scheduled rebuttal may be
    scheduled again, or published now, until then."""
    now = datetime.now(UTC)
    if publish_at is not None:
        publish_at = aware(publish_at, "publishAt")
        if publish_at <= now:
            raise invalid(
                "The time to publish must lie in the future: leave it out to publish now.",
                "publishAt",
            )
        if publish_at > now + MAX_SCHEDULE_AHEAD:
            raise invalid("A publication may be scheduled at most a year ahead.", "publishAt")
    async with in_transaction():
        rebuttal = await _locked_rebuttal(actor, rebuttal_id)
        actor = require_member(actor, AUTHORS, [rebuttal.institution_id], "publish this rebuttal")
        if rebuttal.status not in PUBLISHABLE:
            raise invalid_transition(
                f"A {rebuttal.status.value} rebuttal cannot be published: it needs an approval."
            )
        claim = await Claim.filter(id=rebuttal.claim_id).select_for_update().get()
        if claim.status not in ANSWERABLE:
            raise invalid_transition(f"The claim is {claim.status.value}: nothing to publish to.")
        if publish_at is None:
            await _publish(actor, rebuttal, claim, settings, now)
        else:
            rebuttal.status = RebuttalStatus.SCHEDULED
            rebuttal.publish_at = publish_at
            rebuttal.scheduled_by_id = actor.account_id
            await rebuttal.save(update_fields=_SCHEDULE_FIELDS)
            await _record(
                EventType.REBUTTAL_SCHEDULED, actor, rebuttal, publishAt=publish_at.isoformat()
            )
    await committed()
    return rebuttal


async def unschedule_rebuttal(actor: Actor | None, rebuttal_id: int) -> Rebuttal:
    """Cancel a scheduled publication: the rebuttal is APPROVED again, to publish or schedule."""
    async with in_transaction():
        rebuttal = await _locked_rebuttal(actor, rebuttal_id)
        actor = require_member(
            actor, AUTHORS, [rebuttal.institution_id], "cancel this rebuttal's publication"
        )
        if rebuttal.status != RebuttalStatus.SCHEDULED:
            raise invalid_transition(
                f"A {rebuttal.status.value} rebuttal has no scheduled publication to cancel."
            )
        await _unschedule(actor, rebuttal, reason=None)
    await committed()
    return rebuttal


async def publish_due(settings: Settings, *, limit: int = 20) -> int:
    """Publish the scheduled rebuttals whose time has come, once across processes: each is
    locked (skipping those another worker holds) and published in its own transaction, as
    the account that scheduled it. One that can no longer be published (its claim was
    dismissed or merged, its scheduler is no longer an author of the institution) goes back
    to APPROVED with the reason in its REBUTTAL_UNSCHEDULED event. Returns how many were handled.
    """
    handled = 0
    for _ in range(limit):
        async with in_transaction():
            rebuttal = (
                await Rebuttal.filter(
                    status=RebuttalStatus.SCHEDULED, publish_at__lte=datetime.now(UTC)
                )
                .order_by("publish_at", "id")
                .select_for_update(skip_locked=True)
                .first()
            )
            if rebuttal is None:
                break
            await _publish_scheduled(rebuttal, settings)
        await committed()
        handled += 1
    return handled


async def next_publication_at() -> datetime | None:
    """When the earliest scheduled publication is due, if any."""
    rebuttal = (
        await Rebuttal.filter(status=RebuttalStatus.SCHEDULED)
        .order_by("publish_at")
        .only("id", "publish_at")
        .first()
    )
    return rebuttal.publish_at if rebuttal else None


async def _publish_scheduled(rebuttal: Rebuttal, settings: Settings) -> None:
    scheduler = await actor_for_account(rebuttal.scheduled_by_id)
    claim = await Claim.filter(id=rebuttal.claim_id).select_for_update().get()
    if scheduler is None or not (
        scheduler.role in AUTHORS and scheduler.institution_id == rebuttal.institution_id
    ):
        await _unschedule(
            scheduler, rebuttal, reason="The account that scheduled it may no longer publish it."
        )
    elif claim.status not in ANSWERABLE:
        await _unschedule(scheduler, rebuttal, reason=f"The claim is {claim.status.value}.")
    else:
        await _publish(scheduler, rebuttal, claim, settings, datetime.now(UTC), scheduled=True)


_SCHEDULE_FIELDS = ["status", "publish_at", "scheduled_by_id", "updated_at"]


async def _unschedule(actor: Actor | None, rebuttal: Rebuttal, reason: str | None) -> None:
    rebuttal.status = RebuttalStatus.APPROVED
    rebuttal.publish_at = None
    rebuttal.scheduled_by_id = None
    await rebuttal.save(update_fields=_SCHEDULE_FIELDS)
    extra = {"reason": reason} if reason else {}
    await _record(EventType.REBUTTAL_UNSCHEDULED, actor, rebuttal, **extra)


async def _publish(
    actor: Actor,
    rebuttal: Rebuttal,
    claim: Claim,
    settings: Settings,
    now: datetime,
    *,
    scheduled: bool = False,
) -> None:
    """Freeze the locked rebuttal's working copy as its next revision, live from ``now``."""
    approval = (
        await Review.filter(
            rebuttal_id=rebuttal.id,
            round=rebuttal.next_revision,
            decision=ReviewDecision.APPROVE,
        )
        .order_by("-id")
        .first()
    )
    revision = await RebuttalRevision.create(
        rebuttal_id=rebuttal.id,
        number=rebuttal.next_revision,
        verdict=rebuttal.verdict,
        headline_km=rebuttal.headline_km,
        headline_en=rebuttal.headline_en,
        body_km=rebuttal.body_km,
        body_en=rebuttal.body_en,
        channels=rebuttal.channels,
        approved_by_id=approval.reviewer_id if approval else None,
        published_by_id=actor.account_id,
        published_at=now,
    )
    await Evidence.bulk_create(
        [
            Evidence(revision_id=revision.id, position=i, **item)
            for i, item in enumerate(rebuttal.evidence)
        ]
    )
    rebuttal.status = RebuttalStatus.PUBLISHED
    rebuttal.live_revision = revision.number
    rebuttal.live_verdict = revision.verdict
    rebuttal.published_at = rebuttal.published_at or now
    rebuttal.publish_at = None
    rebuttal.scheduled_by_id = None
    rebuttal.draft_authors = []
    await rebuttal.save()
    await enqueue_publication(rebuttal, settings, revision=revision, claim=claim)
    extra = {"scheduled": True} if scheduled else {}
    await _record(
        EventType.REBUTTAL_PUBLISHED,
        actor,
        rebuttal,
        public=True,
        verdict=revision.verdict.value,
        correction=revision.number > 1,
        **extra,
    )
    if claim.rebutted_at is None:
        REPORT_TO_PUBLISH.observe((now - claim.created_at).total_seconds())
    if claim.status != ClaimStatus.REBUTTED:
        claim.status = ClaimStatus.REBUTTED
        claim.rebutted_at = claim.rebutted_at or now
        claim.public = True
        await claim.save()
        await append(
            EventType.CLAIM_REBUTTED,
            actor=actor,
            claim_id=claim.id,
            rebuttal_id=rebuttal.id,
            institutions=[actor.institution_slug],
            public=True,
            payload={"claimStatus": claim.status.value},
        )


async def revise_rebuttal(actor: Actor | None, rebuttal_id: int) -> Rebuttal:
    """Open a correction: the working copy becomes a DRAFT, the live revision stays live."""
    async with in_transaction():
        rebuttal = await _locked_rebuttal(actor, rebuttal_id)
        actor = require_member(actor, AUTHORS, [rebuttal.institution_id], "revise this rebuttal")
        if rebuttal.status != RebuttalStatus.PUBLISHED:
            raise invalid_transition(
                f"A {rebuttal.status.value} rebuttal cannot be revised: only a published one."
            )
        if rebuttal.next_revision > MAX_REVISIONS:
            raise invalid_transition(
                f"A rebuttal has at most {MAX_REVISIONS} revisions: retract it and draft a new one."
            )
        rebuttal.status = RebuttalStatus.DRAFT
        rebuttal.draft_authors = [actor.account_id]
        await rebuttal.save(update_fields=["status", "draft_authors", "updated_at"])
        await _record(EventType.REBUTTAL_REVISION_OPENED, actor, rebuttal)
    await committed()
    return rebuttal


async def retract_rebuttal(
    actor: Actor | None, rebuttal_id: int, reason: Localized, settings: Settings
) -> Rebuttal:
    """Withdraw a published rebuttal for good, with a public reason.

    Allowed to the institution's approvers and to the coordinator. The retracted rebuttal stays
    public. If no other live rebuttal answers the claim, the claim goes back to IN_PROGRESS.
    """
    reason = reason.cleaned("reason", limit=MAX_NOTE)
    async with in_transaction():
        rebuttal = await _locked_rebuttal(actor, rebuttal_id)
        actor = require_member(
            actor,
            (Role.APPROVER, Role.COORDINATOR),
            [rebuttal.institution_id],
            "retract this rebuttal",
        )
        if rebuttal.status == RebuttalStatus.RETRACTED or rebuttal.live_revision is None:
            raise invalid_transition(
                f"A {rebuttal.status.value} rebuttal cannot be retracted: only a published one."
            )
        rebuttal.status = RebuttalStatus.RETRACTED
        rebuttal.retracted_at = datetime.now(UTC)
        rebuttal.retraction_reason_km = reason.km
        rebuttal.retraction_reason_en = reason.en
        rebuttal.publish_at = None  # a scheduled correction goes with the rest
        rebuttal.scheduled_by_id = None
        rebuttal.draft_authors = []
        await rebuttal.save()
        await enqueue_retraction(rebuttal, settings)
        reasons = {"km": reason.km, "en": reason.en}
        await _record(EventType.REBUTTAL_RETRACTED, actor, rebuttal, public=True, reason=reasons)
        claim = await Claim.filter(id=rebuttal.claim_id).select_for_update().get()
        still_answered = (
            await Rebuttal.filter(claim_id=claim.id, live_revision__isnull=False)
            .exclude(status=RebuttalStatus.RETRACTED)
            .exists()
        )
        if claim.status == ClaimStatus.REBUTTED and not still_answered:
            claim.status = ClaimStatus.IN_PROGRESS
            if claim.due_at is not None and claim.triaged_at is not None:
                claim.next_alert_at = first_alert_at(claim.triaged_at, claim.due_at)
            await claim.save(update_fields=["status", "next_alert_at", "updated_at"])
            await append(
                EventType.CLAIM_REOPENED,
                actor=actor,
                claim_id=claim.id,
                rebuttal_id=rebuttal.id,
                institutions=[await _slug(rebuttal.institution_id)],
                public=True,
                payload={"claimStatus": claim.status.value},
            )
    await committed()
    return rebuttal


async def _record(
    event_type: EventType,
    actor: Actor,
    rebuttal: Rebuttal,
    *,
    public: bool = False,
    **extra: object,
) -> None:
    await append(
        event_type,
        actor=actor,
        claim_id=rebuttal.claim_id,
        rebuttal_id=rebuttal.id,
        institutions=[await _slug(rebuttal.institution_id)],
        public=public,
        payload=_status_payload(rebuttal, **extra),
    )
