"""Seeding benchmark databases through the project's own workflow."""

from __future__ import annotations

from dataclasses import dataclass

from strawberry.relay import to_base64

from coordhub.actor import Actor
from coordhub.auth import create_token
from coordhub.models import Institution, InstitutionKind, Priority, ReviewDecision, Role, Verdict
from coordhub.settings import Settings
from coordhub.workflow import claims, rebuttals
from coordhub.workflow.inputs import ClaimReport, EvidenceInput, Localized, RebuttalContent


@dataclass(frozen=True, slots=True)
class Approved:
    """Rebuttals approved and ready to publish, and who may publish them."""

    editor: Actor
    editor_token: str
    rebuttal_ids: list[int]

    @property
    def global_ids(self) -> list[str]:
        return [to_base64("Rebuttal", pk) for pk in self.rebuttal_ids]


@dataclass(frozen=True, slots=True)
class Desks:
    """Who takes a claim through the workflow to an approved rebuttal."""

    reporter: Actor
    coordinator: Actor
    editor: Actor
    approver: Actor

    async def approved_rebuttal(self, n: int, channels: list[str], settings: Settings) -> int:
        """Claim number ``n``, reported, triaged to health and answered; the rebuttal's id,
        approved and ready to publish to ``channels``."""
        summary = Localized(km=f"ពាក្យចចាមអារ៉ាមលេខ {n}", en=f"Rumour number {n}")
        claim = await claims.report_claim(
            self.reporter, ClaimReport(summary=summary, topic="health")
        )
        await claims.triage_claim(
            self.coordinator,
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
        rebuttal = await rebuttals.draft_rebuttal(self.editor, claim.id, content)
        await rebuttals.submit_rebuttal(self.editor, rebuttal.id)
        await rebuttals.review_rebuttal(self.approver, rebuttal.id, ReviewDecision.APPROVE, "")
        return rebuttal.id


async def _actor(name: str, role: Role, slug: str | None) -> tuple[Actor, str]:
    issued = await create_token(name, role, slug)
    institution = await Institution.get(slug=slug) if slug else None
    actor = Actor(
        account_id=issued.account.id,
        name=name,
        role=role,
        institution_id=institution.id if institution else None,
        institution_slug=slug,
        token_id=issued.token.id,
    )
    return actor, issued.secret


async def approved_rebuttals(settings: Settings, count: int, channels: list[str]) -> Approved:
    """``count`` claims, each triaged and answered, the answer approved but not published."""
    for slug, kind in (("moi", InstitutionKind.COORDINATOR), ("health", InstitutionKind.MINISTRY)):
        if not await Institution.exists(slug=slug):
            await Institution.create(slug=slug, name_km=slug, name_en=slug, kind=kind)
    reporter, _ = await _actor("bench reporter", Role.REPORTER, None)
    coordinator, _ = await _actor("bench coordinator", Role.COORDINATOR, "moi")
    editor, editor_token = await _actor("bench editor", Role.EDITOR, "health")
    approver, _ = await _actor("bench approver", Role.APPROVER, "health")
    desks = Desks(reporter, coordinator, editor, approver)
    ids = [await desks.approved_rebuttal(n, channels, settings) for n in range(count)]
    return Approved(editor=editor, editor_token=editor_token, rebuttal_ids=ids)


async def publish_many(settings: Settings, count: int, channels: list[str]) -> None:
    """``count`` claims, each triaged, answered and published to ``channels``."""
    approved = await approved_rebuttals(settings, count, channels)
    for rebuttal_id in approved.rebuttal_ids:
        await rebuttals.publish_rebuttal(approved.editor, rebuttal_id, settings)
