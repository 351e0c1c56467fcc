"""Liveness and readiness probes."""

from __future__ import annotations

import httpx

from coordhub.models import Counter


async def test_alive_and_ready_on_a_migrated_database(http: httpx.AsyncClient) -> None:
    assert (await http.get("/healthz")).json() == {"status": "ok"}
    ready = await http.get("/readyz")
    assert ready.status_code == 200 and ready.json() == {"status": "ready"}


async def test_not_ready_while_a_migration_is_pending(http: httpx.AsyncClient) -> None:
    from tortoise import connections

    connection = connections.get("default")
    rows = await connection.execute_query_dict("SELECT max(name) AS last FROM tortoise_migrations")
    latest = rows[0]["last"]
    await connection.execute_query("DELETE FROM tortoise_migrations WHERE name = ?", [latest])
    ready = await http.get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["pending"] == [latest]
    assert await Counter.exists()
