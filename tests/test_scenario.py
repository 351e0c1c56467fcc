"""coordhub.demo.scenario takes a claim or a rebuttal to every state it names, through the
workflow, as the demo, the benchmarks and the tests rely on."""

from __future__ import annotations

import pytest

from coordhub.demo.scenario import CLAIM_STATES, REBUTTAL_STATES, Scenario
from coordhub.models import Claim, ClaimStatus, Event, Rebuttal, RebuttalStatus
from coordhub.settings import Settings
from tests.flows import desks
from tests.support import World

#: (status of the working copy, live revision) each rebuttal state stands for.
REBUTTAL_ENDS: dict[str, tuple[RebuttalStatus, int | None]] = {
    "DRAFT": (RebuttalStatus.DRAFT, None),
    "IN_REVIEW": (RebuttalStatus.IN_REVIEW, None),
    "CHANGES_REQUESTED": (RebuttalStatus.CHANGES_REQUESTED, None),
    "APPROVED": (RebuttalStatus.APPROVED, None),
    "PUBLISHED": (RebuttalStatus.PUBLISHED, 1),
    "CORRECTION_DRAFT": (RebuttalStatus.DRAFT, 1),
    "CORRECTION_IN_REVIEW": (RebuttalStatus.IN_REVIEW, 1),
    "CORRECTION_APPROVED": (RebuttalStatus.APPROVED, 1),
    "CORRECTED": (RebuttalStatus.PUBLISHED, 2),
    "RETRACTED": (RebuttalStatus.RETRACTED, 1),
}


def test_every_rebuttal_state_has_an_expected_end() -> None:
    assert set(REBUTTAL_ENDS) == set(REBUTTAL_STATES)


@pytest.mark.parametrize("state", CLAIM_STATES)
async def test_a_claim_reaches_each_state(state: str, settings: Settings, world: World) -> None:
    scenario = Scenario(await desks(world), settings)
    claim = await scenario.claim(state)  # type: ignore[arg-type]
    stored = await Claim.get(id=claim.id)
    assert stored.status == ClaimStatus(state)
    assert await Event.filter(claim_id=claim.id).exists()  # made through the workflow


@pytest.mark.parametrize("state", REBUTTAL_STATES)
async def test_a_rebuttal_reaches_each_state(state: str, settings: Settings, world: World) -> None:
    scenario = Scenario(await desks(world), settings)
    rebuttal = await scenario.rebuttal(state)  # type: ignore[arg-type]
    stored = await Rebuttal.get(id=rebuttal.id)
    assert (stored.status, stored.live_revision) == REBUTTAL_ENDS[state]


async def test_an_unknown_state_is_refused_naming_the_known_ones(
    settings: Settings, world: World
) -> None:
    scenario = Scenario(await desks(world), settings)
    with pytest.raises(ValueError, match="CORRECTED"):
        await scenario.rebuttal("SHREDDED")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="MERGED"):
        await scenario.claim("LOST")  # type: ignore[arg-type]
