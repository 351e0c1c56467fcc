"""What orchestrators, load balancers and monitoring poll: liveness, readiness, metrics.

``/healthz`` and ``/readyz`` are open: they say nothing but up or not. ``/metrics`` tells how
the hub is used (operations by name, queue depths per outlet), so ``MetricsAccess`` guards it:
with ``Settings.metrics_token`` set, a scraper must send ``Authorization: Bearer <token>``
(compared in constant time; a wrong or missing one is a 401, counted as a failed sign-in by
the lockout); without a token, production refuses it (403) and development serves it.
"""

from __future__ import annotations

import asyncio
import hmac

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send
from tortoise import connections

from coordhub.db import pending_migrations
from coordhub.metrics import refresh_stored_state
from coordhub.settings import Settings


async def healthz(request: Request) -> Response:
    """The process is alive (no dependency is checked)."""
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> Response:
    """Ready for traffic: the database answers and every migration is applied."""
    settings: Settings = request.app.state.settings
    try:
        async with asyncio.timeout(3):
            await connections.get("default").execute_query("SELECT 1")
            pending = await pending_migrations(settings)
    except Exception as exc:
        reason = f"database unreachable: {type(exc).__name__}"
        return JSONResponse({"status": "unavailable", "reason": reason}, status_code=503)
    if pending:
        body = {"status": "unavailable", "reason": "migrations pending", "pending": pending}
        return JSONResponse(body, status_code=503)
    return JSONResponse({"status": "ready"})


async def metrics(request: Request) -> Response:
    """The Prometheus exposition of this process."""
    tail = getattr(request.app.state, "tail", None)
    await refresh_stored_state(len(tail.subscribers) if tail is not None else 0)
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


METRICS_PATH = "/metrics"
NO_METRICS_TOKEN = (
    "/metrics needs a token in production: set COORDHUB_METRICS_TOKEN and have the scraper "
    "send it as `Authorization: Bearer <token>`."
)


def metrics_refusal(settings: Settings, authorization: str | None) -> Response | None:
    """Why a request for ``/metrics`` with this ``Authorization`` header is refused, if it is."""
    if settings.metrics_token is None:
        if settings.environment == "development":
            return None
        return JSONResponse({"error": NO_METRICS_TOKEN}, status_code=403)
    scheme, _, given = (authorization or "").partition(" ")
    expected = settings.metrics_token.get_secret_value().encode()
    if scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), expected):
        return None
    return JSONResponse(
        {"error": "/metrics needs the metrics token: `Authorization: Bearer <token>`."},
        status_code=401,
        headers={"www-authenticate": 'Bearer realm="metrics"'},
    )


class MetricsAccess:
    """Guards ``/metrics`` (see the module's docstring). It sits before the token backend: the
    metrics token is no account's token, so an admitted request goes on without its
    ``Authorization`` header, as a public one."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") != METRICS_PATH:
            await self.app(scope, receive, send)
            return
        refusal = metrics_refusal(self.settings, Headers(scope=scope).get("authorization"))
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        headers = [(k, v) for k, v in scope["headers"] if k != b"authorization"]
        await self.app({**scope, "headers": headers}, receive, send)
