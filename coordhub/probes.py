"""Liveness and readiness probes for orchestrators and load balancers."""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from tortoise import connections
from tortoise.migrations.executor import MigrationExecutor

from coordhub.db import APP_LABEL, tortoise_config
from coordhub.settings import Settings


async def healthz(request: Request) -> Response:
    """The process is alive (no dependency is checked)."""
    return JSONResponse({"status": "ok"})


async def pending_migrations(settings: Settings) -> list[str]:
    """Names of migrations the database has not applied yet."""
    apps = {APP_LABEL: tortoise_config(settings)["apps"][APP_LABEL]}
    plan = await MigrationExecutor(connections.get("default"), apps).plan()
    return [step.migration.name for step in plan if not step.backward]


class SchemaMissing(RuntimeError):
    """The database was never migrated: servers and workers do not start on it."""


async def require_schema(settings: Settings) -> None:
    """Refuse to start on a database that ``coordhub migrate`` never ran on. (With only some
    migrations pending, a process starts and ``/readyz`` answers 503 until they are applied.)"""
    pending = await pending_migrations(settings)
    if any(name.startswith("0001_") for name in pending):
        raise SchemaMissing(
            "The database has no coordhub tables yet: run `coordhub migrate` with the same "
            "COORDHUB_DATABASE_URL, then start again."
        )


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
