"""Ministry app backend: ``POST /ministry-app/push`` queues a bilingual push notification.

Bearer-token auth. Body: ``title`` and ``body`` as ``{"km", "en"}`` (at most 80 and 240
characters per language), an https ``deep_link``, a ``collapse_key`` and an ``action``.
Answers 202 ``{"notification_id": "push-<n>"}``; a duplicate answers 200 with the same id.
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

OUTLET = "ministry-app"
ACTIONS = frozenset({"PUBLISH", "UPDATE", "RETRACT"})
TITLE_MAX_CHARS = 80
BODY_MAX_CHARS = 240
COLLAPSE_KEY_MAX_CHARS = 128


def routes(state: SimulatorState, secrets: SimulatorSecrets) -> list[Route]:
    """The push endpoint, bound to ``state`` and the app token."""

    async def receive_push(request: Request, body: bytes, outlet: OutletState) -> Response:
        """Authenticate, dedupe, validate and record one push request."""
        if not bearer_ok(request, secrets.app_token):
            return error(401, "invalid or missing bearer token")
        wrong_type = require_json_content_type(request)
        if wrong_type is not None:
            return wrong_type
        key = idempotency_key(request)
        first = outlet.replay(key)
        if first is not None:
            return replayed(first.response)
        push = validation.json_object(body)
        validation.bilingual(push, "title", max_len=TITLE_MAX_CHARS)
        validation.bilingual(push, "body", max_len=BODY_MAX_CHARS)
        validation.web_url(push, "deep_link")
        validation.string(push, "collapse_key", max_len=COLLAPSE_KEY_MAX_CHARS)
        validation.choice(push, "action", ACTIONS)
        answer = {"notification_id": f"push-{outlet.next_number()}"}
        return accept(
            request,
            outlet,
            key=key,
            payload=push,
            answer=answer,
            receipt_id=answer["notification_id"],
            status=202,
        )

    endpoint = outlet_endpoint(state, OUTLET, receive_push, IDEMPOTENCY_HEADER)
    return [Route("/ministry-app/push", endpoint, methods=["POST"], name="ministry-app-push")]
