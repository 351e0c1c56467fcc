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
