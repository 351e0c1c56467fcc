"""Claim transitions: report, triage, dismiss, merge, and appearances added later.

A claim's appearances have distinct addresses (URLs as cleaned at input): the same address seen
again, reported twice, added again or brought by a merge, stays one appearance, the earliest
sighting kept."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import NamedTuple

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
from coordhub.similarity import normalise
from coordhub.workflow.errors import conflict, forbidden, invalid, invalid_transition, not_found
from coordhub.workflow.inputs import (
    MAX_APPEARANCES_PER_CLAIM,
    MAX_NOTE,
    MAX_SLUG,
    MAX_SUPPORTING,
    AppearanceInput,
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
#: Roles that act for an institution: they add appearances to their institution's claims only.
INSTITUTION_STAFF = (Role.EDITOR, Role.APPROVER)


async def get_visible_claim(actor: Actor | None, claim_id: int, *, lock: bool = False) -> Claim:
    """A claim the actor may read, optionally locked for update, or NOT_FOUND."""
    query = Claim.filter(claims_filter(actor), id=claim_id)
    if lock:
        query = query.select_for_update()
    claim = await query.first()
    if claim is None:
        raise not_found("claim", "claimId")
    return claim


#: The share of the time allowed that is left when a claim is "due soon".
DUE_SOON_SHARE = 0.25


def first_alert_at(triaged_at: datetime, due_at: datetime) -> datetime:
    """When a claim triaged at ``triaged_at`` and due at ``due_at`` is due soon: the worker
    then writes CLAIM_DUE_SOON (``coordhub.workflow.deadlines``)."""
    return due_at - (due_at - triaged_at) * DUE_SOON_SHARE


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
            similar_km=normalise(report.summary.km),
            similar_en=normalise(report.summary.en),
        )
        await Appearance.bulk_create(
            [
                Appearance(claim_id=claim.id, url=a.url, outlet=a.outlet, seen_at=a.seen_at)
                for a in distinct_appearances(report.appearances)
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


@dataclass(frozen=True)
class Triage:
    """A checked triage: who leads, who supports, how urgent, due by when (None: the SLA)."""

    lead: Institution
    supporting: list[Institution]
    priority: Priority
    due_at: datetime | None


async def checked_triage(
    actor: Actor | None,
    *,
    lead: str,
    supporting: Sequence[str],
    priority: Priority,
    due_at: datetime | None,
) -> tuple[Actor, Triage]:
    """The coordinator and its triage, or the typed error naming the field at fault."""
    actor = require_role(actor, (Role.COORDINATOR,), "triage claims")
    if len(supporting) > MAX_SUPPORTING:
        raise invalid(f"At most {MAX_SUPPORTING} supporting institutions.", "supporting")
    if lead in supporting:
        raise invalid("The lead institution cannot also be supporting.", "supporting")
    if due_at is not None:
        due_at = aware(due_at, "dueAt")
        if due_at <= datetime.now(UTC):
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
    return actor, Triage(lead_institution, list(supporters), priority, due_at)


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
    actor, triage = await checked_triage(
        actor, lead=lead, supporting=supporting, priority=priority, due_at=due_at
    )
    async with in_transaction():
        claim = await get_visible_claim(actor, claim_id, lock=True)
        if claim.status not in OPEN:
            raise invalid_transition(f"A {claim.status.value} claim cannot be triaged.")
        await apply_triage(actor, claim, triage, settings, datetime.now(UTC))
    await committed()
    return claim


async def apply_triage(
    actor: Actor, claim: Claim, triage: Triage, settings: Settings, now: datetime
) -> None:
    """Triage the locked, open ``claim`` at ``now``, with its CLAIM_TRIAGED event."""
    claim.lead_institution_id = triage.lead.id
    claim.priority = triage.priority
    claim.due_at = triage.due_at or now + settings.sla[triage.priority.value]
    claim.triaged_at = now
    claim.next_alert_at = first_alert_at(now, claim.due_at)
    if claim.status == ClaimStatus.REPORTED:
        claim.status = ClaimStatus.TRIAGED
    await claim.save()
    await ClaimSupport.filter(claim_id=claim.id).delete()
    await ClaimSupport.bulk_create(
        [ClaimSupport(claim_id=claim.id, institution_id=s.id) for s in triage.supporting]
    )
    supporting = sorted(s.slug for s in triage.supporting)
    await append(
        EventType.CLAIM_TRIAGED,
        actor=actor,
        claim_id=claim.id,
        institutions=[triage.lead.slug, *supporting],
        payload={
            "claimStatus": claim.status.value,
            "lead": triage.lead.slug,
            "supporting": supporting,
            "priority": triage.priority.value,
            "dueAt": claim.due_at.isoformat(),
        },
    )


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
    """Mark a claim as a duplicate of another (coordinator only), moving its appearances to
    the surviving claim (``move_appearances``)."""
    actor = require_role(actor, (Role.COORDINATOR,), "merge claims")
    if claim_id == into_claim_id:
        raise invalid("A claim cannot be merged into itself.", "intoClaimId")
    async with in_transaction():
        # Both rows locked, in id order: two merges crossing each other wait rather than
        # deadlock, and an appearance added to either meanwhile waits for the merge.
        locked = {
            row.id: row
            for row in await Claim.filter(claims_filter(actor), id__in=[claim_id, into_claim_id])
            .order_by("id")
            .select_for_update()
        }
        claim, target = locked.get(claim_id), locked.get(into_claim_id)
        if claim is None:
            raise not_found("claim", "claimId")
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
        moved = await move_appearances(claim, target)
        await append(
            EventType.CLAIM_MERGED,
            actor=actor,
            claim_id=claim.id,
            institutions=await claim_institution_slugs(claim),
            payload={
                "claimStatus": claim.status.value,
                "intoClaimId": target.id,
                "appearancesMoved": moved,
            },
        )
    await committed()
    return claim


def claim_global_id(claim_id: int) -> str:
    """The claim's global id as GraphQL gives it (relay's base64 of ``Claim:<id>``), for
    messages that point to another claim."""
    return base64.b64encode(f"Claim:{claim_id}".encode()).decode()


def distinct_appearances(appearances: Sequence[AppearanceInput]) -> list[AppearanceInput]:
    """One appearance per address, the earliest sighting of each, in their given order."""
    earliest: dict[str, AppearanceInput] = {}
    for appearance in appearances:
        kept = earliest.get(appearance.url)
        if kept is None or appearance.seen_at < kept.seen_at:
            earliest[appearance.url] = appearance
    return list(earliest.values())


class AddedAppearance(NamedTuple):
    """What ``add_appearance`` answers."""

    claim: Claim
    #: The claim's appearance at the address: the new one, or the one already there.
    appearance: Appearance
    #: Whether the appearance is new (False: the address was on the claim, nothing written).
    added: bool


async def add_appearance(
    actor: Actor | None, claim_id: int, appearance: AppearanceInput
) -> AddedAppearance:
    """Record that a claim was seen again; an address already on the claim is answered with
    its appearance as it is, nothing written.

    Who may: whoever may report claims and read this one (reporters: the claims they reported
    and public ones; the coordinator: any), except that an institution's editors and approvers
    add to the claims their institution leads or supports, or that they reported. Refused on
    a MERGED claim, whose appearances live on the claim it was merged into.
    """
    actor = require_role(actor, REPORTERS, "add appearances")
    appearance = appearance.cleaned()
    async with in_transaction():
        claim = await get_visible_claim(actor, claim_id, lock=True)
        if (
            actor.role in INSTITUTION_STAFF
            and claim.reported_by_id != actor.account_id
            and actor.institution_id not in await claim_institution_ids(claim)
        ):
            raise forbidden(
                "Only the coordinator, reporters, the claim's reporter and the institutions "
                "it was triaged to may add appearances to it."
            )
        if claim.status == ClaimStatus.MERGED:
            into = claim_global_id(claim.merged_into_id) if claim.merged_into_id else "another"
            raise invalid_transition(
                f"The claim was merged into {into}: add the appearance to that claim."
            )
        existing = await Appearance.get_or_none(claim_id=claim.id, url=appearance.url)
        if existing is not None:
            return AddedAppearance(claim, existing, added=False)
        if await Appearance.filter(claim_id=claim.id).count() >= MAX_APPEARANCES_PER_CLAIM:
            raise conflict(
                f"The claim already has {MAX_APPEARANCES_PER_CLAIM} appearances, the most it "
                "keeps: enough to show how far it spread.",
                "url",
            )
        row = await Appearance.create(
            claim_id=claim.id,
            url=appearance.url,
            outlet=appearance.outlet,
            seen_at=appearance.seen_at,
        )
        if appearance.seen_at < claim.first_seen_at:
            claim.first_seen_at = appearance.seen_at
            await claim.save(update_fields=["first_seen_at", "updated_at"])
        await append(
            EventType.CLAIM_APPEARANCE_ADDED,
            actor=actor,
            claim_id=claim.id,
            institutions=[*await claim_institution_slugs(claim), actor.institution_slug],
            public=claim.public,
            payload={
                "claimStatus": claim.status.value,
                "url": row.url,
                "outlet": row.outlet,
                "seenAt": row.seen_at.isoformat(),
            },
        )
    await committed()
    return AddedAppearance(claim, row, added=True)


async def move_appearances(claim: Claim, target: Claim) -> int:
    """Move a merged claim's appearances to the claim it was merged into, inside the merge's
    transaction; how many moved.

    An address already on the target stays one appearance there, with the earlier of the two
    sightings. The target keeps at most MAX_APPEARANCES_PER_CLAIM: past it, the earliest
    sightings move and the others stay on the merged claim, where they can still be read.
    """
    theirs = {row.url: row for row in await Appearance.filter(claim_id=target.id)}
    ours = await Appearance.filter(claim_id=claim.id).order_by("seen_at", "id")
    room = MAX_APPEARANCES_PER_CLAIM - len(theirs)
    moved: list[int] = []
    for row in ours:
        same = theirs.get(row.url)
        if same is not None:
            if row.seen_at < same.seen_at:
                same.seen_at = row.seen_at
                await same.save(update_fields=["seen_at"])
            await row.delete()
        elif len(moved) < room:
            moved.append(row.id)
    if moved:
        await Appearance.filter(id__in=moved).update(claim_id=target.id)
    earliest = min((row.seen_at for row in ours), default=None)
    if earliest is not None and earliest < target.first_seen_at:
        target.first_seen_at = earliest
        await target.save(update_fields=["first_seen_at", "updated_at"])
    return len(moved)
