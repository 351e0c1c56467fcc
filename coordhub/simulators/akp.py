"""AKP news agency: ``POST /akp/items`` takes an IPTC ninjs item as JSON.

Bearer-token auth; ``uri`` and ``version`` strings and a ``pubstatus`` are required.
Answers 201 ``{"id": "akp-<n>"}``; a repeated ``Idempotency-Key`` answers 200 with the same id.
"""

from __future__ import annotations

from typing import Any

from starlette.routing import Route

from coordhub.simulators import validation
from coordhub.simulators.config import SimulatorSecrets
from coordhub.simulators.intake import bearer_token, json_intake
from coordhub.simulators.state import OutletState, SimulatorState

OUTLET = "akp"
PUBSTATUSES = frozenset({"usable", "withheld", "canceled"})
"""The ninjs ``pubstatus`` values AKP accepts."""


def judge_item(item: dict[str, Any], outlet: OutletState) -> dict[str, Any]:
    """Validate one ninjs item; AKP's answer numbers it."""
    validation.string(item, "uri")
    validation.string(item, "version")
    validation.choice(item, "pubstatus", PUBSTATUSES)
    return {"id": f"akp-{outlet.next_number()}"}


def routes(state: SimulatorState, secrets: SimulatorSecrets) -> list[Route]:
    """The AKP endpoint, bound to ``state`` and the AKP token."""
    auth = bearer_token(secrets.akp_token)
    endpoint = json_intake(state, OUTLET, auth, judge_item, receipt_field="id", status=201)
    return [Route("/akp/items", endpoint, methods=["POST"], name="akp-items")]
