"""Ministry app backend: ``POST /ministry-app/push`` queues a bilingual push notification.

Bearer-token auth. Body: ``title`` and ``body`` as ``{"km", "en"}`` (at most 80 and 240
characters per language), an https ``deep_link``, a ``collapse_key`` and an ``action``.
Answers 202 ``{"notification_id": "push-<n>"}``; a duplicate answers 200 with the same id.
"""

from __future__ import annotations

from typing import Any

from starlette.routing import Route

from coordhub.simulators import validation
from coordhub.simulators.config import SimulatorSecrets
from coordhub.simulators.intake import bearer_token, json_intake
from coordhub.simulators.state import OutletState, SimulatorState

OUTLET = "ministry-app"
ACTIONS = frozenset({"PUBLISH", "UPDATE", "RETRACT"})
TITLE_MAX_CHARS = 80
BODY_MAX_CHARS = 240
COLLAPSE_KEY_MAX_CHARS = 128


def judge_push(push: dict[str, Any], outlet: OutletState) -> dict[str, Any]:
    """Validate one push request; the answer numbers the notification."""
    validation.bilingual(push, "title", max_len=TITLE_MAX_CHARS)
    validation.bilingual(push, "body", max_len=BODY_MAX_CHARS)
    validation.web_url(push, "deep_link")
    validation.string(push, "collapse_key", max_len=COLLAPSE_KEY_MAX_CHARS)
    validation.choice(push, "action", ACTIONS)
    return {"notification_id": f"push-{outlet.next_number()}"}


def routes(state: SimulatorState, secrets: SimulatorSecrets) -> list[Route]:
    """The push endpoint, bound to ``state`` and the app token."""
    auth = bearer_token(secrets.app_token)
    endpoint = json_intake(
        state, OUTLET, auth, judge_push, receipt_field="notification_id", status=202
    )
    return [Route("/ministry-app/push", endpoint, methods=["POST"], name="ministry-app-push")]
