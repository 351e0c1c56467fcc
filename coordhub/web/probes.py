"""What orchestrators, load balancers and monitoring poll: liveness, readiness, metrics."""

from __future__ import annotations

import asyncio

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
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
