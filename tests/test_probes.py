"""Liveness and readiness probes, and who may read the metrics."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from pydantic import SecretStr, ValidationError
from tortoise import connections
from tortoise.migrations.recorder import MigrationRecorder

from coordhub.app import create_app
from coordhub.db import APP_LABEL
from coordhub.models import Counter
from coordhub.settings import Settings
from tests.support import World


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


SCRAPE_TOKEN = "scrape-token-of-the-tests"


@asynccontextmanager
async def client(settings: Settings, **changes: Any) -> AsyncIterator[httpx.AsyncClient]:
    """A client of an app with ``changes`` made to the settings (the database already open)."""
    app = create_app(settings.model_copy(update=changes), manage_database=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://coordhub.test") as http:
        yield http


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


async def test_metrics_are_refused_in_production_without_a_token(
    settings: Settings, world: World
) -> None:
    assert settings.environment == "production" and settings.metrics_token is None
    async with client(settings) as http:
        refused = await http.get("/metrics")
        # An account's token, even a coordinator's, is no metrics token.
        with_account = await http.get("/metrics", headers=bearer(world.tokens["coordinator"]))
    assert refused.status_code == 403
    assert "COORDHUB_METRICS_TOKEN" in refused.json()["error"]
    assert with_account.status_code == 403


async def test_metrics_are_open_in_development_without_a_token(
    settings: Settings, db: None
) -> None:
    async with client(settings, environment="development") as http:
        response = await http.get("/metrics")
    assert response.status_code == 200
    assert "coordhub_graphql_requests_total" in response.text


@pytest.mark.parametrize("environment", ["production", "development"])
async def test_metrics_need_the_token_once_one_is_set(
    settings: Settings, world: World, environment: str
) -> None:
    token = SecretStr(SCRAPE_TOKEN)
    async with client(settings, environment=environment, metrics_token=token) as http:
        scraped = await http.get("/metrics", headers=bearer(SCRAPE_TOKEN))
        lower_case_scheme = await http.get(
            "/metrics", headers={"authorization": f"bearer {SCRAPE_TOKEN}"}
        )
        missing = await http.get("/metrics")
        wrong = await http.get("/metrics", headers=bearer(SCRAPE_TOKEN + "x"))
        prefix = await http.get("/metrics", headers=bearer(SCRAPE_TOKEN[:-1]))
        basic = await http.get("/metrics", headers={"authorization": f"Basic {SCRAPE_TOKEN}"})
        account = await http.get("/metrics", headers=bearer(world.tokens["coordinator"]))
        # The metrics token opens /metrics only: to the API it is an unknown token.
        api = await http.post(
            "/graphql", json={"query": "{ viewer { name } }"}, headers=bearer(SCRAPE_TOKEN)
        )
    assert scraped.status_code == 200 and lower_case_scheme.status_code == 200
    assert "coordhub_graphql_requests_total" in scraped.text
    assert scraped.headers["content-type"].startswith("text/plain")
    for response in (missing, wrong, prefix, basic, account):
        assert response.status_code == 401, response.text
        assert response.headers["www-authenticate"].startswith("Bearer")
    assert api.status_code == 401


async def test_wrong_metrics_tokens_count_as_failed_sign_ins(settings: Settings, db: None) -> None:
    token = SecretStr(SCRAPE_TOKEN)
    async with client(settings, metrics_token=token, rate_limit_auth_failures="3/minute") as http:
        answers = [
            (await http.get("/metrics", headers=bearer(f"guess-{n}"))).status_code for n in range(4)
        ]
    assert answers == [401, 401, 401, 429]


def test_a_short_metrics_token_is_refused() -> None:
    with pytest.raises(ValidationError):
        Settings(metrics_token="")
    with pytest.raises(ValidationError):
        Settings(metrics_token="short")
