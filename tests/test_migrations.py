"""The committed migrations match the models, and apply cleanly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tortoise.context import TortoiseContext
from tortoise.migrations.autodetector import MigrationAutodetector

from coordhub.db import tortoise_config


async def test_models_have_no_changes_without_a_migration(tmp_path: Path) -> None:
    config = tortoise_config(f"sqlite://{tmp_path / 'x.db'}")
    async with TortoiseContext() as ctx:
        await ctx.init(config=config)
        assert ctx.apps is not None
        writers = await MigrationAutodetector(ctx.apps, config["apps"]).changes()
    pending = [operation for writer in writers for operation in writer.operations]
    assert pending == [], (
        "Models changed without a migration: run "
        "`.venv/bin/tortoise -c coordhub.db.TORTOISE_ORM makemigrations` and commit it."
    )


async def roll_back_and_forward(url: str) -> None:
    """Migrate ``url`` back to before 0008 (indexed search), then forward again."""
    from tortoise.migrations.api.migrate import migrate as migrate_api

    for target in ("models.0007_institution_added_event", None):
        async with TortoiseContext():
            await migrate_api(config=tortoise_config(url), target=target)


async def test_text_search_migration_reverses_and_reapplies_on_sqlite(tmp_path: Path) -> None:
    from coordhub.db import migrate
    from coordhub.settings import Settings

    url = f"sqlite://{tmp_path / 'x.db'}"
    await migrate(Settings(database_url=url))
    await roll_back_and_forward(url)
    async with TortoiseContext() as ctx:
        await ctx.init(config=tortoise_config(url))
        rows = await ctx.connections.get("default").execute_query_dict(
            "SELECT name FROM sqlite_master WHERE name LIKE 'claim_search%' ORDER BY name"
        )
    assert {row["name"] for row in rows} >= {
        "claim_search",
        "claim_search_insert",
        "claim_search_update",
        "claim_search_delete",
    }


@pytest.mark.postgres_only
async def test_text_search_migration_reverses_and_reapplies_on_postgres() -> None:
    from tests.pg import migrated_postgres

    async with migrated_postgres() as url:
        await roll_back_and_forward(url)
        async with TortoiseContext() as ctx:
            await ctx.init(config=tortoise_config(url))
            rows = await ctx.connections.get("default").execute_query_dict(
                "SELECT indisvalid FROM pg_index WHERE indexrelid = 'claim_search_trgm'::regclass"
            )
    assert rows == [{"indisvalid": True}]


@pytest.mark.postgres_only
async def test_migrate_is_not_bound_by_the_api_statement_timeout() -> None:
    """A migration may take longer than any request: `coordhub migrate` lifts the timeout."""
    from coordhub.db import migrate
    from coordhub.settings import Settings
    from tests.pg import temporary_database

    async with temporary_database() as url:
        settings = Settings(database_url=url, db_statement_timeout_ms=1)
        await migrate(settings)  # with a 1 ms timeout in force, building the indexes fails


#: A rebuttal retracted and one with a working copy, as a database at 0019 held them: one text
#: each, in whichever language it was written.
AT_0019 = [
    "INSERT INTO institution (id, slug, name_km, name_en, kind, created_at) VALUES"
    " (1, 'health', 'ក្រសួងសុខាភិបាល', 'Ministry of Health', 'MINISTRY', '2026-01-01 00:00:00+00')",
    "INSERT INTO claim (id, summary_km, summary_en, topic, status, priority, first_seen_at,"
    " public, search_text, created_at, updated_at) VALUES (1, 'ក', 'A claim', 'health',"
    " 'IN_PROGRESS', 'NORMAL', '2026-01-01 00:00:00+00', true, 'x', '2026-01-01 00:00:00+00',"
    " '2026-01-01 00:00:00+00')",
    "INSERT INTO rebuttal (id, claim_id, institution_id, status, verdict, headline_km,"
    " headline_en, body_km, body_en, evidence, channels, draft_authors, live_revision,"
    " published_at, retracted_at, retraction_reason, created_at, updated_at) VALUES"
    " (1, 1, 1, 'RETRACTED', 'FALSE', 'ក', 'h', 'ខ', 'b', '[]', '[]', '[]', 1,"
    " '2026-01-02 00:00:00+00', '2026-01-03 00:00:00+00', 'The study was misread.',"
    " '2026-01-01 00:00:00+00', '2026-01-03 00:00:00+00'),"
    " (2, 1, 1, 'DRAFT', 'FALSE', 'ក', 'h', 'ខ', 'b',"
    ' \'[{"url": "https://who.example/a", "title": "ប្រភព", "note": "Safety"},'
    ' {"url": "https://who.example/b", "title": "No note"}]\','
    " '[]', '[]', NULL, NULL, NULL, NULL, '2026-01-01 00:00:00+00', '2026-01-01 00:00:00+00')",
    "INSERT INTO rebuttal_revision (id, rebuttal_id, number, verdict, headline_km, headline_en,"
    " body_km, body_en, channels, published_at) VALUES"
    " (1, 1, 1, 'FALSE', 'ក', 'h', 'ខ', 'b', '[]', '2026-01-02 00:00:00+00')",
    "INSERT INTO evidence (id, revision_id, position, url, title, note) VALUES"
    " (1, 1, 0, 'https://who.example/hpv', 'WHO on HPV vaccines', 'ប្រភពសុវត្ថិភាព')",
]


async def upgrade_from_0019_with_data(url: str) -> dict[str, Any]:
    """Migrate ``url`` to 0019, store ``AT_0019``, migrate to the latest; what it holds."""
    from tortoise.migrations.api.migrate import migrate as migrate_api

    async with TortoiseContext():
        await migrate_api(config=tortoise_config(url), target="models.0019_correction_requests")
    async with TortoiseContext() as ctx:
        await ctx.init(config=tortoise_config(url))
        client = ctx.connections.get("default")
        for statement in AT_0019:
            await client.execute_script(statement)
    async with TortoiseContext():
        await migrate_api(config=tortoise_config(url))
    async with TortoiseContext() as ctx:
        await ctx.init(config=tortoise_config(url))
        from coordhub.models import Evidence, Rebuttal

        return {
            "evidence": await Evidence.all().values("title_km", "title_en", "note_km", "note_en"),
            "reasons": await Rebuttal.filter(id=1).values(
                "retraction_reason_km", "retraction_reason_en"
            ),
            "working_copy": (await Rebuttal.get(id=2)).evidence,
        }


def assert_text_kept_in_both_languages(found: dict[str, Any]) -> None:
    assert found["evidence"] == [
        {
            "title_km": "WHO on HPV vaccines",
            "title_en": "WHO on HPV vaccines",
            "note_km": "ប្រភពសុវត្ថិភាព",
            "note_en": "ប្រភពសុវត្ថិភាព",
        }
    ]
    assert found["reasons"] == [
        {
            "retraction_reason_km": "The study was misread.",
            "retraction_reason_en": "The study was misread.",
        }
    ]
    assert found["working_copy"] == [
        {
            "url": "https://who.example/a",
            "title_km": "ប្រភព",
            "title_en": "ប្រភព",
            "note_km": "Safety",
            "note_en": "Safety",
        },
        {
            "url": "https://who.example/b",
            "title_km": "No note",
            "title_en": "No note",
            "note_km": "",
            "note_en": "",
        },
    ]


async def test_bilingual_evidence_migration_keeps_the_text_on_sqlite(tmp_path: Path) -> None:
    found = await upgrade_from_0019_with_data(f"sqlite://{tmp_path / 'x.db'}")
    assert_text_kept_in_both_languages(found)


@pytest.mark.postgres_only
async def test_bilingual_evidence_migration_keeps_the_text_on_postgres() -> None:
    from tests.pg import temporary_database

    async with temporary_database() as url:
        found = await upgrade_from_0019_with_data(url)
    assert_text_kept_in_both_languages(found)
