"""Claim transitions: report, triage, dismiss, merge."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from tortoise.transactions import in_transaction

from coordhub.actor import Actor
from coordhub.events.log import append, committed
from coordhub.models import (
    Appearance,
    Claim,
    ClaimStatus,
    ClaimSupport,
    DismissalReason,
    EventType,
    Institution,
    Priority,
    Rebuttal,
    Role,
)
from coordhub.settings import Settings
from coordhub.workflow.errors import conflict, invalid, invalid_transition, not_found
from coordhub.workflow.inputs import (
    MAX_NOTE,
    MAX_SLUG,
    MAX_SUPPORTING,
    ClaimReport,
    Localized,
    aware,
    search_text,
    storable,
)
from coordhub.workflow.permissions import require_role
from coordhub.workflow.visibility import claims_filter

REPORTERS = (Role.REPORTER, Role.EDITOR, Role.APPROVER, Role.COORDINATOR)
OPEN = (ClaimStatus.REPORTED, ClaimStatus.TRIAGED, ClaimStatus.IN_PROGRESS)


async def get_visible_claim(actor: Actor | None, claim_id: int, *, lock: bool = False) -> Claim:
    """A claim the actor may read, optionally locked for update, or NOT_FOUND."""
    query = Claim.filter(claims_filter(actor), id=claim_id)
    if lock:
        query = query.select_for_update()
    claim = await query.first()
    if claim is None:
        raise not_found("claim", "claimId")
    return claim


async def claim_institution_slugs(claim: Claim) -> list[str]:
    """Slugs of the claim's lead and supporting institutions."""
    ids = await claim_institution_ids(claim)
    return list(await Institution.filter(id__in=ids).values_list("slug", flat=True))


async def claim_institution_ids(claim: Claim) -> list[int]:
    """Ids of the claim's lead and supporting institutions."""
    ids = list(
        await ClaimSupport.filter(claim_id=claim.id).values_list("institution_id", flat=True)
    )
    if claim.lead_institution_id is not None:
        ids.insert(0, claim.lead_institution_id)
    return ids


async def report_claim(actor: Actor | None, report: ClaimReport) -> Claim:
    """Record a circulating claim as REPORTED."""
    actor = require_role(actor, REPORTERS, "report claims")
    report = report.cleaned()
    now = datetime.now(UTC)
    seen = [a.seen_at for a in report.appearances]
    first_seen = report.first_seen_at or (min(seen) if seen else now)
    async with in_transaction():
        claim = await Claim.create(
            summary_km=report.summary.km,
            summary_en=report.summary.en,
            topic=report.topic,
            status=ClaimStatus.REPORTED,
            priority=Priority.NORMAL,
            first_seen_at=first_seen,
            reported_by_id=actor.account_id,
            search_text=search_text(report.summary.km, report.summary.en, report.topic),
        )
        await Appearance.bulk_create(
            [
                Appearance(claim_id=claim.id, url=a.url, outlet=a.outlet, seen_at=a.seen_at)
                for a in report.appearances
            ]
        )
        await append(
            EventType.CLAIM_REPORTED,
            actor=actor,
            claim_id=claim.id,
            institutions=[actor.institution_slug],
            payload={"claimStatus": claim.status.value},
        )
    await committed()
    return claim


async def triage_claim(
    actor: Actor | None,
    claim_id: int,
    *,
    lead: str,
    supporting: Sequence[str],
    priority: Priority,
    due_at: datetime | None,
    settings: Settings,
) -> Claim:
    """Assign a lead institution, supporting ones, a priority and a due-by (coordinator only)."""
    actor = require_role(actor, (Role.COORDINATOR,), "triage claims")
    if len(supporting) > MAX_SUPPORTING:
        raise invalid(f"At most {MAX_SUPPORTING} supporting institutions.", "supporting")
    if lead in supporting:
        raise invalid("The lead institution cannot also be supporting.", "supporting")
    now = datetime.now(UTC)
    if due_at is not None:
        due_at = aware(due_at, "dueAt")
        if due_at <= now:
            raise invalid("The due-by must lie in the future.", "dueAt")
    # A slug no institution could have is not looked up: the database would refuse it.
    lead_institution = None
    if storable(lead, MAX_SLUG):
        lead_institution = await Institution.get_or_none(slug=lead)
    if lead_institution is None:
        raise not_found("institution", "lead")
    supporters = await Institution.filter(slug__in=[s for s in supporting if storable(s, MAX_SLUG)])
    missing = set(supporting) - {i.slug for i in supporters}
    if missing:
        raise not_found(f"institution '{sorted(missing)[0]}'", "supporting")
    async with in_transaction():
        claim = await get_visible_claim(actor, claim_id, lock=True)
        if claim.status not in OPEN:
            raise invalid_transition(f"A {claim.status.value} claim cannot be triaged.")
        claim.lead_institution_id = lead_institution.id
        claim.priority = priority
        claim.due_at = due_at or now + settings.sla[priority.value]
        claim.triaged_at = now
        if claim.status == ClaimStatus.REPORTED:
            claim.status = ClaimStatus.TRIAGED
        await claim.save()
        await ClaimSupport.filter(claim_id=claim.id).delete()
        await ClaimSupport.bulk_create(
            [ClaimSupport(claim_id=claim.id, institution_id=s.id) for s in supporters]
        )
        await append(
            EventType.CLAIM_TRIAGED,
            actor=actor,
            claim_id=claim.id,
            institutions=[lead, *supporting],
            payload={
                "claimStatus": claim.status.value,
                "lead": lead,
                "supporting": sorted(supporting),
                "priority": priority.value,
                "dueAt": claim.due_at.isoformat(),
            },
        )
    await committed()
    return claim


async def dismiss_claim(
    actor: Actor | None, claim_id: int, *, reason: DismissalReason, note: Localized
) -> Claim:
    """Close a claim without a rebuttal, with a public reason (coordinator only)."""
    actor = require_role(actor, (Role.COORDINATOR,), "dismiss claims")
    note = note.cleaned("note", limit=MAX_NOTE)
    async with in_transaction():
        claim = await get_visible_claim(actor, claim_id, lock=True)
        if claim.status not in OPEN:
            raise invalid_transition(f"A {claim.status.value} claim cannot be dismissed.")
        claim.status = ClaimStatus.DISMISSED
        claim.dismissal_reason = reason
        claim.dismissal_note_km, claim.dismissal_note_en = note.km, note.en
        claim.dismissed_at = datetime.now(UTC)
        claim.public = True
        await claim.save()
        await append(
            EventType.CLAIM_DISMISSED,
            actor=actor,
            claim_id=claim.id,
            institutions=await claim_institution_slugs(claim),
            public=True,
            payload={"claimStatus": claim.status.value, "reason": reason.value},
        )
    await committed()
    return claim


async def merge_claim(actor: Actor | None, claim_id: int, into_claim_id: int) -> Claim:
    """Mark a claim as a duplicate of another (coordinator only)."""
    actor = require_role(actor, (Role.COORDINATOR,), "merge claims")
    if claim_id == into_claim_id:
        raise invalid("A claim cannot be merged into itself.", "intoClaimId")
    async with in_transaction():
        claim = await get_visible_claim(actor, claim_id, lock=True)
        target = await Claim.get_or_none(id=into_claim_id)
        if target is None:
            raise not_found("claim", "intoClaimId")
        if claim.status not in OPEN or claim.public:
            raise invalid_transition(f"A {claim.status.value} claim cannot be merged.")
        if target.status in (ClaimStatus.DISMISSED, ClaimStatus.MERGED):
            raise invalid_transition(f"Cannot merge into a {target.status.value} claim.")
        if await Rebuttal.filter(claim_id=claim.id).exists():
            raise conflict("The claim has rebuttals: retract or finish them first.", "claimId")
        claim.status = ClaimStatus.MERGED
        claim.merged_into_id = target.id
        await claim.save()
        await append(
            EventType.CLAIM_MERGED,
            actor=actor,
            claim_id=claim.id,
            institutions=await claim_institution_slugs(claim),
            payload={"claimStatus": claim.status.value, "intoClaimId": target.id},
        )
    await committed()
    return claim
