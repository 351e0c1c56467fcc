"""Seeding benchmark databases: through the project's own workflow (``coordhub.demo.scenario``),
or, for the claims of ``bench.duplicates``, in bulk."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from strawberry.relay import to_base64

from coordhub.actor import Actor
from coordhub.demo.scenario import Desks, Scenario, numbered, sign_up
from coordhub.models import Institution, InstitutionKind, Role
from coordhub.settings import Settings
from coordhub.workflow import rebuttals
from coordhub.workflow.inputs import Localized


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


def claim_summaries(count: int, seed: int) -> Iterator[Localized]:
    """``count`` summaries drawn from ``bench.reads_corpus``: many say nearly the same thing,
    as a desk's do."""
    import random

    from bench.reads_corpus import OPENERS, PLACES, PREDICATES, SUBJECTS

    rng = random.Random(seed)
    for _ in range(count):
        opener, subject = rng.choice(OPENERS), rng.choice(SUBJECTS)
        predicate, place = rng.choice(PREDICATES), rng.choice(PLACES)
        yield Localized(
            km=f"{opener[0]}{subject[0]}{predicate[0]} {place[0]}",
            en=f"{opener[1]} {subject[1]} {predicate[1]} {place[1]}.",
        )


async def reported_claims(
    count: int, *, seed: int = 14, dismissed_share: float = 0.3, batch: int = 5_000
) -> Desks:
    """``count`` claims as ``claims.report_claim`` writes them (summaries from
    ``claim_summaries``), a share of them dismissed (public); the desks that reported and
    dismissed them. The rows are written in batches, without their events: a million claims
    through the workflow one by one would take hours, and no benchmark here reads the log."""
    import random

    from coordhub.models import Claim, ClaimStatus, DismissalReason, Priority
    from coordhub.similarity import normalise
    from coordhub.workflow.inputs import search_text

    if not await Institution.exists(slug="moi"):
        await Institution.create(
            slug="moi", name_km="moi", name_en="moi", kind=InstitutionKind.COORDINATOR
        )
    reporter, _ = await sign_up("bench reporter", Role.REPORTER)
    coordinator, _ = await sign_up("bench coordinator", Role.COORDINATOR, "moi")
    rng = random.Random(seed + 1)
    now = datetime.now(UTC)
    rows: list[Claim] = []
    for summary in claim_summaries(count, seed):
        dismissed = rng.random() < dismissed_share
        rows.append(
            Claim(
                summary_km=summary.km,
                summary_en=summary.en,
                topic="bench",
                status=ClaimStatus.DISMISSED if dismissed else ClaimStatus.REPORTED,
                priority=Priority.NORMAL,
                first_seen_at=now,
                reported_by_id=reporter.account_id,
                search_text=search_text(summary.km, summary.en, "bench"),
                similar_km=normalise(summary.km),
                similar_en=normalise(summary.en),
                dismissal_reason=DismissalReason.NOT_NEWS if dismissed else None,
                dismissal_note_km="មិនមែនជាព័ត៌មាន" if dismissed else None,
                dismissal_note_en="Not news." if dismissed else None,
                dismissed_at=now if dismissed else None,
                public=dismissed,
            )
        )
        if len(rows) == batch:
            await Claim.bulk_create(rows)
            rows = []
    if rows:
        await Claim.bulk_create(rows)
    db = Claim._meta.db
    if db.capabilities.dialect == "postgres":
        # As autovacuum would soon after a bulk load: plans made before it see an empty
        # table's statistics (a reporter's few claims estimated at thousands, say).
        await db.execute_script('ANALYZE "claim"')
    return Desks(reporter, coordinator, [])
