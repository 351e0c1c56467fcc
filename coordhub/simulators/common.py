"""Plumbing shared by the simulated outlets: JSON answers, failure modes, body reading."""

from __future__ import annotations

import asyncio
import hmac
from collections.abc import Awaitable, Callable
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from coordhub.simulators.state import Mode, ModeSetting, OutletState, SimulatorState

MAX_BODY_BYTES = 1024 * 1024
"""Largest request body an outlet accepts (413 above)."""

SECRET_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "x-tvk-signature", "webhook-signature"}
)
"""Headers never recorded, since they carry or derive from a secret."""

IDEMPOTENCY_HEADER = "idempotency-key"

OutletHandler = Callable[[Request, bytes, OutletState], Awaitable[Response]]
"""Handles a POST that the outlet's mode let through, given its raw body."""


class ORJSONResponse(JSONResponse):
    """A JSON response rendered by orjson (UTF-8, Khmer left unescaped)."""

    def render(self, content: Any) -> bytes:
        """Serialise ``content`` with orjson."""
        return orjson.dumps(content)


class PayloadError(ValueError):
    """A request that is well-authenticated but malformed (answered 422)."""


def error(status: int, message: str, headers: dict[str, str] | None = None) -> ORJSONResponse:
    """An ``{"error": message}`` answer."""
    return ORJSONResponse({"error": message}, status_code=status, headers=headers)


def mode_response(setting: ModeSetting) -> Response | None:
    """The canned answer of a failure mode, or None for ``ok`` and ``slow``."""
    match setting.mode:
        case Mode.DOWN:
            return error(503, "outlet down (simulated)")
        case Mode.ERROR:
            return error(500, "internal error (simulated)")
        case Mode.THROTTLE:
            headers = {"Retry-After": str(setting.retry_after)}
            return error(429, "too many requests (simulated)", headers)
        case Mode.GONE:
            return error(410, "endpoint gone (simulated)")
        case Mode.REJECT:
            return error(400, "rejected by simulator")
        case _:
            return None


async def read_body(request: Request, limit: int = MAX_BODY_BYTES) -> bytes | None:
    """The raw body, or None when it is larger than ``limit`` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        return None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def outlet_endpoint(
    state: SimulatorState, outlet: str, handler: OutletHandler, key_header: str
) -> Callable[[Request], Awaitable[Response]]:
    """Wrap ``handler`` with attempt counting, the outlet's mode and the body size limit."""

    async def endpoint(request: Request) -> Response:
        """Count the POST, apply the mode, then let the outlet's handler judge it."""
        outlet_state = state[outlet]
        outlet_state.note_attempt(request.headers.get(key_header))
        setting = outlet_state.take_mode()
        canned = mode_response(setting)
        if canned is not None:
            return canned
        if setting.mode is Mode.SLOW:
            await asyncio.sleep(setting.delay)
            outlet_state = state[outlet]  # a reset may have happened while asleep
        body = await read_body(request)
        if body is None:
            return error(413, f"body larger than {MAX_BODY_BYTES} bytes")
        try:
            return await handler(request, body, outlet_state)
        except PayloadError as exc:
            return error(422, str(exc))

    return endpoint


def bearer_ok(request: Request, token: str) -> bool:
    """Whether the request carries ``Authorization: Bearer <token>`` (constant-time)."""
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode(), token.encode())


def recorded_headers(request: Request) -> dict[str, str]:
    """The request headers worth recording: lower-cased names, secrets left out."""
    headers: dict[str, str] = {}
    for name, value in request.headers.items():
        if name in SECRET_HEADERS:
            continue
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    return headers


def idempotency_key(request: Request, header: str = IDEMPOTENCY_HEADER) -> str:
    """The request's idempotency key; a missing or blank one is a :class:`PayloadError`."""
    key = request.headers.get(header, "").strip()
    if not key:
        raise PayloadError(f"missing {header} header")
    if len(key) > 255:
        raise PayloadError(f"{header} longer than 255 characters")
    return key


def replayed(status_body: dict[str, Any]) -> ORJSONResponse:
    """The 200 answer to a duplicate: the first answer's body, flagged as a replay."""
    return ORJSONResponse(status_body, status_code=200, headers={"Idempotent-Replayed": "true"})


def require_json_content_type(request: Request) -> Response | None:
    """A 415 answer unless the body is declared as JSON."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type == "application/json" or (
        media_type.startswith("application/") and media_type.endswith("+json")
    ):
        return None
    return error(415, "Content-Type must be application/json")


def accept(
    request: Request,
    outlet: OutletState,
    *,
    key: str,
    payload: Any,
    answer: dict[str, Any],
    receipt_id: str,
    status: int,
) -> ORJSONResponse:
    """Record an accepted delivery under its idempotency key and answer with ``answer``."""
    outlet.record(
        id=receipt_id,
        key=key,
        payload=payload,
        headers=recorded_headers(request),
        status=status,
        response=answer,
    )
    return ORJSONResponse(answer, status_code=status)
