"""Building the ``RebuttalItem`` a delivery announces, from the database."""

from __future__ import annotations

from strawberry.relay import to_base64

from coordhub.connectors.types import (
    Action,
    AppearanceItem,
    ClaimItem,
    EvidenceItem,
    InstitutionItem,
    RebuttalItem,
    Text,
)
from coordhub.models import (
    Appearance,
    Claim,
    Evidence,
    Institution,
    Rebuttal,
    RebuttalRevision,
)


def rebuttal_url(base_url: str, rebuttal_id: int) -> str:
    """The canonical public address of a rebuttal (stable across revisions)."""
    return f"{base_url.rstrip('/')}/rebuttals/{rebuttal_id}"


async def build_item(
    rebuttal: Rebuttal, action: Action, *, base_url: str, revision_number: int | None = None
) -> RebuttalItem:
    """The item for a revision (by default the live one) and the given action."""
    number = revision_number or rebuttal.live_revision
    revision = await RebuttalRevision.get(rebuttal_id=rebuttal.id, number=number)
    evidence = await Evidence.filter(revision_id=revision.id).order_by("position")
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
        institution=InstitutionItem(
            slug=institution.slug, name=Text(km=institution.name_km, en=institution.name_en)
        ),
        url=rebuttal_url(base_url, rebuttal.id),
        first_published_at=rebuttal.published_at,
        published_at=revision.published_at,
        retracted_at=rebuttal.retracted_at,
        retraction_reason=retraction_reason(rebuttal),
    )


def retraction_reason(rebuttal: Rebuttal) -> Text | None:
    """A retracted rebuttal's public reason in both languages (None if it has none)."""
    km, en = rebuttal.retraction_reason_km, rebuttal.retraction_reason_en
    if km is None and en is None:
        return None
    return Text(km=km or "", en=en or "")
