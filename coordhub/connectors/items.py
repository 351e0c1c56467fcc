"""Building the ``RebuttalItem`` a delivery announces, and the ``ClaimNotice`` the claim hooks
get, from the database."""

from __future__ import annotations

from strawberry.relay import to_base64

from coordhub.connectors.types import (
    Action,
    AppearanceItem,
    ClaimItem,
    ClaimNotice,
    EvidenceItem,
    InstitutionItem,
    RebuttalItem,
    Text,
)
from coordhub.models import (
    Appearance,
    Claim,
    ClaimSupport,
    Evidence,
    Institution,
    Rebuttal,
    RebuttalRevision,
)


def rebuttal_url(base_url: str, rebuttal_id: int) -> str:
    """The canonical public address of a rebuttal (stable across revisions)."""
    return f"{base_url.rstrip('/')}/rebuttals/{rebuttal_id}"


async def build_item(
    rebuttal: Rebuttal,
    action: Action,
    *,
    base_url: str,
    revision_number: int | None = None,
    revision: RebuttalRevision | None = None,
    claim: Claim | None = None,
) -> RebuttalItem:
    """The item for a revision (by default the live one) and the given action; ``revision`` and
    ``claim``, when the caller holds them already, are not read again."""
    if revision is None:
        number = revision_number or rebuttal.live_revision
        revision = await RebuttalRevision.get(rebuttal_id=rebuttal.id, number=number)
    evidence = await Evidence.filter(revision_id=revision.id).order_by("position")
    if claim is None:
        claim = await Claim.get(id=rebuttal.claim_id)
    appearances = await Appearance.filter(claim_id=claim.id).order_by("seen_at", "id")
    institution = await Institution.get(id=rebuttal.institution_id)
    assert rebuttal.published_at is not None
    return RebuttalItem(
        id=to_base64("Rebuttal", rebuttal.id),
        revision=revision.number,
        action=action,
        verdict=revision.verdict.value,
        headline=Text(km=revision.headline_km, en=revision.headline_en),
        body=Text(km=revision.body_km, en=revision.body_en),
        evidence=[
            EvidenceItem(
                url=e.url,
                title=Text(km=e.title_km, en=e.title_en),
                note=Text(km=e.note_km, en=e.note_en),
            )
            for e in evidence
        ],
        claim=ClaimItem(
            id=to_base64("Claim", claim.id),
            summary=Text(km=claim.summary_km, en=claim.summary_en),
            topic=claim.topic,
            first_seen_at=claim.first_seen_at,
            appearances=[
                AppearanceItem(url=a.url, outlet=a.outlet, seen_at=a.seen_at) for a in appearances
            ],
        ),
        institution=_institution(institution),
        url=rebuttal_url(base_url, rebuttal.id),
        first_published_at=rebuttal.published_at,
        published_at=revision.published_at,
        retracted_at=rebuttal.retracted_at,
        retraction_reason=retraction_reason(rebuttal),
    )


def _institution(institution: Institution) -> InstitutionItem:
    return InstitutionItem(
        slug=institution.slug, name=Text(km=institution.name_km, en=institution.name_en)
    )


async def build_claim_notice(claim: Claim, seq: int) -> ClaimNotice:
    """The notice of a claim (as it is now) for the event numbered ``seq``."""
    supporting_ids = await ClaimSupport.filter(claim_id=claim.id).values_list(
        "institution_id", flat=True
    )
    supporting = await Institution.filter(id__in=list(supporting_ids)).order_by("slug")
    lead = (
        await Institution.get(id=claim.lead_institution_id) if claim.lead_institution_id else None
    )
    return ClaimNotice(
        seq=seq,
        id=to_base64("Claim", claim.id),
        summary=Text(km=claim.summary_km, en=claim.summary_en),
        topic=claim.topic,
        priority=claim.priority.value,
        status=claim.status.value,
        lead=_institution(lead) if lead else None,
        supporting=[_institution(i) for i in supporting],
        due_at=claim.due_at,
        triaged_at=claim.triaged_at,
    )


def retraction_reason(rebuttal: Rebuttal) -> Text | None:
    """A retracted rebuttal's public reason in both languages (None if it has none)."""
    km, en = rebuttal.retraction_reason_km, rebuttal.retraction_reason_en
    if km is None and en is None:
        return None
    return Text(km=km or "", en=en or "")
