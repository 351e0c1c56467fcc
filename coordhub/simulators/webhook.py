"""Generic Standard Webhooks receiver: ``POST /webhook``.

Verified with the ``standardwebhooks`` package (``webhook-id``, ``webhook-timestamp`` within
five minutes, ``webhook-signature`` ``v1,<base64>``). Answers 200 ``{"ok": true}``; a repeated
``webhook-id`` is acknowledged the same way without being recorded twice.
"""

from __future__ import annotations

import orjson
from standardwebhooks.webhooks import Webhook, WebhookVerificationError
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from coordhub.simulators.common import PayloadError, accept, error, outlet_endpoint, replayed
from coordhub.simulators.config import SimulatorSecrets
from coordhub.simulators.state import OutletState, SimulatorState

OUTLET = "webhook"
ID_HEADER = "webhook-id"


def routes(state: SimulatorState, secrets: SimulatorSecrets) -> list[Route]:
    """The webhook endpoint, bound to ``state`` and the ``whsec_`` secret."""
    verifier = Webhook(secrets.webhook_secret)

    async def receive_webhook(request: Request, body: bytes, outlet: OutletState) -> Response:
        """Verify, dedupe and record one webhook message."""
        try:
            verifier.verify(body, dict(request.headers), json_parse=False)
        except WebhookVerificationError as exc:
            return error(401, f"webhook verification failed: {exc}")
        except (UnicodeDecodeError, ValueError) as exc:
            return error(401, f"webhook verification failed: malformed signature ({exc})")
        key = request.headers[ID_HEADER]
        first = outlet.replay(key)
        if first is not None:
            return replayed(first.response)
        try:
            payload = orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            raise PayloadError(f"body is not valid JSON: {exc}") from exc
        return accept(
            request,
            outlet,
            key=key,
            payload=payload,
            answer={"ok": True},
            receipt_id=key,
            status=200,
        )

    endpoint = outlet_endpoint(state, OUTLET, receive_webhook, ID_HEADER)
    return [Route("/webhook", endpoint, methods=["POST"], name="webhook")]
