"""Indexed substring search (coordhub.workflow.search, migration 0008).

The index changes how matching claims are found, never which: every needle finds exactly the
claims whose ``search_text`` contains it, with and without the index, on SQLite (FTS5 trigram
table) and PostgreSQL (pg_trgm GIN index); and PostgreSQL's plan for the statement Tortoise
sends uses the index.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from tortoise import connections
from tortoise.expressions import Q

from coordhub.db import count_statements, migrate
from coordhub.models import Claim, ClaimStatus
from coordhub.settings import Settings
from coordhub.workflow.inputs import search_text
from coordhub.workflow.search import COMMON, claims_containing, postgres_literal
from tests.pg import migrated_postgres
from tests.support import open_database

KHMER_PHRASE = "វ៉ាក់សាំងក្លែងក្លាយ"  # "fake vaccine"
TEXTS: list[tuple[str, str, str]] = [
    (f"មានការអះអាងថា{KHMER_PHRASE}អាចព្យាបាលជំងឺមហារីកបាន", "Fake VACCINES cure cancer", "health"),
    ("ទឹកជំនន់ទន្លេមេគង្គនៅខេត្តកំពត", "The Mekong floods in Kampot", "water"),
    ("ពន្ធលើម៉ូតូនឹងឡើងថ្លៃទ្វេដង", "The motorbike tax will double: 100% sure", "economy"),
    ("ក្រដាសប្រាក់រៀលថ្មី", "new_riel notes are fake", "national-bank"),
    ("ប្រាសាទអង្គរវត្ត", 'It\'s "closed" \\ they say', "tourism"),
    ("សាលារៀនរដ្ឋ", "STRASSE and straße: Ünïcode", "education"),
    (
        # Decomposed (NFD) on the way in: search_text stores NFC.
        unicodedata.normalize("NFD", "Café ក្រសួងសុខាភិបាល"),
        "Health ministry café",
        "health",
    ),
    ("ផ្លូវជាតិលេខ៤", "National Road 4\nnew lane", "public-works"),
]
NEEDLES = [
    KHMER_PHRASE,
    "ក្លែង",  # inside the phrase
    "វ៉ា",  # three characters
    "ក្",  # two characters: no trigram, the scan decides
    "ក",  # one character
    "x",
    "fake",
    "FAKE vaccines",
    "cure",
    "100%",
    "%",
    "_",
    "new_riel",
    "w_riel",
    "\\",
    "'",
    '"closed"',
    "it's",
    "strasse",  # "straße" folds to "strasse"
    "STRAẞE",
    "ünï",
    unicodedata.normalize("NFD", "café"),
    "ក្រសួងសុខាភិបាល",
    "4\nnew",
    "road 4 ",
    "not anywhere at all",
    "ផ្លូវជាតិលេខ៤ x",
]


def expected(needle: str, rows: list[tuple[int, str]]) -> list[int]:
    wanted = search_text(needle.strip())
    return sorted((pk for pk, text in rows if wanted in text), reverse=True)


async def create_claims(copies: int = 1) -> list[tuple[int, str]]:
    """The claims of ``TEXTS`` (``copies`` times, other summaries filling in); (id, text)."""
    now = datetime.now(UTC)
    rows = []
    for n in range(copies):
        for km, en, topic in TEXTS if n == 0 else [(f"ផ្សេង {n}", f"other claim {n}", "misc")]:
            rows.append(
                Claim(
                    id=len(rows) + 1,
                    summary_km=km,
                    summary_en=en,
                    topic=topic,
                    status=ClaimStatus.REPORTED,
                    first_seen_at=now,
                    public=True,
                    search_text=search_text(km, en, topic),
                )
            )
    await Claim.bulk_create(rows, batch_size=1000)
    return [(pk, text) for pk, text in await Claim.all().values_list("id", "search_text")]


async def found(needle: str) -> list[int]:
    query = Claim.filter(Q(public=True) & claims_containing(needle)).order_by("-id")
    return list(await query.values_list("id", flat=True))


async def scanned(needle: str) -> list[int]:
    """The filter as it was before the index: Tortoise's ``contains``."""
    query = Claim.filter(public=True, search_text__contains=search_text(needle.strip()))
    return list(await query.order_by("-id").values_list("id", flat=True))


@asynccontextmanager
async def sqlite_database(tmp_path: Path) -> AsyncIterator[None]:
    settings = Settings(database_url=f"sqlite://{tmp_path / 'search.db'}")
    await migrate(settings)
    async with open_database(settings):
        yield


@asynccontextmanager
async def postgres_database() -> AsyncIterator[None]:
    async with migrated_postgres() as url, open_database(Settings(database_url=url)):
        yield


@pytest.mark.sqlite_only
async def test_sqlite_finds_exactly_the_claims_containing_each_needle(tmp_path: Path) -> None:
    async with sqlite_database(tmp_path):
        # Enough claims that "other claim" has more candidates than COMMON (walked) while
        # "other claim 11" has fewer (read from the trigram table).
        rows = await create_claims(copies=COMMON + 200)
        assert sum("other claim" in text for _, text in rows) > COMMON
        for needle in [*NEEDLES, "other claim", "other claim 11", "claim 1"]:
            assert await found(needle) == expected(needle, rows), needle
            assert await scanned(needle) == expected(needle, rows), needle


@pytest.mark.sqlite_only
async def test_sqlite_trigram_table_follows_inserts_updates_and_deletes(tmp_path: Path) -> None:
    async with sqlite_database(tmp_path):
        await create_claims()
        claim = await Claim.get(topic="water")
        assert await found("mekong") == [claim.id]
        claim.summary_en = "The Tonle Sap floods"
        claim.search_text = search_text(claim.summary_km, claim.summary_en, claim.topic)
        await claim.save()
        assert await found("mekong") == []
        assert await found("tonle sap") == [claim.id]
        await claim.save()  # unchanged text: the table stays as it is
        assert await found("tonle sap") == [claim.id]
        await claim.delete()
        assert await found("tonle sap") == []
        client = connections.get("default")
        integrity = "INSERT INTO claim_search(claim_search, rank) VALUES ('integrity-check', 1)"
        await client.execute_script(integrity)  # raises if the index and claim disagree


@pytest.mark.sqlite_only
async def test_sqlite_statement_narrows_with_the_trigram_table_from_three_characters(
    tmp_path: Path,
) -> None:
    async with sqlite_database(tmp_path):
        with statements() as sent:
            await found("fake")
            await found("fa")
        assert "claim_search" in sent[0][0] and "MATCH" in sent[0][0]
        assert "claim_search" not in sent[1][0]


@pytest.mark.postgres_only
async def test_postgres_finds_the_claims_containing_each_needle_with_or_without_index() -> None:
    async with postgres_database():
        rows = await create_claims()
        client = connections.get("default")
        with_index = {needle: await found(needle) for needle in NEEDLES}
        await client.execute_script("DROP INDEX claim_search_trgm")
        for needle in NEEDLES:
            assert with_index[needle] == expected(needle, rows), needle
            assert await found(needle) == with_index[needle], needle
            assert await scanned(needle) == with_index[needle], needle


@pytest.mark.postgres_only
async def test_postgres_plan_for_the_statement_tortoise_sends_uses_the_trigram_index() -> None:
    async with postgres_database():
        await create_claims()
        client = connections.get("default")
        # Enough other claims that reading the table is no longer the cheapest plan. Set-up,
        # not a request: not held to the requests' statement timeout (the claim table's
        # trigram indexes made this load take over 15 s on a busy 2-core machine).
        await client.execute_script(
            "SET statement_timeout = 0;"
            " SELECT setval(pg_get_serial_sequence('claim', 'id'), (SELECT max(id) FROM claim));"
            " INSERT INTO claim (summary_km, summary_en, topic, status, priority, first_seen_at,"
            " public, search_text, similar_km, similar_en, created_at, updated_at)"
            " SELECT 'ផ្សេង', 'other claim ' || n, 'misc', 'REPORTED', 'NORMAL', now(), true,"
            " 'ផ្សេង' || chr(10) || 'other claim ' || n || chr(10) || 'misc',"
            " 'ផសេង', 'other claim ' || n, now(), now()"
            " FROM generate_series(1, 50000) AS n;"
            " RESET statement_timeout;"
        )
        # As autovacuum would: statistics, and the GIN pending list merged into the index.
        await client.execute_script("VACUUM ANALYZE claim")
        for needle in (KHMER_PHRASE, "not anywhere at all"):
            with statements() as sent:
                page = Claim.filter(Q(public=True) & claims_containing(needle))
                await page.order_by("-id").limit(21).values_list("id", flat=True)
            [(sql, values)] = sent
            # The pattern is in the statement itself, so no plan is made without seeing it.
            assert postgres_literal(f"%{search_text(needle)}%") in sql
            plan = await client.execute_query_dict(f"EXPLAIN (FORMAT JSON) {sql}", values)
            text = json.dumps(plan, ensure_ascii=False)
            assert "claim_search_trgm" in text, text


def test_postgres_literal_is_safe_for_quotes_and_backslashes() -> None:
    assert postgres_literal("it's") == "E'it''s'"
    assert postgres_literal("a\\' OR 1=1 --") == "E'a\\\\'' OR 1=1 --'"
    with pytest.raises(ValueError):
        postgres_literal("nul\x00")


@pytest.mark.postgres_only
async def test_a_needle_with_nul_finds_nothing_on_postgres() -> None:
    async with postgres_database():
        await create_claims()
        assert await found("fake\x00") == []


@contextmanager
def statements() -> Iterator[list[tuple[str, Any]]]:
    """The SELECT statements Tortoise sends in the block, with their parameters."""
    with count_statements() as counter:
        yield counter.sent
    counter.sent[:] = [(sql, args) for sql, args in counter.sent if _is_select(sql)]


def _is_select(sql: str) -> bool:
    return sql.lstrip().upper().startswith("SELECT")
