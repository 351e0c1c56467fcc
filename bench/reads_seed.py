"""Seeding for ``bench.reads``: deterministic claims, bulk-inserted through coordhub's models,
into a database that is cached and reused between runs.

SQLite: ``/tmp/coordhub-bench/reads-v<seed version>-<claims>.db``, with a ``.json`` mark beside
it. PostgreSQL: the database ``coordhub_bench_<claims>`` on the server
``COORDHUB_DATABASE_URL`` names, marked in its comment. A mark records the seed version, the
number of claims and the digest of each migration applied. A cached database is reused when
its seed version and size match and every migration it records is unchanged; migrations added
since are then applied to it (as an upgrade would, e.g. building a new index on the data
already there) and the mark is updated. Anything else (``--fresh``, a changed migration, another
seed version) seeds again. The seed is deterministic, so a rebuilt database holds the same rows.

On PostgreSQL the seeded database is ``VACUUM (ANALYZE)``-ed once seeded, so that every run
starts from the same statistics and visibility map instead of depending on when autovacuum ran.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from rich.console import Console

from bench.harness import ROOT
from bench.reads_corpus import (
    BODY_SENTENCES,
    CHANNELS,
    DISMISSAL_NOTES,
    EVIDENCE_SOURCES,
    INSTITUTIONS,
    KHMER_PHRASE,
    OPENERS,
    OUTLETS,
    PHRASE_SHARE,
    PLACES,
    PREDICATES,
    SLA_HOURS,
    SUBJECTS,
    VERDICTS,
    nfc,
)
from coordhub.db import database, migrate
from coordhub.models import (
    Account,
    Appearance,
    Claim,
    ClaimStatus,
    ClaimSupport,
    DismissalReason,
    Evidence,
    Institution,
    Priority,
    Rebuttal,
    RebuttalRevision,
    RebuttalStatus,
    Role,
)
from coordhub.settings import Settings
from coordhub.similarity import normalise
from coordhub.workflow.inputs import search_text

MIGRATIONS = ROOT / "coordhub" / "migrations"
CACHE_DIR = Path(tempfile.gettempdir()) / "coordhub-bench"
#: Bump when the seeded data changes: cached databases of another version are not reused.
SEED_VERSION = 3
SEED = 20251125
BATCH = 1000
BASE_TIME = datetime(2025, 1, 1, tzinfo=UTC)
SPAN = timedelta(days=365)
SEEDED_TABLES = (
    "claim",
    "claim_support",
    "appearance",
    "rebuttal",
    "rebuttal_revision",
    "evidence",
    "account",
    "institution",
)


@dataclass
class Batch:
    """The rows of one chunk of claims, in insertion order (parents before children)."""

    claims: list[Claim] = field(default_factory=list)
    supports: list[ClaimSupport] = field(default_factory=list)
    appearances: list[Appearance] = field(default_factory=list)
    rebuttals: list[Rebuttal] = field(default_factory=list)
    revisions: list[RebuttalRevision] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)

    def lists(self) -> list[list[Any]]:
        return [
            self.claims,
            self.supports,
            self.appearances,
            self.rebuttals,
            self.revisions,
            self.evidence,
        ]


class Seeder:
    """Deterministic rows for ``count`` claims, with explicit primary keys (for bulk inserts).

    About 45% of claims are REBUTTED by a published rebuttal of their lead institution (1-2
    revisions, 1-3 evidence items each; a few with a correction under way, a few with a second
    rebuttal by a supporting institution), 2% were rebutted and the rebuttal retracted (back to
    IN_PROGRESS, still public), 8% DISMISSED (public), the rest REPORTED, TRIAGED or
    IN_PROGRESS with an unpublished working copy (not public).
    """

    def __init__(self, count: int) -> None:
        self.count = count
        self.rng = random.Random(SEED)
        self.ids = {"support": 0, "appearance": 0, "rebuttal": 0, "revision": 0, "evidence": 0}
        # Institution i has id i + 1; accounts: an editor and an approver per institution.
        self.weights = [
            0 if slug == "moi" else 5 if slug == "health" else 1 for slug, *_ in INSTITUTIONS
        ]

    def next_id(self, kind: str) -> int:
        self.ids[kind] += 1
        return self.ids[kind]

    @staticmethod
    def editor(institution_id: int) -> int:
        return 2 * institution_id - 1

    @staticmethod
    def approver(institution_id: int) -> int:
        return 2 * institution_id

    @property
    def reporters(self) -> list[int]:
        return [2 * len(INSTITUTIONS) + k for k in (1, 2, 3)]

    def accounts(self) -> list[Account]:
        rows = []
        for index, (slug, *_) in enumerate(INSTITUTIONS):
            institution_id = index + 1
            for account_id, role in (
                (self.editor(institution_id), Role.EDITOR),
                (self.approver(institution_id), Role.APPROVER),
            ):
                rows.append(
                    Account(
                        id=account_id,
                        name=f"{slug} {role.value.lower()}",
                        role=role,
                        institution_id=institution_id,
                        created_at=BASE_TIME - timedelta(days=30),
                    )
                )
        for k, account_id in enumerate(self.reporters):
            rows.append(
                Account(
                    id=account_id,
                    name=f"reporter {k + 1}",
                    role=Role.REPORTER,
                    created_at=BASE_TIME - timedelta(days=30),
                )
            )
        return rows

    def institutions(self) -> list[Institution]:
        return [
            Institution(
                id=index + 1,
                slug=slug,
                name_km=nfc(km),
                name_en=en,
                kind=kind,
                created_at=BASE_TIME - timedelta(days=60),
            )
            for index, (slug, km, en, kind) in enumerate(INSTITUTIONS)
        ]

    def moment(self, start: datetime, low_hours: float, high_hours: float) -> datetime:
        """A time between ``low_hours`` and ``high_hours`` after ``start``.

        One in eight falls on a whole second (no microseconds), as clocks sometimes give.
        """
        value = start + timedelta(hours=self.rng.uniform(low_hours, high_hours))
        if self.rng.random() < 0.125:
            value = value.replace(microsecond=0)
        return value

    def summary(self) -> tuple[str, str]:
        rng = self.rng
        opener = rng.choice(OPENERS)
        subject, predicate, place = rng.choice(SUBJECTS), rng.choice(PREDICATES), rng.choice(PLACES)
        if rng.random() < PHRASE_SHARE:
            subject = (KHMER_PHRASE + subject[0], "fake vaccines and " + subject[1])
        km = f"{opener[0]}{subject[0]}{predicate[0]} {place[0]}"
        en = f"{opener[1]} {subject[1]} {predicate[1]} {place[1]}."
        return nfc(km), en[0].upper() + en[1:]

    def body(self) -> tuple[str, str]:
        picked = self.rng.sample(BODY_SENTENCES, self.rng.randint(2, 5))
        return nfc(" ".join(km for km, _ in picked)), " ".join(en for _, en in picked)

    def evidence_items(self, revision_id: int) -> list[dict[str, str]]:
        items = []
        for position in range(self.rng.randint(1, 3)):
            domain, title = self.rng.choice(EVIDENCE_SOURCES)
            items.append(
                {
                    "url": f"https://{domain}/fact-check/{revision_id}-{position}",
                    # The text migration 0020 gave both languages of a title seeded before it.
                    "title_km": f"{title} #{revision_id}",
                    "title_en": f"{title} #{revision_id}",
                    "note_km": "",
                    "note_en": "",
                }
            )
        return items

    def chunk(self, first: int, last: int) -> Batch:
        """Rows of claims ``first``..``last`` (inclusive)."""
        batch = Batch()
        for claim_id in range(first, last + 1):
            self.claim(batch, claim_id)
        return batch

    def claim(self, batch: Batch, claim_id: int) -> None:
        rng = self.rng
        created = BASE_TIME + SPAN * (claim_id / (self.count + 1))
        created = created.replace(microsecond=rng.randrange(1_000_000))
        summary_km, summary_en = self.summary()
        draw = rng.random()
        kind = (
            "rebutted"
            if draw < 0.45
            else "retracted"
            if draw < 0.47
            else "dismissed"
            if draw < 0.55
            else "reported"
            if draw < 0.70
            else "triaged"
            if draw < 0.85
            else "in_progress"
        )
        triaged = kind != "reported" and not (kind == "dismissed" and rng.random() < 0.5)
        lead = rng.choices(range(1, len(INSTITUTIONS) + 1), self.weights)[0] if triaged else None
        topic = INSTITUTIONS[lead - 1][0] if lead else rng.choice(["health", "rumour", "general"])
        seen = [self.moment(created, -48, 0) for _ in range(rng.randint(1, 3))]
        claim = Claim(
            id=claim_id,
            summary_km=summary_km,
            summary_en=summary_en,
            topic=topic,
            status=ClaimStatus.REPORTED,
            priority=Priority.NORMAL,
            first_seen_at=min(seen),
            reported_by_id=rng.choice(self.reporters),
            lead_institution_id=lead,
            public=False,
            search_text=search_text(summary_km, summary_en, topic),
            similar_km=normalise(summary_km),
            similar_en=normalise(summary_en),
            created_at=created,
        )
        batch.claims.append(claim)
        for seen_at in seen:
            outlet = rng.choice(OUTLETS)
            batch.appearances.append(
                Appearance(
                    id=self.next_id("appearance"),
                    claim_id=claim_id,
                    url=f"https://{outlet.lower().replace(' ', '-')}.example/p/{claim_id}",
                    outlet=outlet,
                    seen_at=seen_at,
                )
            )
        if lead is None:
            if kind == "dismissed":
                self.dismiss(claim, created)
            return
        supporters = rng.sample(
            [i for i in range(2, len(INSTITUTIONS) + 1) if i != lead],
            rng.choices((0, 1, 2), (6, 3, 1))[0],
        )
        for institution_id in supporters:
            batch.supports.append(
                ClaimSupport(
                    id=self.next_id("support"), claim_id=claim_id, institution_id=institution_id
                )
            )
        claim.status = ClaimStatus.TRIAGED
        claim.priority = rng.choice(list(Priority))
        claim.triaged_at = self.moment(created, 0.5, 6)
        claim.due_at = claim.triaged_at + timedelta(hours=SLA_HOURS[claim.priority])
        if kind == "dismissed":
            self.dismiss(claim, claim.triaged_at)
        elif kind == "in_progress":
            claim.status = ClaimStatus.IN_PROGRESS
            self.rebuttal(batch, claim, lead, published=False)
        elif kind in ("rebutted", "retracted"):
            rebuttal = self.rebuttal(batch, claim, lead, published=True)
            claim.status = ClaimStatus.REBUTTED
            claim.public = True
            claim.rebutted_at = rebuttal.published_at
            if kind == "retracted":
                rebuttal.status = RebuttalStatus.RETRACTED
                rebuttal.retracted_at = self.moment(rebuttal.published_at, 24, 240)
                rebuttal.retraction_reason_km = "ត្រូវបានជំនួសដោយព័ត៌មានថ្មីពីមូលដ្ឋាន។"
                rebuttal.retraction_reason_en = "Superseded by new information from the field."
                rebuttal.draft_authors = []
                claim.status = ClaimStatus.IN_PROGRESS
            elif supporters and rng.random() < 0.25:
                self.rebuttal(batch, claim, supporters[0], published=rng.random() < 0.5)

    def dismiss(self, claim: Claim, after: datetime) -> None:
        reason = self.rng.choice(list(DismissalReason))
        claim.status = ClaimStatus.DISMISSED
        claim.dismissal_reason = reason
        claim.dismissal_note_km, claim.dismissal_note_en = DISMISSAL_NOTES[reason]
        claim.dismissed_at = self.moment(after, 1, 24)
        claim.public = True

    def rebuttal(
        self, batch: Batch, claim: Claim, institution_id: int, published: bool
    ) -> Rebuttal:
        rng = self.rng
        assert claim.triaged_at is not None
        rebuttal_id = self.next_id("rebuttal")
        verdict = rng.choice(VERDICTS)
        channels = rng.choice(CHANNELS)
        headline_km, headline_en = self.headline(claim)
        body_km, body_en = self.body()
        evidence = self.evidence_items(0)
        rebuttal = Rebuttal(
            id=rebuttal_id,
            claim_id=claim.id,
            institution_id=institution_id,
            status=rng.choice(
                [
                    RebuttalStatus.DRAFT,
                    RebuttalStatus.IN_REVIEW,
                    RebuttalStatus.CHANGES_REQUESTED,
                    RebuttalStatus.APPROVED,
                ]
            ),
            verdict=verdict,
            headline_km=headline_km,
            headline_en=headline_en,
            body_km=body_km,
            body_en=body_en,
            evidence=evidence,
            channels=channels,
            draft_authors=[self.editor(institution_id)],
            created_by_id=self.editor(institution_id),
            created_at=self.moment(claim.triaged_at, 0.1, 2),
        )
        batch.rebuttals.append(rebuttal)
        if not published:
            return rebuttal
        at = self.moment(rebuttal.created_at, 1, 30)
        for number in range(1, 2 if rng.random() < 0.7 else 3):
            revision_id = self.next_id("revision")
            if number > 1:
                at = self.moment(at, 24, 240)
                headline_km = nfc("កែតម្រូវ៖ " + headline_km)
                headline_en = "Correction: " + headline_en
                body_km, body_en = self.body()
                verdict = rng.choice(VERDICTS)
            items = self.evidence_items(revision_id)
            batch.revisions.append(
                RebuttalRevision(
                    id=revision_id,
                    rebuttal_id=rebuttal_id,
                    number=number,
                    verdict=verdict,
                    headline_km=headline_km,
                    headline_en=headline_en,
                    body_km=body_km,
                    body_en=body_en,
                    channels=channels,
                    approved_by_id=self.approver(institution_id),
                    published_by_id=self.editor(institution_id),
                    published_at=at,
                )
            )
            for position, item in enumerate(items):
                batch.evidence.append(
                    Evidence(
                        id=self.next_id("evidence"),
                        revision_id=revision_id,
                        position=position,
                        **item,
                    )
                )
            if number == 1:
                rebuttal.published_at = at
            rebuttal.live_revision = number
            rebuttal.live_verdict = verdict
            rebuttal.verdict = verdict
            rebuttal.headline_km, rebuttal.headline_en = headline_km, headline_en
            rebuttal.body_km, rebuttal.body_en = body_km, body_en
            rebuttal.evidence = items
        rebuttal.status = RebuttalStatus.PUBLISHED
        rebuttal.draft_authors = []
        if rng.random() < 0.03:  # a correction under way: the working copy differs, unpublished
            rebuttal.status = RebuttalStatus.DRAFT
            rebuttal.verdict = rng.choice(VERDICTS)
            rebuttal.headline_en = "[draft] " + rebuttal.headline_en
            rebuttal.headline_km = nfc("[សេចក្តីព្រាង] " + rebuttal.headline_km)
            rebuttal.draft_authors = [self.editor(institution_id)]
        return rebuttal

    def headline(self, claim: Claim) -> tuple[str, str]:
        rng = self.rng
        km = rng.choice(["មិនពិតទេ៖ ", "ព័ត៌មានមិនពិត៖ ", "បំភ្លៃ៖ "])
        en = rng.choice(["False: ", "Not true: ", "Misleading: "])
        return nfc(km + claim.summary_km[:80]), en + claim.summary_en[:120]


async def seed(count: int, console: Console) -> None:
    """Insert ``count`` claims and their rows into the open (migrated, empty) database."""
    from tortoise.transactions import in_transaction

    seeder = Seeder(count)
    await Institution.bulk_create(seeder.institutions())
    await Account.bulk_create(seeder.accounts())
    started = time.perf_counter()
    for first in range(1, count + 1, BATCH):
        batch = seeder.chunk(first, min(first + BATCH - 1, count))
        async with in_transaction():
            for rows in batch.lists():
                if rows:
                    await type(rows[0]).bulk_create(rows, batch_size=BATCH)
        done = min(first + BATCH - 1, count)
        if done % 100_000 == 0 or done == count:
            rate = done / (time.perf_counter() - started)
            console.print(f"  {done:>9,} claims seeded ({rate:,.0f}/s)")


# -- cache marks -----------------------------------------------------------------------------


def migration_files() -> list[Path]:
    return sorted(MIGRATIONS.glob("0*.py"))


def migration_digests() -> dict[str, str]:
    """Each migration's name and a short digest of its file, in order."""
    return {
        path.stem: hashlib.sha256(path.read_bytes()).hexdigest()[:10] for path in migration_files()
    }


def legacy_key(paths: list[Path]) -> str:
    """The digest the first harness marked databases with (all migration files together)."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


@dataclass
class Mark:
    """What a cached database holds: seed version, claims, migrations applied (name: digest)."""

    version: int
    count: int
    migrations: dict[str, str]

    def dumps(self) -> str:
        return "coordhub-bench reads " + json.dumps(
            {"version": self.version, "count": self.count, "migrations": self.migrations},
            separators=(",", ":"),
        )

    @classmethod
    def loads(cls, text: str | None) -> Mark | None:
        """Parse a mark (or the first harness's ``... v2 <key> <count> complete``)."""
        if not text or not text.startswith("coordhub-bench reads "):
            return None
        body = text.removeprefix("coordhub-bench reads ")
        legacy = re.fullmatch(r"v(\d+) ([0-9a-f]{10}) (\d+) complete", body)
        if legacy:
            # Which migrations it had: the prefix of today's files with that digest (if they
            # are unchanged).
            files = migration_files()
            for end in range(len(files), 0, -1):
                if legacy_key(files[:end]) == legacy.group(2):
                    current = migration_digests()
                    applied = {path.stem: current[path.stem] for path in files[:end]}
                    return cls(int(legacy.group(1)), int(legacy.group(3)), applied)
            return None
        try:
            data = json.loads(body)
            return cls(int(data["version"]), int(data["count"]), dict(data["migrations"]))
        except (ValueError, KeyError, TypeError):
            return None

    def reusable_for(self, count: int) -> bool:
        """Same seed and size, and no migration it applied has changed or gone since."""
        current = migration_digests()
        return (
            self.version == SEED_VERSION
            and self.count == count
            and all(current.get(name) == digest for name, digest in self.migrations.items())
        )


def current_mark(count: int) -> Mark:
    return Mark(SEED_VERSION, count, migration_digests())


# -- databases -------------------------------------------------------------------------------


async def finish(database_url: str) -> None:
    """Statistics (and on PostgreSQL sequences and a vacuum) once seeded."""
    from tortoise import connections

    async with database(Settings(database_url=database_url), global_fallback=False):
        client = connections.get("default")
        if database_url.startswith("sqlite"):
            await client.execute_script("ANALYZE")
            return
        for table in SEEDED_TABLES:
            await client.execute_script(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f'(SELECT coalesce(max(id), 1) FROM "{table}"))'
            )
    await vacuum(database_url)


async def vacuum(database_url: str) -> None:
    """``VACUUM (ANALYZE)`` a PostgreSQL database (outside any transaction or timeout)."""
    import asyncpg

    connection = await asyncpg.connect(database_url.replace("postgres://", "postgresql://", 1))
    try:
        await connection.execute("VACUUM (ANALYZE)")
    finally:
        await connection.close()


async def seed_database(database_url: str, count: int, console: Console) -> None:
    """Migrate the (empty) database at ``database_url``, seed it and gather statistics."""
    settings = Settings(database_url=database_url)
    await migrate(settings)
    async with database(settings, global_fallback=False):
        await seed(count, console)
    await finish(database_url)


async def migrate_forward(database_url: str, mark: Mark, console: Console) -> bool:
    """Apply the migrations added since ``mark``; whether there were any."""
    pending = [name for name in migration_digests() if name not in mark.migrations]
    if not pending:
        return False
    console.print(f"Applying {', '.join(pending)} to the cached database …")
    started = time.perf_counter()
    await migrate(Settings(database_url=database_url))
    if not database_url.startswith("sqlite"):
        await vacuum(database_url)
    console.print(f"  migrated in {time.perf_counter() - started:.1f} s")
    return True


def sqlite_path(count: int) -> Path:
    return CACHE_DIR / f"reads-v{SEED_VERSION}-{count}.db"


async def sqlite_database(count: int, fresh: bool, console: Console) -> tuple[str, float | None]:
    """The cached seeded SQLite file's URL, seeding it first if needed (and the seconds taken)."""
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    path = sqlite_path(count)
    mark_path = path.with_suffix(".json")
    url = f"sqlite://{path}"
    mark = Mark.loads(mark_path.read_text()) if mark_path.exists() else None
    if path.exists() and mark is not None and mark.reusable_for(count) and not fresh:
        console.print(f"Using the cached seeded database {path}")
        if await migrate_forward(url, mark, console):
            mark_path.write_text(current_mark(count).dumps())
        return url, None
    building = path.with_suffix(".building")
    for stale in (building, *building.parent.glob(building.name + "-*")):
        stale.unlink(missing_ok=True)
    mark_path.unlink(missing_ok=True)
    console.print(f"Seeding {count:,} claims into {path} …")
    started = time.perf_counter()
    await seed_database(f"sqlite://{building}", count, console)
    seconds = time.perf_counter() - started
    os.replace(building, path)
    mark_path.write_text(current_mark(count).dumps())
    return url, seconds


def postgres_urls(server_url: str, count: int) -> tuple[str, str]:
    """(the server's URL as given, the URL of the bench database on that server)."""
    parts = urlsplit(server_url)
    return server_url, urlunsplit(parts._replace(path=f"/coordhub_bench_{count}"))


async def postgres_database(
    server_url: str, count: int, fresh: bool, console: Console
) -> tuple[str, float | None]:
    """The seeded ``coordhub_bench_<count>`` database on the server, seeding it if needed."""
    import asyncpg

    admin_url, url = postgres_urls(server_url, count)
    name = f"coordhub_bench_{count}"
    admin = await asyncpg.connect(admin_url.replace("postgres://", "postgresql://", 1))

    async def set_mark(mark: Mark) -> None:
        text = mark.dumps().replace("'", "''")
        await admin.execute(f"COMMENT ON DATABASE \"{name}\" IS '{text}'")

    try:
        mark = Mark.loads(
            await admin.fetchval(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = $1",
                name,
            )
        )
        if mark is not None and mark.reusable_for(count) and not fresh:
            console.print(f"Using the seeded PostgreSQL database {name}")
            if await migrate_forward(url, mark, console):
                await set_mark(current_mark(count))
            return url, None
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}"')
        console.print(f"Seeding {count:,} claims into PostgreSQL database {name} …")
        started = time.perf_counter()
        await seed_database(url, count, console)
        seconds = time.perf_counter() - started
        await set_mark(current_mark(count))
        return url, seconds
    finally:
        await admin.close()


async def drop_postgres_database(server_url: str, count: int) -> None:
    import asyncpg

    admin = await asyncpg.connect(server_url.replace("postgres://", "postgresql://", 1))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "coordhub_bench_{count}" WITH (FORCE)')
    finally:
        await admin.close()


def server_url() -> str | None:
    """The PostgreSQL server ``COORDHUB_DATABASE_URL`` names, or None (SQLite)."""
    url = os.environ.get("COORDHUB_DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return url.replace("postgresql://", "postgres://", 1)
    return None


async def prepare(count: int, fresh: bool, console: Console) -> tuple[str, float | None]:
    """The URL of a seeded database of ``count`` claims (PostgreSQL if
    ``COORDHUB_DATABASE_URL`` names a server, else SQLite), and the seconds seeding took."""
    postgres = server_url()
    if postgres:
        url, seconds = await postgres_database(postgres, count, fresh, console)
    else:
        url, seconds = await sqlite_database(count, fresh, console)
    if seconds is not None:
        console.print(f"Seeded {count:,} claims in [bold]{seconds:.1f} s[/bold]")
    return url, seconds
