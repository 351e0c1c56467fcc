"""AKP news agency: ``POST /akp/items`` takes an IPTC ninjs item as JSON.

Bearer-token auth; ``uri`` and ``version`` strings and a ``pubstatus`` are required.
Answers 201 ``{"id": "akp-<n>"}``; a repeated ``Idempotency-Key`` answers 200 with the same id.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from coordhub.simulators import validation
from coordhub.simulators.common import (
    IDEMPOTENCY_HEADER,
    accept,
    bearer_ok,
    error,
    idempotency_key,
    outlet_endpoint,
    replayed,
    require_json_content_type,
)
from coordhub.simulators.config import SimulatorSecrets
from coordhub.simulators.state import OutletState, SimulatorState

OUTLET = "akp"
PUBSTATUSES = frozenset({"usable", "withheld", "canceled"})
"""The ninjs ``pubstatus`` values AKP accepts."""


def routes(state: SimulatorState, secrets: SimulatorSecrets) -> list[Route]:
    """The AKP endpoint, bound to ``state`` and the AKP token."""

    async def receive_item(request: Request, body: bytes, outlet: OutletState) -> Response:
        """Authenticate, dedupe, validate and record one ninjs item."""
        if not bearer_ok(request, secrets.akp_token):
            return error(401, "invalid or missing bearer token")
        wrong_type = require_json_content_type(request)
        if wrong_type is not None:
            return wrong_type
        key = idempotency_key(request)
        first = outlet.replay(key)
        if first is not None:
            return replayed(first.response)
        item = validation.json_object(body)
        validation.string(item, "uri")
        validation.string(item, "version")
        validation.choice(item, "pubstatus", PUBSTATUSES)
        answer = {"id": f"akp-{outlet.next_number()}"}
        return accept(
            request,
            outlet,
            key=key,
            payload=item,
            answer=answer,
            receipt_id=answer["id"],
            status=201,
        )

    endpoint = outlet_endpoint(state, OUTLET, receive_item, IDEMPOTENCY_HEADER)
    return [Route("/akp/items", endpoint, methods=["POST"], name="akp-items")]
