"""The `coordhub` command: migrate, demo, tokens, schema export."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from coordhub.cli import app

runner = CliRunner()


@pytest.fixture
def env(empty_database_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """An empty database (SQLite or PostgreSQL, as the run says) brought up by ``migrate``."""
    monkeypatch.setenv("COORDHUB_DATABASE_URL", empty_database_url)
    result = runner.invoke(app, ["migrate"])
    assert result.exit_code == 0, result.output
    return empty_database_url


@pytest.mark.parametrize("command", ["serve", "worker"])
def test_servers_and_workers_refuse_a_database_never_migrated(
    command: str, empty_database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COORDHUB_DATABASE_URL", empty_database_url)
    result = runner.invoke(app, [command])
    assert result.exit_code == 2, result.output
    assert "run `coordhub migrate`" in " ".join(result.output.split())


def test_demo_loads_once_and_prints_a_token_per_role(env: str) -> None:
    first = runner.invoke(app, ["demo"])
    assert first.exit_code == 0, first.output
    roles = {line.split()[0].split("@")[0] for line in first.output.splitlines() if "chub_" in line}
    assert roles == {"COORDINATOR", "EDITOR", "APPROVER", "REPORTER", "OBSERVER", "SERVICE"}

    again = runner.invoke(app, ["demo"])
    assert again.exit_code == 0
    assert "already has data" in again.output
    assert "chub_" not in again.output


def test_token_create_list_revoke(env: str) -> None:
    runner.invoke(app, ["demo"])
    created = runner.invoke(
        app, ["token", "create", "--role", "editor", "--institution", "health", "--name", "Desk"]
    )
    assert created.exit_code == 0, created.output
    secret = created.output.strip().splitlines()[-1]
    assert secret.startswith("chub_") and len(secret) > 40

    listed = runner.invoke(app, ["token", "list"], terminal_width=200)
    assert "Desk" in listed.output
    assert secret not in listed.output  # never shown again

    token_id = next(
        line.split()[1] for line in listed.output.splitlines() if "Desk" in line and "│" in line
    )
    revoked = runner.invoke(app, ["token", "revoke", token_id])
    assert revoked.exit_code == 0, revoked.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "editor", "--name", "Desk"], "pass --institution"),
        (["--role", "editor", "--institution", "nowhere", "--name", "Desk"], "NOT_FOUND"),
        (["--role", "reporter", "--name", "  "], "name"),
    ],
)
def test_token_create_explains_bad_input(env: str, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["token", "create", *args])
    assert result.exit_code == 1
    assert message in result.output


def test_revoking_an_unknown_token_is_explained(env: str) -> None:
    result = runner.invoke(app, ["token", "revoke", "999"])
    assert result.exit_code == 1
    assert "NOT_FOUND" in result.output


def test_export_schema_prints_the_sdl() -> None:
    result = runner.invoke(app, ["export-schema"])
    assert result.exit_code == 0
    assert "type Query" in result.output


def test_institutions_can_be_registered_without_demo_data(env: str) -> None:
    imported = runner.invoke(app, ["institutions", "import-working-group"])
    assert imported.exit_code == 0, imported.output
    again = runner.invoke(app, ["institutions", "import-working-group"])
    assert "Registered 0 institutions" in again.output
    added = runner.invoke(
        app,
        ["institutions", "add", "--slug", "new-body", "--name-km", "ស្ថាប័នថ្មី", "--name-en", "New"],
    )
    assert added.exit_code == 0, added.output
    duplicate = runner.invoke(
        app, ["institutions", "add", "--slug", "new-body", "--name-km", "x", "--name-en", "y"]
    )
    assert duplicate.exit_code == 1 and "CONFLICT" in duplicate.output
    listed = runner.invoke(app, ["institutions", "list"], terminal_width=200)
    assert "new-body" in listed.output and "moi" in listed.output
    demo = runner.invoke(app, ["demo"])  # keeps registered institutions, adds the rest
    assert demo.exit_code == 0 and "chub_" in demo.output


def test_connectors_list_shows_plugins_and_configuration(
    env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(
        "COORDHUB_CONNECTORS", '{"akp": {"endpoint": "http://127.0.0.1:9/x", "token": "t"}}'
    )
    result = runner.invoke(app, ["connectors", "list", "--no-health"], terminal_width=250)
    assert result.exit_code == 0, result.output
    rows = {line.split("│")[1].strip(): line for line in result.output.splitlines() if "│" in line}
    assert "coordhub-akp" in rows["akp"] and "yes" in rows["akp"]
    assert "no:" in rows["tvk"]  # not configured, with the fix in the message
    assert "t" not in rows["akp"].split("│")[4]  # the token is never shown


def test_deliveries_retry_requeues_failures_since_a_time(env: str) -> None:
    import asyncio
    from datetime import UTC, datetime

    from coordhub.db import database
    from coordhub.models import Delivery, DeliveryStatus
    from coordhub.settings import Settings

    runner.invoke(app, ["demo"])

    async def fail_all() -> int:
        async with database(Settings(), global_fallback=False):
            return await Delivery.filter(connector="akp").update(
                status=DeliveryStatus.FAILED, last_error="HTTP 503"
            )

    failed = asyncio.run(fail_all())
    since = datetime.now(UTC).replace(year=2020).strftime("%Y-%m-%dT%H:%M:%S")
    result = runner.invoke(app, ["deliveries", "retry", "--connector", "akp", "--since", since])
    assert result.exit_code == 0, result.output
    # The demo's corrected and retracted rebuttals leave superseded or pointless ones skipped.
    assert f"of {failed} failed deliveries to akp" in result.output


@pytest.mark.sqlite_only
def test_several_api_processes_on_sqlite_with_embedded_workers_are_refused(env: str) -> None:
    result = runner.invoke(app, ["serve", "--workers", "2"])
    assert result.exit_code == 2
    assert "COORDHUB_EMBEDDED_WORKER=false" in result.output
