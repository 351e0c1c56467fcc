"""Seeding benchmark databases through the project's own workflow."""

from __future__ import annotations

from coordhub.auth import create_token
from coordhub.models import Institution, InstitutionKind, Priority, ReviewDecision, Role, Verdict
from coordhub.settings import Settings
from coordhub.workflow import claims, rebuttals
from coordhub.workflow.actor import Actor
from coordhub.workflow.inputs import ClaimReport, EvidenceInput, Localized, RebuttalContent


async def _actor(name: str, role: Role, slug: str | None) -> Actor:
    issued = await create_token(name, role, slug)
    institution = await Institution.get(slug=slug) if slug else None
    return Actor(
        account_id=issued.account.id,
        name=name,
        role=role,
        institution_id=institution.id if institution else None,
        institution_slug=slug,
    )


async def publish_many(settings: Settings, count: int, channels: list[str]) -> None:
    """``count`` claims, each triaged, answered and published to ``channels``."""
    for slug, kind in (("moi", InstitutionKind.COORDINATOR), ("health", InstitutionKind.MINISTRY)):
        if not await Institution.exists(slug=slug):
            await Institution.create(slug=slug, name_km=slug, name_en=slug, kind=kind)
    reporter = await _actor("bench reporter", Role.REPORTER, None)
    coordinator = await _actor("bench coordinator", Role.COORDINATOR, "moi")
    editor = await _actor("bench editor", Role.EDITOR, "health")
    approver = await _actor("bench approver", Role.APPROVER, "health")
    for n in range(count):
        claim = await claims.report_claim(
            reporter,
            ClaimReport(
                summary=Localized(km=f"ពាក្យចចាមអារ៉ាមលេខ {n}", en=f"Rumour number {n}"),
                topic="health",
            ),
        )
        await claims.triage_claim(
            coordinator,
            claim.id,
            lead="health",
            supporting=[],
            priority=Priority.HIGH,
            due_at=None,
            settings=settings,
        )
        content = RebuttalContent(
            verdict=Verdict.FALSE,
            headline=Localized(km=f"មិនពិតទេ {n}", en=f"Not true {n}"),
            body=Localized(km="ក្រសួងបញ្ជាក់ថា…", en="The ministry confirms…"),
            evidence=[EvidenceInput(url="https://who.example/x", title="Source")],
            channels=channels,
        )
        rebuttal = await rebuttals.draft_rebuttal(editor, claim.id, content)
        await rebuttals.submit_rebuttal(editor, rebuttal.id)
        await rebuttals.review_rebuttal(approver, rebuttal.id, ReviewDecision.APPROVE, "")
        await rebuttals.publish_rebuttal(editor, rebuttal.id, settings)
