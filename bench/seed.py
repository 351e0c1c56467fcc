"""Seeding benchmark databases through the project's own workflow (``coordhub.demo.scenario``)."""

from __future__ import annotations

from dataclasses import dataclass

from strawberry.relay import to_base64

from coordhub.actor import Actor
from coordhub.demo.scenario import Desks, Scenario, numbered, sign_up
from coordhub.models import Institution, InstitutionKind, Role
from coordhub.settings import Settings
from coordhub.workflow import rebuttals


@dataclass(frozen=True, slots=True)
class Approved:
    """Rebuttals approved and ready to publish, and who may publish them."""

    editor: Actor
    editor_token: str
    rebuttal_ids: list[int]

    @property
    def global_ids(self) -> list[str]:
        return [to_base64("Rebuttal", pk) for pk in self.rebuttal_ids]


async def approved_rebuttals(settings: Settings, count: int, channels: list[str]) -> Approved:
    """``count`` claims, each triaged and answered, the answer approved but not published."""
    for slug, kind in (("moi", InstitutionKind.COORDINATOR), ("health", InstitutionKind.MINISTRY)):
        if not await Institution.exists(slug=slug):
            await Institution.create(slug=slug, name_km=slug, name_en=slug, kind=kind)
    reporter, _ = await sign_up("bench reporter", Role.REPORTER)
    coordinator, _ = await sign_up("bench coordinator", Role.COORDINATOR, "moi")
    editor, editor_token = await sign_up("bench editor", Role.EDITOR, "health")
    approver, _ = await sign_up("bench approver", Role.APPROVER, "health")
    scenario = Scenario(Desks(reporter, coordinator, [editor, approver]), settings)
    ids = [
        (await scenario.rebuttal("APPROVED", story=numbered(n, channels))).id for n in range(count)
    ]
    return Approved(editor=editor, editor_token=editor_token, rebuttal_ids=ids)


async def publish_many(settings: Settings, count: int, channels: list[str]) -> None:
    """``count`` claims, each triaged, answered and published to ``channels``."""
    approved = await approved_rebuttals(settings, count, channels)
    for rebuttal_id in approved.rebuttal_ids:
        await rebuttals.publish_rebuttal(approved.editor, rebuttal_id, settings)


async def reported_claims(count: int, *, seed: int = 14, dismissed_share: float = 0.3) -> Desks:
    """``count`` claims reported through the workflow, their summaries drawn from
    ``bench.reads_corpus`` (so many say nearly the same thing, as a desk's do), a share of them
    dismissed (public); the desks that reported and dismissed them."""
    import random

    from bench.reads_corpus import OPENERS, PLACES, PREDICATES, SUBJECTS
    from coordhub.models import DismissalReason
    from coordhub.workflow import claims
    from coordhub.workflow.inputs import ClaimReport, Localized

    if not await Institution.exists(slug="moi"):
        await Institution.create(
            slug="moi", name_km="moi", name_en="moi", kind=InstitutionKind.COORDINATOR
        )
    reporter, _ = await sign_up("bench reporter", Role.REPORTER)
    coordinator, _ = await sign_up("bench coordinator", Role.COORDINATOR, "moi")
    rng = random.Random(seed)
    note = Localized(km="មិនមែនជាព័ត៌មាន", en="Not news.")
    for _ in range(count):
        opener, subject = rng.choice(OPENERS), rng.choice(SUBJECTS)
        predicate, place = rng.choice(PREDICATES), rng.choice(PLACES)
        summary = Localized(
            km=f"{opener[0]}{subject[0]}{predicate[0]} {place[0]}",
            en=f"{opener[1]} {subject[1]} {predicate[1]} {place[1]}.",
        )
        claim = await claims.report_claim(reporter, ClaimReport(summary=summary, topic="bench"))
        if rng.random() < dismissed_share:
            await claims.dismiss_claim(
                coordinator, claim.id, reason=DismissalReason.NOT_NEWS, note=note
            )
    return Desks(reporter, coordinator, [])
