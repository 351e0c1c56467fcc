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

    await connections.get("default").execute_query(
        "DELETE FROM tortoise_migrations WHERE name = '0005_token_revoked_event'"
    )
    ready = await http.get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["pending"] == ["0005_token_revoked_event"]
    assert await Counter.exists()
