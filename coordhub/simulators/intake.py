"""The intake the JSON outlets share: authenticate, require JSON, dedupe, validate, record.

AKP, TVK and the ministry app differ only in how a request proves its sender, what a valid
payload is and what they answer; ``json_intake`` is everything else, in the same order for all.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

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
from coordhub.simulators.state import OutletState, SimulatorState

Authenticate = Callable[[Request, bytes], str | None]
"""Why a request (headers and raw body) is refused as unauthenticated, or None to let it in."""

Judge = Callable[[dict[str, Any], OutletState], dict[str, Any]]
"""Validates a payload (raising ``PayloadError``) and gives the outlet's answer to it."""


def bearer_token(token: str) -> Authenticate:
    """Let in requests carrying ``Authorization: Bearer <token>``."""

    def authenticate(request: Request, body: bytes) -> str | None:
        """None if the bearer token matches."""
        return None if bearer_ok(request, token) else "invalid or missing bearer token"

    return authenticate


def json_intake(
    state: SimulatorState,
    outlet: str,
    authenticate: Authenticate,
    judge: Judge,
    *,
    receipt_field: str,
    status: int,
) -> Callable[[Request], Awaitable[Response]]:
    """The endpoint of a JSON outlet: the answer to an accepted payload has status ``status``
    and the outlet's id for it under ``receipt_field``; a duplicate gets that answer again."""

    async def receive(request: Request, body: bytes, outlet_state: OutletState) -> Response:
        """Authenticate, dedupe, validate and record one payload."""
        refusal = authenticate(request, body)
        if refusal is not None:
            return error(401, refusal)
        wrong_type = require_json_content_type(request)
        if wrong_type is not None:
            return wrong_type
        key = idempotency_key(request)
        first = outlet_state.replay(key)
        if first is not None:
            return replayed(first.response)
        payload = validation.json_object(body)
        answer = judge(payload, outlet_state)
        return accept(
            request,
            outlet_state,
            key=key,
            payload=payload,
            answer=answer,
            receipt_id=str(answer[receipt_field]),
            status=status,
        )

    return outlet_endpoint(state, outlet, receive, IDEMPOTENCY_HEADER)
