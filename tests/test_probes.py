"""Liveness and readiness probes."""

from __future__ import annotations

import httpx
from tortoise import connections
from tortoise.migrations.recorder import MigrationRecorder

from coordhub.db import APP_LABEL
from coordhub.models import Counter


async def test_alive_and_ready_on_a_migrated_database(http: httpx.AsyncClient) -> None:
    assert (await http.get("/healthz")).json() == {"status": "ok"}
    ready = await http.get("/readyz")
    assert ready.status_code == 200 and ready.json() == {"status": "ready"}


async def test_not_ready_while_a_migration_is_pending(http: httpx.AsyncClient) -> None:
    connection = connections.get("default")
    rows = await connection.execute_query_dict("SELECT max(name) AS last FROM tortoise_migrations")
    latest = rows[0]["last"]
    # Tortoise's own recorder writes the placeholders of the dialect (? or $1).
    await MigrationRecorder(connection).record_unapplied(APP_LABEL, latest)
    ready = await http.get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["pending"] == [latest]
    assert await Counter.exists()
